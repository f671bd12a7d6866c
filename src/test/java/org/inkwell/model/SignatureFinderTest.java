package org.inkwell.model;

import org.inkwell.data.FormPhotos;
import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The signature finder on signed forms (printed title, fields, paragraphs, a signature line and its caption).
 * Mutations run against these tests (each fails one): the tilt's sign flipped (the tilted sheet); the pieces
 * hanging under the signature line dropped (the box misses the descenders of sheets 0 and 4). Not caught: the row
 * test for printed text removed alone, since the word rule and the scan's text still tell text apart.
 */
class SignatureFinderTest {

    private static double extra(Rectangle found, Rectangle truth) {
        return (double) found.width * found.height / ((double) truth.width * truth.height) - 1;
    }

    @Test
    void findsTheSignatureOnCleanFormsAndLeavesThePrintOut() {
        assertFindsOnSheets(true);
    }

    @Test
    void findsTheSignatureFromTheCleanedImageAlone() {
        // Without the scan, printed text is told apart by its rows alone.
        assertFindsOnSheets(false);
    }

    private static void assertFindsOnSheets(boolean withScan) {
        int good = 0;
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            FormPhotos.Sheet sheet = FormPhotos.sheet(11 + i, 0.1 + 0.06 * i, 1000);
            GrayImage page = ImageFiles.toGray(sheet.image());
            SignatureFinder.Result r = SignatureFinder.find(page, withScan ? page : null, 0.5);
            boolean ok = r.found() && r.withMargin(8, page.width(), page.height()).contains(sheet.signature())
                    && extra(r.box(), sheet.signature()) < 0.25;
            good += ok ? 1 : 0;
            report.append(i).append(": ").append(sheet.signature()).append(" -> ").append(r.box()).append('\n');
        }
        assertEquals(6, good, "found on " + good + " of 6 sheets\n" + report);
    }

    /**
     * A hard shadow across the lower part of a photographed sheet hides the signature from the sheet detection (the
     * shadowed paper is darker than the lit table), and a small scribble stays in the lit part: the finder still
     * takes the signature, not the scribble (it used to, found on fresh phone photos).
     */
    @Test
    void aSignatureInAHardShadowAcrossTheSheetIsStillFound() {
        for (float shadow : new float[]{0.4f, 0.25f}) {
            assertFoundInShadow(shadow);
        }
    }

    private static void assertFoundInShadow(float shadow) {
        FormPhotos.Sheet sheet = FormPhotos.sheet(14, 0.3, 1000);
        int shadowFrom = 200 + sheet.signature().y - 40;
        // The model reads the table as paper; the table is lit at 0.25, the sheet at 0.9, both darker in the shadow.
        OnTable t = onTable(sheet, 200, (x, y, onPage, v) -> onPage ? v : 1f,
                (x, y, onPage, v) -> (y >= shadowFrom ? shadow : 1f) * (onPage ? 0.9f * v : 0.25f));
        int w = t.w;
        int h = t.h;
        float[] probs = t.probs;
        float[] scan = t.scan;
        Rectangle truth = t.truth;
        // A scribble in the lit margin: a small ring, more than a speck, nothing like print.
        int cx = 200 + 60;
        int cy = 200 + 60;
        for (int y = -7; y <= 7; y++) {
            for (int x = -7; x <= 7; x++) {
                double r = Math.hypot(x, y);
                if (r >= 5 && r <= 7) {
                    probs[(cy + y) * w + cx + x] = 0f;
                    scan[(cy + y) * w + cx + x] = 0.1f;
                }
            }
        }
        SignatureFinder.Result r = SignatureFinder.find(new GrayImage(w, h, probs), new GrayImage(w, h, scan), 0.5);
        assertTrue(r.found());
        assertTrue(r.withMargin(8, w, h).contains(truth) && extra(r.box(), truth) < 0.25,
                "shadow " + shadow + ": " + truth + " -> " + r.box());
    }

    @Test
    void isolatingKeepsTheSignatureAndDropsThePrint() {
        FormPhotos.Sheet sheet = FormPhotos.sheet(13, 0.25, 1000);
        GrayImage page = ImageFiles.toGray(sheet.image());
        SignatureFinder.Result r = SignatureFinder.find(page, page, 0.5);
        GrayImage only = r.isolate(page, 0.5);
        Rectangle truth = sheet.signature();
        Rectangle near = new Rectangle(truth.x - 12, truth.y - 12, truth.width + 24, truth.height + 24);
        long inkFar = 0;
        long signatureBefore = 0;
        long signatureAfter = 0;
        for (int y = 0; y < page.height(); y++) {
            for (int x = 0; x < page.width(); x++) {
                if (!near.contains(x, y) && only.get(x, y) < 0.5f) {
                    inkFar++;
                }
                if (sheet.signatureMask().getRaster().getSample(x, y, 0) >= 128 && page.get(x, y) < 0.5f) {
                    signatureBefore++;
                    signatureAfter += only.get(x, y) < 0.5f ? 1 : 0;
                }
            }
        }
        assertEquals(0, inkFar, "the print, the other lines and the caption are gone");
        assertTrue(signatureAfter > 0.9 * signatureBefore, // a stroke running along the printed line goes with it
                signatureAfter + " of " + signatureBefore + " signature pixels kept");
    }

    @Test
    void measuresTheTiltOfAPhotographedSheet() {
        FormPhotos.Sheet sheet = FormPhotos.sheet(12, 0.3, 900);
        for (double tilt : new double[]{-4, 3}) {
            BufferedImage src = sheet.image();
            BufferedImage rotated = new BufferedImage(src.getWidth() + 100, src.getHeight() + 100, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rotated.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, rotated.getWidth(), rotated.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.rotate(Math.toRadians(tilt), rotated.getWidth() / 2.0, rotated.getHeight() / 2.0);
            g.drawImage(src, 50, 50, null);
            g.dispose();
            GrayImage page = ImageFiles.toGray(rotated);
            SignatureFinder.Result r = SignatureFinder.find(page, page, 0.5);
            assertEquals(tilt, r.tilt(), 0.5, "tilt");
            assertTrue(r.found());
            // The signature's centre, rotated as the sheet was, lies inside the box.
            double cx = sheet.signature().getCenterX() + 50 - rotated.getWidth() / 2.0;
            double cy = sheet.signature().getCenterY() + 50 - rotated.getHeight() / 2.0;
            double a = Math.toRadians(tilt);
            double x = cx * Math.cos(a) - cy * Math.sin(a) + rotated.getWidth() / 2.0;
            double y = cx * Math.sin(a) + cy * Math.cos(a) + rotated.getHeight() / 2.0;
            assertTrue(r.box().contains(x, y), r.box() + " should hold " + x + "," + y);
            assertTrue(r.box().width < 1.6 * sheet.signature().width, "box " + r.box() + " for " + sheet.signature());
        }
    }

    @Test
    void aBlankPageHasNoSignature() {
        float[] white = new float[300 * 200];
        Arrays.fill(white, 1f);
        SignatureFinder.Result r = SignatureFinder.find(new GrayImage(300, 200, white), 0.5);
        assertFalse(r.found());
        assertEquals(new Rectangle(0, 0, 300, 200), r.box());
    }

    @Test
    void aLoneSignatureIsFoundWholeAtFullResolution() {
        // No form around it: everything that is ink is the signature, measured in the input's own pixels even when
        // the finder works on a reduced copy.
        GrayImage page = GrayImage.blank(4200, 900);
        for (int x = 1000; x < 3000; x++) {
            int y = 400 + (int) (150 * Math.sin(x / 120.0));
            for (int d = -3; d <= 3; d++) {
                page.set(x, y + d, 0f);
            }
        }
        SignatureFinder.Result r = SignatureFinder.find(page, 0.5);
        assertTrue(r.found());
        assertEquals(0, r.tilt(), "no printed rows or lines: no tilt is claimed from the handwriting alone");
        assertEquals(1000, r.box().x);
        assertEquals(2000, r.box().width);
        assertEquals(247, r.box().y, 2);
        assertEquals(553 - 247 + 1, r.box().height, 4);
    }

    @Test
    void formPhotosAreDeterministicPerSeed() {
        FormPhotos.Photo a = FormPhotos.render(5, 2, 10, 400, 300);
        FormPhotos.Photo b = FormPhotos.render(5, 2, 10, 400, 300);
        assertArrayEquals(a.jpeg(), b.jpeg());
        assertEquals(a.signature(), b.signature());
        assertFalse(Arrays.equals(a.jpeg(), FormPhotos.render(6, 2, 10, 400, 300).jpeg()));
    }

    /**
     * An underline's tail drawn along the printed line goes with the line when lines are removed; where the line is
     * thicker than beside the signature, next to it, that stretch is the pen's. A thick stretch further than two
     * strokes from the signature (a stamp on the line, another mark) is not. Mutations caught: the line's thickness
     * read under the signature (the tail is then no thicker than "usual"), the gap rule dropped, the run not stopped.
     */
    @Test
    void theUnderlinesTailAlongThePrintedLineIsTheSignatures() {
        int w = 120;
        int h = 40;
        boolean[] before = printedLine(w, h);
        for (int x = 30; x <= 100; x++) {
            for (int y = 27; y < 30; y++) {
                // The pen along the line, under the signature and past it (6 cells thick), with a skip at 40-42.
                before[y * w + x] = x < 40 || x > 42;
            }
        }
        for (int x = 5; x < 12; x++) {
            for (int y = 27; y < 30; y++) {
                before[y * w + x] = true; // a thick stretch far from the signature
            }
        }
        int[] label = new int[w * h];
        for (int x = 50; x <= 100; x++) {
            for (int y = 10; y < 27; y++) {
                label[y * w + x] = 1; // the chosen signature, above the line
            }
        }
        boolean[] along = SignatureFinder.strokesAlongLine(before, label, new boolean[]{true}, w, h, 31, 2.0);
        assertTrue(along != null);
        for (int x = 30; x < 50; x++) {
            if (x < 40 || x > 42) {
                assertTrue(along[28 * w + x] && along[31 * w + x], "the tail at x " + x + ", beyond its skip too");
            }
        }
        for (int x = 0; x < 30; x++) {
            assertFalse(along[28 * w + x] || along[31 * w + x], "not the line or the far mark at x " + x);
        }
        for (int x = 101; x < w; x++) {
            assertFalse(along[31 * w + x], "not the bare line right of the signature at x " + x);
        }
    }

    /**
     * Past the last clearly thicker column the pen lifts off gradually: the line stays a little thicker there, and
     * that stretch (up to two strokes) is the pen's too; the bare line after it is not. Mutation caught: the taper
     * not followed (the box then ended a stroke short of the underline's end on fresh photos).
     */
    @Test
    void theUnderlinesTaperingEndIsFollowedForTwoStrokes() {
        int w = 120;
        int h = 40;
        boolean[] before = printedLine(w, h);
        for (int x = 0; x < w; x++) {
            // The pen along the line right of the signature: 3 cells above it to x 80, then 1 cell to x 95.
            int above = x > 60 && x <= 80 ? 3 : x > 80 && x <= 95 ? 1 : 0;
            for (int y = 30 - above; y < 30; y++) {
                before[y * w + x] = true;
            }
        }
        int[] label = new int[w * h];
        for (int x = 20; x <= 60; x++) {
            for (int y = 5; y < 27; y++) {
                label[y * w + x] = 1;
            }
        }
        boolean[] along = SignatureFinder.strokesAlongLine(before, label, new boolean[]{true}, w, h, 31, 4.0);
        assertTrue(along != null);
        for (int x = 61; x <= 80; x++) {
            assertTrue(along[28 * w + x], "the clearly thicker stretch at x " + x);
        }
        for (int x = 81; x <= 88; x++) {
            assertTrue(along[29 * w + x], "the taper, two strokes of it, at x " + x);
        }
        for (int x = 89; x < w; x++) {
            assertFalse(along[31 * w + x], "neither the taper's rest nor the bare line at x " + x);
        }
    }

    private static void stroke(boolean[] mask, int w, int x0, int y0, int x1, int y1, int r) {
        int n = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0));
        for (int i = 0; i <= n; i++) {
            int cx = x0 + (x1 - x0) * i / Math.max(1, n);
            int cy = y0 + (y1 - y0) * i / Math.max(1, n);
            for (int dy = -r; dy <= r; dy++) {
                for (int dx = -r; dx <= r; dx++) {
                    mask[(cy + dy) * w + cx + dx] = true;
                }
            }
        }
    }

    private static SignatureFinder.Mark markAt(List<SignatureFinder.Mark> marks, int[] label, int w, int x, int y) {
        return marks.get(label[y * w + x] - 1);
    }

    /**
     * Under a signature resting on a printed line (already removed), a curved piece of the underline hangs below the
     * line and runs on past the last letter: it is the signature's. A straight remnant of the line that reaches out
     * past the first letter is not, nor is a long, thin upright mark beside it (the sheet's edge), while a pen's lone
     * upright stem, as thin but short, is. Mutations caught: only pieces wholly under the signature kept (the tail is
     * lost), the candidate or straightness test dropped (the remnant joins), the upright-edge rule dropped (the edge
     * joins the group), every thin upright mark taken for an edge (the stem is lost).
     */
    @Test
    void anUnderlinesTailHangsFromTheLineButTheLinesRemnantAndTheSheetsEdgeDoNot() {
        int w = 220;
        int h = 600;
        boolean[] mask = new boolean[w * h];
        // The signature: a zigzag from x 40 to 140, rows 5-44 (a stroke 3 cells wide).
        int[] xs = {40, 60, 80, 100, 120, 140};
        for (int i = 0; i + 1 < xs.length; i++) {
            stroke(mask, w, xs[i], i % 2 == 0 ? 6 : 43, xs[i + 1], i % 2 == 0 ? 43 : 6, 1);
        }
        stroke(mask, w, 114, 55, 166, 60, 1);   // the tail, below the line at row 50, most of it under the signature
        stroke(mask, w, 20, 50, 60, 50, 1);     // the line's remnant, straight, reaching out left of the signature
        stroke(mask, w, 10, 2, 22, 140, 1);     // the sheet's edge, upright (a little off), long and thin
        stroke(mask, w, 150, 2, 150, 48, 1);    // a pen's lone upright stem beside the last letter, taller than it
        int[] label = new int[w * h];
        List<SignatureFinder.Mark> marks = SignatureFinder.label(mask, w, h, label);
        List<int[]> lines = new java.util.ArrayList<>();
        lines.add(new int[]{50, 0, w - 1});
        boolean[] chosen = SignatureFinder.choose(marks, 3.0, w, h, new Rectangle(0, 0, w, h), lines);
        assertTrue(chosen[markAt(marks, label, w, 40, 6).id - 1], "the signature");
        assertTrue(chosen[markAt(marks, label, w, 160, 59).id - 1], "the underline's tail");
        assertFalse(chosen[markAt(marks, label, w, 25, 50).id - 1], "the line's remnant");
        assertFalse(chosen[markAt(marks, label, w, 14, 44).id - 1], "the sheet's edge");
        assertTrue(chosen[markAt(marks, label, w, 150, 3).id - 1], "the stem");
    }

    /**
     * The dark table beside a photographed sheet, whose texture the model kept as a large cloud of ink: searching the
     * whole picture finds far more ink there than the signature on the sheet, but it is not paper (far darker than
     * the sheet), so the signature on the sheet is kept. Mutation caught: the paper test dropped.
     */
    @Test
    void inkTheModelKeptOnADarkTableDoesNotOutweighTheSignature() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        OnTable t = onTable(FormPhotos.sheet(14, 0.3, 700), 300, (x, y, onPage, v) -> onPage ? v
                : x >= 60 && x < 260 && y >= 300 && y < 800 && rng.nextDouble() < 0.35 ? 0f : 1f,
                (x, y, onPage, v) -> onPage ? 0.9f * v : 0.08f);
        int w = t.w;
        int h = t.h;
        float[] probs = t.probs;
        float[] scan = t.scan;
        Rectangle truth = t.truth;
        SignatureFinder.Result r = SignatureFinder.find(new GrayImage(w, h, probs), new GrayImage(w, h, scan), 0.5);
        assertTrue(r.found());
        assertTrue(r.withMargin(8, w, h).contains(truth) && extra(r.box(), truth) < 0.25, truth + " -> " + r.box());
    }

    /** A pixel of a sheet photographed on a table: where it lies, whether on the sheet, and the sheet's value there. */
    private interface PixelFn {
        float at(int x, int y, boolean onPage, float v);
    }

    private record OnTable(int w, int h, float[] probs, float[] scan, Rectangle truth) {
    }

    /** The sheet laid on a table {@code off} pixels from each edge: the model's probabilities and the scan. */
    private static OnTable onTable(FormPhotos.Sheet sheet, int off, PixelFn probsAt, PixelFn scanAt) {
        GrayImage page = ImageFiles.toGray(sheet.image());
        int w = page.width() + 2 * off;
        int h = page.height() + 2 * off;
        Rectangle truth = new Rectangle(sheet.signature());
        truth.translate(off, off);
        float[] probs = new float[w * h];
        float[] scan = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean onPage = x >= off && y >= off && x < off + page.width() && y < off + page.height();
                float v = onPage ? page.get(x - off, y - off) : 1f;
                probs[y * w + x] = probsAt.at(x, y, onPage, v);
                scan[y * w + x] = scanAt.at(x, y, onPage, v);
            }
        }
        return new OnTable(w, h, probs, scan, truth);
    }

    /**
     * A thin printed line read at a slight angle (or worn by the model) steps between two rows, with a gap in each
     * row where it steps: no single row holds a long run, yet it is a line. A stroke resting on it keeps its body:
     * only the row touching the line is taken for its fringe. Mutations caught: runs read on one row only (the line
     * stays), both rows taken whatever they hold (the resting stroke's rows go with the line), the fringe read on the
     * mask as it is being cleared (the resting stroke is worn away row by row).
     */
    @Test
    void aThinLineSteppingBetweenTwoRowsIsRemovedAndAStrokeRestingOnItStays() {
        int w = 400;
        int h = 80;
        boolean[] m = new boolean[w * h];
        for (int x = 0; x < w; x++) {
            // Rows 50 and 51 in turn, 40 cells each, overlapping by a cell or two where it steps: each row has long gaps.
            int step = x % 40;
            boolean upper = (x / 40) % 2 == 0;
            m[(upper ? 50 : 51) * w + x] = step < 38;
            m[(upper ? 51 : 50) * w + x] |= step >= 37;
        }
        for (int x = 100; x < 250; x++) {
            m[50 * w + x] = true; // solid for a stretch, so that the rows above it are read in a line's band
        }
        for (int x = 150; x < 200; x++) {
            for (int y = 46; y < 50; y++) {
                m[y * w + x] = true; // a pen stroke lying on the line, 4 rows thick
            }
        }
        for (int y = 20; y < 46; y++) {
            for (int x = 150; x < 153; x++) {
                m[y * w + x] = true; // and its upright stem
            }
        }
        List<int[]> lines = SignatureFinder.removeLines(m, w, h, 3.0);
        assertTrue(lines.stream().anyMatch(l -> (l[0] == 50 || l[0] == 51) && l[2] - l[1] > 300), "the stepping line is a line");
        for (int x = 0; x < w; x++) {
            if (x < 150 || x >= 200) {
                assertFalse(m[50 * w + x] || m[51 * w + x], "the line at x " + x + " is gone");
            }
        }
        for (int x = 150; x < 200; x++) {
            assertTrue(m[47 * w + x] && m[48 * w + x], "the resting stroke's body at x " + x);
        }
    }

    /**
     * The model kept a thin printed line in pieces, each shorter than a line's run, with the signature resting on it;
     * the scan shows the line whole. The pieces are line all the same: the box holds the signature alone, not the
     * pieces it touches. Mutation caught: lines found in the scan not cleared from the model's ink (the box runs
     * along the pieces under the signature).
     */
    @Test
    void piecesOfALineTheScanShowsWholeAreNotTheSignatures() {
        int w = 1000;
        int h = 700;
        float[] probs = new float[w * h];
        float[] scan = new float[w * h];
        Arrays.fill(probs, 1f);
        Arrays.fill(scan, 0.9f);
        boolean[] sig = new boolean[w * h];
        int[] xs = {420, 440, 460, 480, 500, 520};
        for (int i = 0; i + 1 < xs.length; i++) {
            stroke(sig, w, xs[i], i % 2 == 0 ? 302 : 348, xs[i + 1], i % 2 == 0 ? 348 : 302, 1);
        }
        for (int i = 0; i < sig.length; i++) {
            if (sig[i]) {
                probs[i] = 0f;
                scan[i] = 0.15f;
            }
        }
        for (int x = 100; x < 900; x++) {
            scan[350 * w + x] = 0.2f;
            scan[351 * w + x] = 0.2f;
            if ((x - 100) % 75 < 70) {
                probs[350 * w + x] = 0f; // pieces of 70 with gaps of 5: no run is a line's length
            }
        }
        SignatureFinder.Result r = SignatureFinder.find(new GrayImage(w, h, probs), new GrayImage(w, h, scan), 0.5);
        assertTrue(r.found());
        Rectangle truth = new Rectangle(419, 301, 103, 49);
        assertTrue(r.withMargin(2, w, h).contains(truth) && r.box().width <= truth.width + 6, "found " + r.box());
    }

    /**
     * Lines found in the scan clear the model's ink only where they are thin: a printed line two cells thick (and a
     * cell either side) goes, a dark band ten cells thick (a hard shadow's edge read as rows of line) does not.
     * Mutation caught: the thickness test dropped (the band's ink is cleared).
     */
    @Test
    void onlyThinScanLinesClearTheModelsInk() {
        int w = 50;
        int h = 60;
        boolean[] mask = new boolean[w * h];
        Arrays.fill(mask, true);
        boolean[] lines = new boolean[w * h];
        for (int x = 0; x < w; x++) {
            lines[10 * w + x] = lines[11 * w + x] = true;
            for (int y = 30; y < 40; y++) {
                lines[y * w + x] = true;
            }
        }
        SignatureFinder.clearThinLines(mask, lines, w, h, 4);
        for (int x = 0; x < w; x++) {
            for (int y = 9; y <= 12; y++) {
                assertFalse(mask[y * w + x], "the thin line and a cell either side at " + x + "," + y);
            }
            assertTrue(mask[8 * w + x] && mask[13 * w + x], "ink beyond the thin line's fringe at x " + x);
            for (int y = 29; y <= 40; y++) {
                assertTrue(mask[y * w + x], "the thick band's ink at " + x + "," + y);
            }
        }
    }

    /**
     * Two words of one signature side by side, each a tall letter and a run of small ones, with the small ones
     * facing each other: the gap between the words is larger than the small letters' height allows but smaller
     * than the words' height, so the two are one signature; a word on the same baseline further away is not.
     * Mutation caught: the words not joined by their own heights (the second word is left out).
     */
    @Test
    void wordsOfOneSignatureJoinByTheirHeightNotTheirLetters() {
        int w = 400;
        int h = 400; // tall enough that a stem is not read as the sheet's edge
        boolean[] mask = new boolean[w * h];
        stroke(mask, w, 14, 10, 22, 50, 1);          // word 1: a tall letter, slanted
        int[] xs1 = {28, 38, 48, 58, 68, 78, 90};    // and small letters (rows 30-50) in one stroke
        for (int i = 0; i + 1 < xs1.length; i++) {
            stroke(mask, w, xs1[i], i % 2 == 0 ? 31 : 49, xs1[i + 1], i % 2 == 0 ? 49 : 31, 1);
        }
        int[] xs2 = {118, 128, 138, 148, 158, 168};  // word 2, 28 cells on: small letters, then a tall one
        for (int i = 0; i + 1 < xs2.length; i++) {
            stroke(mask, w, xs2[i], i % 2 == 0 ? 31 : 49, xs2[i + 1], i % 2 == 0 ? 49 : 31, 1);
        }
        stroke(mask, w, 172, 50, 180, 10, 1);
        int[] xs3 = {300, 310, 320, 330, 340};       // another word, far off on the same baseline
        for (int i = 0; i + 1 < xs3.length; i++) {
            stroke(mask, w, xs3[i], i % 2 == 0 ? 31 : 49, xs3[i + 1], i % 2 == 0 ? 49 : 31, 1);
        }
        stroke(mask, w, 344, 50, 352, 10, 1);
        int[] label = new int[w * h];
        List<SignatureFinder.Mark> marks = SignatureFinder.label(mask, w, h, label);
        boolean[] chosen = SignatureFinder.choose(marks, 2.0, w, h, new Rectangle(0, 0, w, h), new java.util.ArrayList<>());
        assertTrue(chosen[markAt(marks, label, w, 14, 10).id - 1] && chosen[markAt(marks, label, w, 28, 31).id - 1], "word 1");
        assertTrue(chosen[markAt(marks, label, w, 118, 31).id - 1] && chosen[markAt(marks, label, w, 180, 10).id - 1], "word 2");
        assertFalse(chosen[markAt(marks, label, w, 352, 10).id - 1], "the far word");
    }

    /**
     * Beside a signature resting on a printed line (row 50, already removed): the last stroke's small tail, too short
     * to pass for a word, a word's gap after the last letter, and a letter whose top the line's removal cut off (it
     * touches the line from below) are the signature's; the caption under the line and a mark beyond a word's gap
     * are not. Mutations caught: only text and blobs grow the signature (the tail is lost), the tail held to half the
     * height like letters (lost), a mark reaching below the line never taken (the cut letter is lost), the cut test
     * reading any mark below the line (the caption joins), a cut letter held to the words' rows (lost), the cut test
     * not asking that the mark start at the line (the tick crossing it from above joins). Not caught here: the
     * tail's height cap (under 40 % of the signature's) dropped.
     */
    @Test
    void theLastStrokesTailAndALetterTheLineCutAreTheSignatures() {
        int w = 300;
        int h = 400; // tall enough that a stem is not read as the sheet's edge
        boolean[] mask = new boolean[w * h];
        int[] xs = {40, 55, 70, 85, 100};            // a tall word, rows 5-44
        for (int i = 0; i + 1 < xs.length; i++) {
            stroke(mask, w, xs[i], i % 2 == 0 ? 6 : 43, xs[i + 1], i % 2 == 0 ? 43 : 6, 1);
        }
        int[] small = {110, 120, 130, 140};          // small letters after it, rows 30-44
        for (int i = 0; i + 1 < small.length; i++) {
            stroke(mask, w, small[i], i % 2 == 0 ? 31 : 43, small[i + 1], i % 2 == 0 ? 43 : 31, 1);
        }
        stroke(mask, w, 165, 47, 177, 38, 1);        // the tail: 24 cells on, rising from the line, 11 rows high
        stroke(mask, w, 186, 53, 190, 65, 1);        // the cut letter: from just under the line down (rows 52-66)
        stroke(mask, w, 190, 65, 198, 54, 1);
        stroke(mask, w, 40, 59, 60, 70, 1);          // the caption under the signature's start (rows 58-71)
        stroke(mask, w, 245, 36, 258, 47, 1);        // a mark 47 cells on: beyond a word's gap
        stroke(mask, w, 31, 41, 31, 59, 1);          // a tick crossing the line from above, 8 cells before the words
        int[] label = new int[w * h];
        List<SignatureFinder.Mark> marks = SignatureFinder.label(mask, w, h, label);
        List<int[]> lines = new java.util.ArrayList<>();
        lines.add(new int[]{50, 0, w - 1});
        boolean[] chosen = SignatureFinder.choose(marks, 3.0, w, h, new Rectangle(0, 0, w, h), lines);
        assertTrue(chosen[markAt(marks, label, w, 40, 6).id - 1] && chosen[markAt(marks, label, w, 110, 31).id - 1], "the words");
        assertTrue(chosen[markAt(marks, label, w, 177, 38).id - 1], "the tail");
        assertTrue(chosen[markAt(marks, label, w, 190, 65).id - 1], "the cut letter");
        assertFalse(chosen[markAt(marks, label, w, 40, 59).id - 1], "the caption");
        assertFalse(chosen[markAt(marks, label, w, 258, 47).id - 1], "the far mark");
        assertFalse(chosen[markAt(marks, label, w, 31, 59).id - 1], "the tick from above");
    }

    /**
     * On a page tilted 5 degrees (the printed line falls to the right), the box reaches down through the line only
     * in the columns where the signature comes down to it. First page: the left word rests on the line, the right
     * word rides 30 px above it yet is the picture's lowest ink (the line has fallen further there): the box ends
     * at that ink. Second page: the right word rests on the line: the box reaches through the line under it.
     * Mutations caught: the whole box grown by the gap read in the page's frame (first page, 9 px too low), no
     * growth (the second page's box ends above the line).
     */
    @Test
    void onATiltedPageTheBoxReachesThroughTheLineOnlyWhereTheSignatureRestsOnIt() {
        Rectangle first = SignatureFinder.find(tiltedLineWithTwoWords(0, 30), 0.5).box();
        double lowestInk = lineTop(1087) - 30 - 1; // the right word's last valley
        assertTrue(first.y + first.height - 1 <= lowestInk + 2, "ends at the right word's ink: " + first);
        assertTrue(first.y + first.height - 1 >= lowestInk - 3, "holds the right word (a stroke tip's last pixels aside): " + first);
        Rectangle second = SignatureFinder.find(tiltedLineWithTwoWords(30, 0), 0.5).box();
        assertTrue(second.y + second.height - 1 >= lineTop(1087) + 5, "through the line under the right word: " + second);
    }

    /**
     * A flat loop the pen drew under the name, below the printed line, is a long straight run and is read as a line;
     * but it ends within the signature's width at both sides, where the printed line runs on past it. The line the
     * signature rests on is the printed one (a caption piece under it, above the loop, stays out) and the loop's run
     * is the signature's ink (the box holds the loop's bottom). Mutations caught: the pen test dropped (the loop is
     * the line under the signature and the caption piece joins), the loop's run left out of the box.
     */
    @Test
    void aFlatLoopThePenDrewIsNotThePrintedLine() {
        GrayImage page = GrayImage.blank(1600, 900);
        paint(page, 100, 500, 1500, 500, 2);               // the printed line
        for (int x = 600; x < 900; x += 30) {              // the name, resting on it
            paint(page, x, 320, x + 15, 494, 2);
            paint(page, x + 15, 494, x + 30, 320, 2);
        }
        paint(page, 600, 505, 630, 560, 2);                // the loop: from under the line down, flat, back up
        paint(page, 630, 560, 870, 560, 2);
        paint(page, 870, 560, 900, 505, 2);
        for (int x = 440; x < 490; x += 10) {              // a caption's piece under the line, left of the loop
            paint(page, x, 522, x + 5, 540, 1);
            paint(page, x + 5, 540, x + 10, 522, 1);
        }
        Rectangle box = SignatureFinder.find(page, 0.5).box();
        assertEquals(598, box.x, 3, "the caption's piece stays out: " + box);
        assertTrue(box.y + box.height - 1 >= 561, "the loop's bottom is in: " + box);
    }

    /** Runs read as lines: the pen's own lies within the box, unless a run on its rows reaches past the box. */
    @Test
    void aRunWithinTheSignatureIsThePensUnlessThePrintedLineContinuesIt() {
        int[] box = {40, 10, 140, 90};
        int[] loop = {84, 45, 135};
        assertTrue(SignatureFinder.pens(loop, box, List.of(loop), 3));
        assertFalse(SignatureFinder.pens(new int[]{84, 20, 135}, box, List.of(loop), 3), "reaches past the box");
        // A printed line a little off the page's tilt, in pieces on rows 80 and 84: the piece under the signature
        // is the line's (a tolerance of two rows misses it: mutation caught).
        assertFalse(SignatureFinder.pens(loop, box, List.of(new int[]{80, 0, 60}, loop), 3));
        assertEquals(70, SignatureFinder.lineUnder(box, List.of(new int[]{70, 0, 299}, loop), 3)[0], "the printed line under it");
        // With no printed line under it, a run within the signature's width is the line (a short printed line):
        // mutation caught, the fallback dropped.
        int[] alone = SignatureFinder.lineUnder(box, List.of(loop), 3);
        assertTrue(alone != null && alone[0] == 84, "a short line wholly under the signature");
        // The run's cells are the signature's, unless it is the line the signature rests on (mutation caught: that
        // guard dropped, the short printed line kept as ink).
        int w = 300;
        boolean[] before = new boolean[w * 200];
        for (int x = 45; x <= 135; x++) {
            before[84 * w + x] = true;
        }
        int[] label = new int[w * 200];
        label[10 * w + 40] = 1; // the chosen mark's corners: box 40-140 x 10-90
        label[90 * w + 140] = 1;
        boolean[] chosen = {true};
        boolean[] own = SignatureFinder.pensLines(before, label, chosen, List.of(loop), w, 200, 3, 60);
        assertTrue(own != null && own[84 * w + 90], "the loop's run, the line resting 24 rows above it");
        assertTrue(SignatureFinder.pensLines(before, label, chosen, List.of(loop), w, 200, 3, 84) == null, "the line it rests on");
    }

    /** Where the tilted line's top edge lies at column x (the line is 7 px thick). */
    private static double lineTop(double x) {
        return 300 + Math.tan(Math.toRadians(5)) * (x - 100) - 3;
    }

    /** A 5-degree line and two zigzag words on it (500-650, 750-1100), each raised by its gap above the line's top. */
    private static GrayImage tiltedLineWithTwoWords(int leftGap, int rightGap) {
        GrayImage page = GrayImage.blank(1600, 900);
        for (int x = 100; x <= 1500; x++) {
            double y = lineTop(x) + 3;
            for (int d = -3; d <= 3; d++) {
                page.set(x, (int) Math.round(y) + d, 0f);
            }
        }
        int[][] words = {{500, 650, leftGap}, {750, 1100, rightGap}};
        for (int[] word : words) {
            for (int x = word[0]; x < word[1]; x += 25) {
                // Down from the word's top to a valley on its base (the stroke's lowest pixel one above the gap), up.
                double base = lineTop(x + 12) - word[2] - 3;
                paint(page, x, base - 150, x + 12, base, 2);
                paint(page, x + 12, base, x + 25, base - 150, 2);
            }
        }
        return page;
    }

    private static void paint(GrayImage page, double x0, double y0, double x1, double y1, int r) {
        int n = (int) Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0)));
        for (int i = 0; i <= n; i++) {
            int cx = (int) Math.round(x0 + (x1 - x0) * i / n);
            int cy = (int) Math.round(y0 + (y1 - y0) * i / n);
            for (int dy = -r; dy <= r; dy++) {
                for (int dx = -r; dx <= r; dx++) {
                    page.set(cx + dx, cy + dy, 0f);
                }
            }
        }
    }

    /**
     * A full stop after the name (a pen's dot, a stroke wide or more) within two strokes of the signature's box and
     * its rows is the signature's; a fleck of dust as close is not, nor a dot further off, nor a sliver longer than
     * three strokes or one cell thick. Mutations caught: the rule dropped (the full stop is lost), the size test
     * dropped (the fleck joins), the distance test loosened to three strokes (the far dot joins), the length cap
     * dropped (the long sliver), the thickness test dropped (the thin sliver).
     */
    @Test
    void aFullStopBesideTheNameIsTheSignaturesAFleckIsNot() {
        int w = 300;
        int h = 300;
        boolean[] mask = new boolean[w * h];
        int[] xs = {40, 55, 70, 85, 100};                  // the name, rows 5-44
        for (int i = 0; i + 1 < xs.length; i++) {
            stroke(mask, w, xs[i], i % 2 == 0 ? 6 : 43, xs[i + 1], i % 2 == 0 ? 43 : 6, 1);
        }
        fill(mask, w, 105, 38, 108, 41);                  // the full stop: 4 x 4 cells, 4 after the name's box (x 39-101)
        fill(mask, w, 34, 20, 35, 21);                    // a fleck, 2 x 2, 4 cells before it
        fill(mask, w, 27, 30, 30, 33);                    // a dot 9 cells before it
        fill(mask, w, 105, 20, 114, 21);                  // a sliver 10 cells long beside the name: no dot
        fill(mask, w, 105, 28, 113, 28);                  // a sliver one cell thick: no dot either
        int[] label = new int[w * h];
        List<SignatureFinder.Mark> marks = SignatureFinder.label(mask, w, h, label);
        boolean[] chosen = SignatureFinder.choose(marks, 3.0, w, h, new Rectangle(0, 0, w, h), new java.util.ArrayList<>());
        assertTrue(chosen[markAt(marks, label, w, 40, 6).id - 1], "the name");
        assertTrue(chosen[markAt(marks, label, w, 105, 38).id - 1], "the full stop");
        assertFalse(chosen[markAt(marks, label, w, 34, 20).id - 1], "the fleck");
        assertFalse(chosen[markAt(marks, label, w, 27, 30).id - 1], "the far dot");
        assertFalse(chosen[markAt(marks, label, w, 114, 20).id - 1], "the long sliver");
        assertFalse(chosen[markAt(marks, label, w, 113, 28).id - 1], "the thin sliver");
    }

    private static void fill(boolean[] mask, int w, int x0, int y0, int x1, int y1) {
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                mask[y * w + x] = true;
            }
        }
    }

    /** A {@code w} x {@code h} mask with a printed line 3 cells thick at rows 30-32. */
    private static boolean[] printedLine(int w, int h) {
        boolean[] m = new boolean[w * h];
        for (int x = 0; x < w; x++) {
            for (int y = 30; y < 33; y++) {
                m[y * w + x] = true;
            }
        }
        return m;
    }
}
