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
        FormPhotos.Sheet sheet = FormPhotos.sheet(14, 0.3, 1000);
        GrayImage page = ImageFiles.toGray(sheet.image());
        int off = 200;
        int w = page.width() + 2 * off;
        int h = page.height() + 2 * off;
        Rectangle truth = new Rectangle(sheet.signature());
        truth.translate(off, off);
        float[] probs = new float[w * h];
        float[] scan = new float[w * h];
        int shadowFrom = truth.y - 40;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean onPage = x >= off && y >= off && x < off + page.width() && y < off + page.height();
                float v = onPage ? page.get(x - off, y - off) : 1f; // the model reads the table as paper
                probs[y * w + x] = v;
                float lit = onPage ? 0.9f * v : 0.25f;
                scan[y * w + x] = y >= shadowFrom ? 0.4f * lit : lit;
            }
        }
        // A scribble in the lit margin: a small ring, more than a speck, nothing like print.
        int cx = off + 60;
        int cy = off + 60;
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
        assertTrue(r.withMargin(8, w, h).contains(truth) && extra(r.box(), truth) < 0.25, truth + " -> " + r.box());
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
        boolean[] before = new boolean[w * h];
        for (int x = 0; x < w; x++) {
            for (int y = 30; y < 33; y++) {
                before[y * w + x] = true; // the printed line, 3 cells thick
            }
        }
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
}
