package org.inkwell.model;

import org.inkwell.data.GrayImage;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the handwriting on a cleaned page or photo: what the model kept that is printed text, a printed line, the
 * page edge or a speck is not signature. Works on the ink probabilities at a reduced resolution (at most
 * {@value #WORK_SIDE} px a side), in the page's own frame (its tilt measured from the printed lines and text), then
 * measures the chosen marks' box at full resolution.
 *
 * <ol>
 *   <li>Tilt: the angle within +-{@value #MAX_TILT} degrees at which the ink's projection is sharpest (text rows and
 *       printed lines line up); the page is read rotated back by it.</li>
 *   <li>Printed lines: straight runs longer than {@value #LINE_STROKES} stroke widths and 6 % of the side, across or
 *       down the page (form lines, table rules, the page edge), read on two neighbouring rows together (a thin
 *       line steps between them).</li>
 *   <li>Marks: 8-connected groups of what is left. Specks are smaller than a few stroke widths; printed text is a
 *       row of three or more marks of similar height with regular gaps.</li>
 *   <li>The signature: the group of remaining marks, close to each other, with the most ink; marks inside its box
 *       (i-dots, a separate initial) join it.</li>
 * </ol>
 */
public final class SignatureFinder {
    static final int WORK_SIDE = 2000;
    static final double MAX_TILT = 8;
    static final int LINE_STROKES = 25;
    /** How much sharper than the level page's the row profile must be at an angle for the page to count as tilted. */
    static final double TILT_EVIDENCE = 1.15;

    /**
     * Where the signature is: {@code box} in the input's pixels (tight around its ink, no margin), {@code tilt} the
     * page's tilt in degrees (positive: clockwise as seen), {@code found} false when nothing looked like handwriting
     * (then {@code box} is all the ink, or the whole image when there is none).
     */
    public record Result(Rectangle box, double tilt, boolean found, Keep keep) {
        public Result(Rectangle box, double tilt, boolean found) {
            this(box, tilt, found, null);
        }

        /**
         * A copy of {@code probs} where the ink that is not the signature (printed lines and text, specks, the page
         * edge) is paper: the signature's own marks and what touches them (where a stroke crossed a printed line)
         * stay. {@code probs} itself when nothing was found.
         */
        public GrayImage isolate(GrayImage probs, double threshold) {
            if (keep == null || !found) {
                return probs;
            }
            GrayImage out = probs.copy();
            float[] p = out.pixels();
            int w = probs.width();
            for (int i = 0; i < p.length; i++) {
                if (p[i] < 1f && !keep.test(i % w, i / w)) {
                    p[i] = 1f;
                }
            }
            return out;
        }

        /** The box grown by {@code margin} on every side, clipped to a {@code w x h} image. */
        public Rectangle withMargin(int margin, int w, int h) {
            int x0 = (int) Math.max(0, (long) box.x - margin);
            int y0 = (int) Math.max(0, (long) box.y - margin);
            int x1 = (int) Math.min(w, (long) box.x + box.width + margin);
            int y1 = (int) Math.min(h, (long) box.y + box.height + margin);
            return new Rectangle(x0, y0, x1 - x0, y1 - y0);
        }
    }

    private SignatureFinder() {
    }

    /** {@code probs}: paper probability per pixel (0 ink, 1 paper); a pixel is ink below {@code threshold}. */
    public static Result find(GrayImage probs, double threshold) {
        return find(probs, null, threshold);
    }

    /**
     * As {@link #find(GrayImage, double)}, with the scan or photo the probabilities came from (same size): the sheet
     * of paper is found in it, and what the model kept outside the sheet (a table, a dark background) is ignored.
     */
    public static Result find(GrayImage probs, GrayImage scan, double threshold) {
        Found onSheet = find(probs, scan, threshold, true);
        if (scan == null || onSheet.sheet() == null) {
            return onSheet.result();
        }
        // A hard shadow across the sheet can pass for the table, and the signature in it is then left out: look on
        // the whole picture too, and take what it finds when nothing was found on the sheet, or when it found far
        // more ink (a signature where the sheet search settled for a speck) within the sheet's extent.
        Found whole = find(probs, scan, threshold, false);
        if (!onSheet.result().found()) {
            return whole.result();
        }
        Rectangle b = whole.result().box();
        // Within the sheet's extent, grown by half its size each way (the shadowed part of the sheet lies beyond the
        // lit part that was detected, but not far beyond it).
        Rectangle sheet = onSheet.sheet();
        Rectangle extent = new Rectangle(sheet.x - sheet.width / 2, sheet.y - sheet.height / 2, 2 * sheet.width, 2 * sheet.height);
        boolean onSheetsExtent = extent.contains(b.getCenterX(), b.getCenterY());
        // The sheet's own edge in the shadow is a long straight mark, not a signature.
        boolean lineLike = Math.max(b.width, b.height) > 8 * Math.min(b.width, b.height);
        // The shadowed part of a sheet is still paper, lit less: where much of what the model calls paper in the
        // find's box is below a fifth of the sheet's paper level (a dark table, with the texture the model kept of
        // it), it is not.
        boolean paper = darkShare(scan, probs, threshold, b, 0.2 * paperLevel(scan, sheet)) < 0.25;
        return whole.result().found() && onSheetsExtent && !lineLike && paper && whole.score() > 3 * onSheet.score()
                ? whole.result() : onSheet.result();
    }

    /** The scan's paper level in a box: the 90th percentile of a sample of its pixels. */
    static double paperLevel(GrayImage scan, Rectangle box) {
        float[] p = scan.pixels();
        List<Float> values = new ArrayList<>();
        if (!sample(scan, box, i -> values.add(p[i]))) {
            return 0;
        }
        java.util.Collections.sort(values);
        return values.get((int) (0.9 * (values.size() - 1)));
    }

    /** Of a sample of the pixels in a box that the model calls paper, the share darker than {@code level} in the scan. */
    static double darkShare(GrayImage scan, GrayImage probs, double threshold, Rectangle box, double level) {
        float[] s = scan.pixels();
        float[] p = probs.pixels();
        long[] paperAndDark = new long[2];
        boolean any = sample(scan, box, i -> {
            if (p[i] >= threshold) {
                paperAndDark[0]++;
                paperAndDark[1] += s[i] < level ? 1 : 0;
            }
        });
        // Nothing of the box on the picture, or nothing the model calls paper in it: not paper.
        return !any || paperAndDark[0] == 0 ? 1 : paperAndDark[1] / (double) paperAndDark[0];
    }

    /**
     * Visits a grid sample of about 40,000 pixel indices of the box within the picture; false when none of the box is
     * on it.
     */
    private static boolean sample(GrayImage scan, Rectangle box, java.util.function.IntConsumer pixel) {
        Rectangle r = box.intersection(new Rectangle(0, 0, scan.width(), scan.height()));
        if (r.isEmpty()) {
            return false;
        }
        int step = Math.max(1, (int) Math.sqrt((double) r.width * r.height / 40_000));
        for (int y = r.y; y < r.y + r.height; y += step) {
            for (int x = r.x; x < r.x + r.width; x += step) {
                pixel.accept(y * scan.width() + x);
            }
        }
        return true;
    }

    /** A search's result, its best group's score (ink, four times on a printed line) and the sheet's bounding box. */
    private record Found(Result result, double score, Rectangle sheet) {
    }

    private static Found find(GrayImage probs, GrayImage scan, double threshold, boolean useSheet) {
        int w = probs.width();
        int h = probs.height();
        int f = Math.max(1, (int) Math.ceil(Math.max(w, h) / (double) WORK_SIDE));
        int rw = (w + f - 1) / f;
        int rh = (h + f - 1) / f;
        boolean[] reduced = new boolean[rw * rh];
        float[] p = probs.pixels();
        int inkCount = 0;
        for (int y = 0; y < h; y++) {
            int ry = y / f;
            for (int x = 0; x < w; x++) {
                if (p[y * w + x] < threshold) {
                    int i = ry * rw + x / f;
                    if (!reduced[i]) {
                        reduced[i] = true;
                        inkCount++;
                    }
                }
            }
        }
        if (inkCount == 0) {
            return new Found(new Result(new Rectangle(0, 0, w, h), 0, false), 0, null);
        }
        // The sheet in a photo: what the model kept outside it (a table, a dark background) is not read at all.
        boolean[] sheetCells = null;
        Rectangle sheetBox = null;
        if (scan != null && scan.width() == w && scan.height() == h) {
            boolean[] sheet = useSheet ? Page.find(scan) : null;
            if (sheet != null) {
                sheetCells = new boolean[rw * rh];
                int g = Page.cell(scan);
                int gw = (w + g - 1) / g;
                for (int ry = 0; ry < rh; ry++) {
                    for (int rx = 0; rx < rw; rx++) {
                        boolean on = sheet[(ry * f / g) * gw + rx * f / g];
                        sheetCells[ry * rw + rx] = on;
                        reduced[ry * rw + rx] &= on;
                        if (on) {
                            Rectangle cell = new Rectangle(rx * f, ry * f, f, f);
                            sheetBox = sheetBox == null ? cell : sheetBox.union(cell);
                        }
                    }
                }
            }
        }
        double tilt = tilt(reduced, rw, rh);
        Frame frame = new Frame(rw, rh, tilt);
        boolean[] mask = frame.rotate(reduced);
        int fw = frame.width;
        int fh = frame.height;
        double stroke = strokeWidth(mask, fw, fh);
        int[] label = new int[fw * fh];
        // The page's surroundings: a mark that spans most of the frame both ways (the table around a photographed
        // sheet, read as ink) goes, with everything outside it and close to it.
        Rectangle page = removeSurroundings(mask, fw, fh, label);
        boolean[] onPage = sheetCells == null ? null : frame.rotate(sheetCells);
        boolean[] beforeLines = mask.clone();
        List<int[]> lines = removeLines(mask, fw, fh, stroke);
        boolean[] textCells = null;
        if (scan != null && scan.width() == w && scan.height() == h) {
            // The model may erase a thin printed line that the scan still shows: find lines in the scan too.
            boolean[] dark = frame.rotate(darkerThanPaper(scan, f, rw, rh));
            boolean[] scanLines = new boolean[fw * fh];
            lines.addAll(removeLines(dark, fw, fh, stroke, scanLines));
            // What the model kept of a thin line the scan shows is line too: the model may leave it in pieces that
            // no run reads as a line (a row above or below, where the two were thresholded apart). A dark band
            // thicker than two strokes (a hard shadow's edge, the table beside the sheet) is not a printed line.
            clearThinLines(mask, scanLines, fw, fh, Math.max(2, (int) Math.ceil(2 * stroke)));
            // ... and printed text, which the model may have worn down to fragments that no longer read as a row.
            if (onPage != null) {
                for (int i = 0; i < dark.length; i++) {
                    dark[i] &= onPage[i];
                }
            }
            int[] darkLabel = new int[fw * fh];
            List<Mark> darkMarks = label(dark, fw, fh, darkLabel);
            List<Mark> printed = new ArrayList<>();
            for (Mark m : darkMarks) {
                if (m.area >= Math.max(6, 2.5 * stroke * stroke) && m.width() < 0.5 * fw && m.height() < 0.5 * fh) {
                    printed.add(m);
                }
            }
            markText(printed, lines, stroke);
            textCells = new boolean[fw * fh];
            for (int i = 0; i < darkLabel.length; i++) {
                // Letters and short words only: a pen stroke that touches a caption in the scan is not text.
                Mark d = darkLabel[i] > 0 ? darkMarks.get(darkLabel[i] - 1) : null;
                textCells[i] = d != null && d.text && d.width() <= 3 * d.height();
            }
        }
        Arrays.fill(label, 0);
        List<Mark> marks = label(mask, fw, fh, label);
        if (textCells != null) {
            int[] onText = new int[marks.size()];
            for (int i = 0; i < label.length; i++) {
                if (label[i] > 0 && textCells[i]) {
                    onText[label[i] - 1]++;
                }
            }
            for (Mark m : marks) {
                m.printed = onText[m.id - 1] * 2 > m.area;
            }
        }
        double[] score = new double[2];
        boolean[] chosen = choose(marks, stroke, fw, fh, page, lines, score);
        if (DEBUG != null) {
            debug(mask, label, marks, chosen, fw, fh);
        }
        boolean any = false;
        for (boolean c : chosen) {
            any |= c;
        }
        if (!any) {
            Rectangle all = inkBox(probs, threshold, (x, y) -> true);
            return new Found(new Result(all == null ? new Rectangle(0, 0, w, h) : all, tilt, false), 0, sheetBox);
        }
        // A pen stroke drawn along the printed line (an underline's tail) went with the line: where the line is
        // thicker than itself next to the signature, that stretch is the pen's.
        boolean[] tail = Double.isNaN(score[1]) ? null
                : strokesAlongLine(beforeLines, label, chosen, fw, fh, (int) score[1], stroke);
        // A flat stroke of the pen's own (a loop's bottom) that was read as a line and removed is the signature's.
        boolean[] own = pensLines(beforeLines, label, chosen, lines, fw, fh, stroke, score[1]);
        if (own != null && tail != null) {
            for (int i = 0; i < own.length; i++) {
                own[i] |= tail[i];
            }
        }
        boolean[] alongLine = own != null ? own : tail;
        // Full resolution: the ink pixels whose reduced, rotated cell belongs to a chosen mark.
        Rectangle box = inkBox(probs, threshold, (x, y) -> {
            int cell = frame.cellOf(x / f, y / f);
            if (cell < 0) {
                return false;
            }
            int l = label[cell];
            return l > 0 && chosen[l - 1] || alongLine != null && alongLine[cell];
        });
        // The signature's cells grown by a stroke: where its strokes crossed a removed line they stay joined.
        int grow = (int) Math.ceil(stroke) + 1;
        boolean[] sig = new boolean[fw * fh];
        for (int i = 0; i < label.length; i++) {
            // The underline's tail along the line too (with the line under it there: the two are one ink there).
            sig[i] = label[i] > 0 && chosen[label[i] - 1] || alongLine != null && alongLine[i];
        }
        boolean[] grown = dilate(sig, fw, fh, grow);
        Keep keep = (x, y) -> {
            int cell = frame.cellOf(x / f, y / f);
            return cell >= 0 && grown[cell];
        };
        if (box != null && !Double.isNaN(score[1])) {
            // Resting on a printed line: the pen's strokes along the line are hidden in it, so the box reaches down
            // through the line (the isolated result still leaves the line itself out), in each column where the
            // signature comes down to the line (read in the page's frame: on a tilted page the line is not level in
            // the picture, and where the signature stays above it, nothing of it is hidden there).
            int lineY = (int) score[1];
            int[] lowest = new int[fw];
            Arrays.fill(lowest, -1);
            for (int i = 0; i < label.length; i++) {
                if (label[i] > 0 && chosen[label[i] - 1]) {
                    lowest[i % fw] = Math.max(lowest[i % fw], i / fw);
                }
            }
            int bottom = box.y + box.height;
            for (int u = 0; u < fw; u++) {
                int below = lineY - lowest[u] + 1;
                if (lowest[u] >= 0 && below > 0 && below <= 3 * stroke + 3) {
                    double[] at = frame.toSource(u + 0.5, lineY + 1);
                    bottom = Math.max(bottom, (int) Math.round(at[1] * f));
                }
            }
            box = new Rectangle(box.x, box.y, box.width, Math.min(h, bottom) - box.y);
        }
        return new Found(new Result(box == null ? new Rectangle(0, 0, w, h) : box, tilt, box != null, keep), score[0], sheetBox);
    }

    private static boolean[] dilate(boolean[] m, int w, int h, int r) {
        float[] v = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            v[i] = m[i] ? 1 : 0;
        }
        float[] d = org.inkwell.data.Filters.maxFilter(v, w, h, r);
        boolean[] out = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = d[i] > 0.5f;
        }
        return out;
    }

    /**
     * The cells of the printed line at row {@code lineY} (found in {@code before}, the mask before the lines were
     * removed) where it is thicker than its median thickness beside the signature by half a stroke or more, in a run that continues
     * the chosen marks sideways (gaps of up to two strokes): the pen drawn along the line. Null when there are none.
     */
    static boolean[] strokesAlongLine(boolean[] before, int[] label, boolean[] chosen, int w, int h, int lineY, double stroke) {
        int band = (int) Math.ceil(2 * stroke) + 1;
        int top = Math.max(0, lineY - 2 * band);
        int bottom = Math.min(h - 1, lineY + band);
        int minX = Integer.MAX_VALUE;
        int maxX = -1;
        for (int i = 0; i < label.length; i++) {
            if (label[i] > 0 && chosen[label[i] - 1]) {
                minX = Math.min(minX, i % w);
                maxX = Math.max(maxX, i % w);
            }
        }
        if (maxX < 0) {
            return null;
        }
        int[] thickness = new int[w];
        List<Integer> present = new ArrayList<>();
        for (int x = 0; x < w; x++) {
            // The vertical run through the line's row: the line's own cells and what touches them.
            int y0 = lineY;
            while (y0 >= top && !before[y0 * w + x]) {
                y0 = y0 == lineY ? lineY - 1 : y0 - 1;
                if (lineY - y0 > 1) {
                    break;
                }
            }
            if (y0 < top || !before[y0 * w + x]) {
                continue;
            }
            int a = y0;
            while (a - 1 >= top && before[(a - 1) * w + x]) {
                a--;
            }
            int b = y0;
            while (b + 1 <= bottom && before[(b + 1) * w + x]) {
                b++;
            }
            thickness[x] = b - a + 1;
            if (x < minX || x > maxX) {
                present.add(thickness[x]); // the line's own thickness is read beside the signature, not under it
            }
        }
        if (present.size() < 3) {
            return null;
        }
        java.util.Collections.sort(present);
        int usual = present.get(present.size() / 2);
        int thick = usual + (int) Math.max(1, Math.round(stroke / 2));
        int maxGap = (int) Math.ceil(2 * stroke);
        boolean[] out = new boolean[w * h];
        boolean any = false;
        for (int dir = -1; dir <= 1; dir += 2) {
            int gap = 0;
            int last = -1;
            for (int x = dir < 0 ? minX - 1 : maxX + 1; x >= 0 && x < w && gap <= maxGap; x += dir) {
                if (thickness[x] >= thick) {
                    gap = 0;
                    any = true;
                    last = x;
                    for (int y = top; y <= bottom; y++) {
                        out[y * w + x] = before[y * w + x];
                    }
                } else {
                    gap++;
                }
            }
            // The pen lifts off gradually: past the last clearly thicker column, the line stays a little thicker
            // for up to two strokes.
            for (int x = last + dir, k = 0; last >= 0 && x >= 0 && x < w && k < maxGap && thickness[x] > usual; x += dir, k++) {
                for (int y = top; y <= bottom; y++) {
                    out[y * w + x] = before[y * w + x];
                }
            }
        }
        return any ? out : null;
    }

    /** A file prefix: each call writes a picture of its marks there (red chosen, blue text, green candidates). */
    static final String DEBUG = System.getProperty("inkwell.finderDebug");

    private static void debug(boolean[] mask, int[] label, List<Mark> marks, boolean[] chosen, int w, int h) {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < mask.length; i++) {
            int rgb = 0xFFFFFF;
            if (label[i] > 0) {
                Mark m = marks.get(label[i] - 1);
                rgb = chosen[label[i] - 1] ? 0xFF0000 : m.text ? 0x0000FF : m.candidate ? 0x00A000 : 0x808080;
            }
            img.setRGB(i % w, i / w, rgb);
        }
        try {
            javax.imageio.ImageIO.write(img, "png", new java.io.File(DEBUG + "-" + System.nanoTime() + ".png"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Removes a mark that spans over half the frame both ways; returns the box inside it, or the frame. */
    static Rectangle removeSurroundings(boolean[] mask, int w, int h, int[] label) {
        List<Mark> all = label(mask, w, h, label);
        Mark frame = null;
        for (Mark m : all) {
            if (m.width() > 0.5 * w && m.height() > 0.5 * h && (frame == null || m.area > frame.area)) {
                frame = m;
            }
        }
        if (frame == null) {
            return new Rectangle(0, 0, w, h);
        }
        for (int i = 0; i < mask.length; i++) {
            if (label[i] == frame.id) {
                mask[i] = false;
            }
        }
        // Inside the frame, away from its edge by 2 % of its size.
        int mx = (int) Math.ceil(0.02 * frame.width());
        int my = (int) Math.ceil(0.02 * frame.height());
        return new Rectangle(frame.minX + mx, frame.minY + my, frame.width() - 2 * mx, frame.height() - 2 * my);
    }

    /** Whether a full-resolution pixel lies on the signature's marks (grown by a stroke's width). */
    public interface Keep {
        boolean test(int x, int y);
    }

    private interface PixelTest {
        boolean test(int x, int y);
    }

    private static Rectangle inkBox(GrayImage probs, double threshold, PixelTest keep) {
        int w = probs.width();
        float[] p = probs.pixels();
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < probs.height(); y++) {
            for (int x = 0; x < w; x++) {
                if (p[y * w + x] < threshold && keep.test(x, y)) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return maxX < 0 ? null : new Rectangle(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    /** The angle (degrees) at which the ink's row profile is sharpest: text rows and printed lines line up. */
    static double tilt(boolean[] m, int w, int h) {
        int n = 0;
        for (boolean b : m) {
            n += b ? 1 : 0;
        }
        int step = Math.max(1, n / 150_000);
        int[] xs = new int[n / step + 1];
        int[] ys = new int[n / step + 1];
        int k = 0;
        int seen = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] && seen++ % step == 0 && k < xs.length) {
                xs[k] = i % w;
                ys[k] = i / w;
                k++;
            }
        }
        double best = 0;
        double bestScore = -1;
        double level = 0;
        int bins = (int) (Math.hypot(w, h) + 2);
        long[] hist = new long[bins * 2];
        for (double a = -MAX_TILT; a <= MAX_TILT + 1e-9; a += 0.25) {
            double s = Math.sin(Math.toRadians(a));
            double c = Math.cos(Math.toRadians(a));
            Arrays.fill(hist, 0);
            for (int i = 0; i < k; i++) {
                int b = (int) Math.round(-xs[i] * s + ys[i] * c) + bins;
                hist[b]++;
            }
            double score = 0;
            for (long v : hist) {
                score += (double) v * v;
            }
            if (Math.abs(a) < 1e-9) {
                level = score;
            }
            if (score > bestScore * (1 + 1e-9)) {
                bestScore = score;
                best = a;
            }
        }
        // Text rows and printed lines sharpen the profile a lot at their angle; a lone signature, a toner band or an
        // empty page barely does: no tilt is claimed unless it beats the level page clearly.
        return bestScore >= TILT_EVIDENCE * level ? best : 0;
    }

    /** The reduced mask rotated by -tilt, with the mapping back. */
    private static final class Frame {
        final int srcW;
        final int srcH;
        final int width;
        final int height;
        final double sin;
        final double cos;
        final int[] cellOfSource;

        Frame(int srcW, int srcH, double tiltDegrees) {
            this.srcW = srcW;
            this.srcH = srcH;
            double a = Math.toRadians(tiltDegrees);
            sin = Math.sin(a);
            cos = Math.cos(a);
            width = (int) Math.ceil(Math.abs(srcW * cos) + Math.abs(srcH * sin)) + 1;
            height = (int) Math.ceil(Math.abs(srcW * sin) + Math.abs(srcH * cos)) + 1;
            cellOfSource = new int[srcW * srcH];
            for (int y = 0; y < srcH; y++) {
                for (int x = 0; x < srcW; x++) {
                    int u = (int) Math.round(toU(x, y));
                    int v = (int) Math.round(toV(x, y));
                    cellOfSource[y * srcW + x] = u >= 0 && v >= 0 && u < width && v < height ? v * width + u : -1;
                }
            }
        }

        // The frame's axes follow the page: u along its rows, v down its columns, both centred.
        double toU(double x, double y) {
            double dx = x - srcW / 2.0;
            double dy = y - srcH / 2.0;
            return dx * cos + dy * sin + width / 2.0;
        }

        double toV(double x, double y) {
            double dx = x - srcW / 2.0;
            double dy = y - srcH / 2.0;
            return -dx * sin + dy * cos + height / 2.0;
        }

        /** The reduced picture's point at frame position (u, v). */
        double[] toSource(double u, double v) {
            double du = u - width / 2.0;
            double dv = v - height / 2.0;
            return new double[]{du * cos - dv * sin + srcW / 2.0, du * sin + dv * cos + srcH / 2.0};
        }

        int cellOf(int x, int y) {
            return x < srcW && y < srcH ? cellOfSource[y * srcW + x] : -1;
        }

        boolean[] rotate(boolean[] src) {
            boolean[] out = new boolean[width * height];
            for (int i = 0; i < src.length; i++) {
                if (src[i] && cellOfSource[i] >= 0) {
                    out[cellOfSource[i]] = true;
                }
            }
            // Forward mapping leaves pinholes inside strokes at some angles: close them (a cell between two inked
            // neighbours in a row or a column).
            boolean[] closed = out.clone();
            for (int y = 1; y < height - 1; y++) {
                for (int x = 1; x < width - 1; x++) {
                    int i = y * width + x;
                    if (!out[i] && ((out[i - 1] && out[i + 1]) || (out[i - width] && out[i + width]))) {
                        closed[i] = true;
                    }
                }
            }
            return closed;
        }
    }

    /** Reduced cells of the scan clearly darker than the paper around them (local maximum within 8 cells). */
    static boolean[] darkerThanPaper(GrayImage scan, int f, int rw, int rh) {
        float[] mean = new float[rw * rh];
        int[] count = new int[rw * rh];
        float[] p = scan.pixels();
        int w = scan.width();
        for (int y = 0; y < scan.height(); y++) {
            for (int x = 0; x < w; x++) {
                int i = (y / f) * rw + x / f;
                mean[i] += p[y * w + x];
                count[i]++;
            }
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= count[i];
        }
        float[] paper = org.inkwell.data.Filters.maxFilter(mean, rw, rh, 8);
        boolean[] dark = new boolean[mean.length];
        for (int i = 0; i < mean.length; i++) {
            dark[i] = mean[i] < 0.8f * paper[i];
        }
        return dark;
    }

    /** The median length of horizontal ink runs: the typical stroke width, in reduced pixels. */
    static double strokeWidth(boolean[] m, int w, int h) {
        int[] counts = new int[64];
        for (int y = 0; y < h; y++) {
            int run = 0;
            for (int x = 0; x <= w; x++) {
                if (x < w && m[y * w + x]) {
                    run++;
                } else if (run > 0) {
                    counts[Math.min(63, run)]++;
                    run = 0;
                }
            }
        }
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        long half = 0;
        for (int i = 1; i < counts.length; i++) {
            half += counts[i];
            if (half * 2 >= total) {
                return Math.max(1, i);
            }
        }
        return 1;
    }

    /** Clears straight runs across (rows) and down (columns) the frame that are far longer than any stroke. */
    static List<int[]> removeLines(boolean[] m, int w, int h, double stroke) {
        return removeLines(m, w, h, stroke, null);
    }

    /** As {@link #removeLines(boolean[], int, int, double)}, marking the lines' cells in {@code lineCells} if given. */
    static List<int[]> removeLines(boolean[] m, int w, int h, double stroke, boolean[] lineCells) {
        List<int[]> across = new ArrayList<>();
        boolean[] line = new boolean[m.length];
        int minAcross = (int) Math.max(LINE_STROKES * stroke, 0.06 * w);
        int minDown = (int) Math.max(LINE_STROKES * stroke, 0.06 * h);
        // A thin line read at an angle, or worn by the model, steps between two rows (or columns) with a gap in
        // each where it steps: runs are read on two neighbouring rows (columns) together.
        bandRuns(m, h, w, (r, c) -> r * w + c, minAcross, line, across);
        bandRuns(m, w, h, (r, c) -> c * w + r, minDown, line, new ArrayList<>());
        // A line's anti-aliased fringe: ink within a stroke above or below a line cell that does not have ink both
        // above and below it (a sliver, not a stroke crossing the line) goes with it.
        int fringe = (int) Math.ceil(stroke);
        for (int i = 0; i < m.length; i++) {
            if (line[i]) {
                m[i] = false;
                if (lineCells != null) {
                    lineCells[i] = true;
                }
            }
        }
        // Read on the mask as the lines left it: a stroke resting on the line is not worn away row by row.
        boolean[] left = m.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!line[y * w + x]) {
                    continue;
                }
                for (int d = 1; d <= fringe; d++) {
                    if (y - d >= 0 && left[(y - d) * w + x] && isolatedAbove(left, w, x, y - d)) {
                        m[(y - d) * w + x] = false;
                    }
                    if (y + d < h && left[(y + d) * w + x] && isolatedAbove(left, w, x, y + d)) {
                        m[(y + d) * w + x] = false;
                    }
                }
            }
        }
        return across;
    }

    /**
     * The runs along each row of {@code m} ({@code rows} rows of {@code len} cells, cell {@code c} of row {@code r}
     * at {@code index(r, c)}) read on the row and the next together: a run of {@code minLength} or more is a line.
     * Of its two rows, each that carries at least half of it is marked in {@code line} (a stroke resting on the line
     * is not line); {@code found} gets {row, start, end} with the row that carries more.
     */
    private static void bandRuns(boolean[] m, int rows, int len, java.util.function.IntBinaryOperator index, int minLength,
                                 boolean[] line, List<int[]> found) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int r = 0; r < rows; r++) {
            int r2 = Math.min(rows - 1, r + 1);
            int start = -1;
            int last = -1;
            for (int c = 0; c <= len; c++) {
                boolean ink = c < len && (m[index.applyAsInt(r, c)] || m[index.applyAsInt(r2, c)]);
                if (ink) {
                    start = start < 0 ? c : start;
                    last = c;
                    continue;
                }
                if (start < 0) {
                    continue;
                }
                int length = last - start + 1;
                if (length >= minLength) {
                    int here = 0;
                    int next = 0;
                    for (int k = start; k <= last; k++) {
                        here += m[index.applyAsInt(r, k)] ? 1 : 0;
                        next += m[index.applyAsInt(r2, k)] ? 1 : 0;
                    }
                    for (int k = start; k <= last; k++) {
                        line[index.applyAsInt(r, k)] |= m[index.applyAsInt(r, k)] && 2 * here >= length;
                        line[index.applyAsInt(r2, k)] |= m[index.applyAsInt(r2, k)] && 2 * next >= length;
                    }
                    int row = next > here ? r2 : r;
                    // A one-row line is read in both bands it lies in: listed once.
                    if (seen.add(((long) row * len + start) * len + last)) {
                        found.add(new int[]{row, start, last});
                    }
                }
                start = -1;
            }
        }
    }

    // A fringe cell has no ink above and below it both (it is a sliver, not part of a stroke crossing the line).
    private static boolean isolatedAbove(boolean[] m, int w, int x, int y) {
        int h = m.length / w;
        boolean up = y > 0 && m[(y - 1) * w + x];
        boolean down = y < h - 1 && m[(y + 1) * w + x];
        return !(up && down);
    }

    /** One 8-connected group of ink cells. */
    static final class Mark {
        final int id;
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        int area;
        boolean text;
        boolean candidate;
        /** Most of it lies on what the scan shows as printed text. */
        boolean printed;

        Mark(int id) {
            this.id = id;
        }

        int width() {
            return maxX - minX + 1;
        }

        int height() {
            return maxY - minY + 1;
        }

        double centreY() {
            return (minY + maxY) / 2.0;
        }

        double fill() {
            return area / (double) (width() * height());
        }
    }

    static List<Mark> label(boolean[] m, int w, int h, int[] label) {
        List<Mark> marks = new ArrayList<>();
        int[] stack = new int[m.length];
        for (int start = 0; start < m.length; start++) {
            if (!m[start] || label[start] != 0) {
                continue;
            }
            Mark mark = new Mark(marks.size() + 1);
            marks.add(mark);
            int top = 0;
            stack[top++] = start;
            label[start] = mark.id;
            while (top > 0) {
                int i = stack[--top];
                int x = i % w;
                int y = i / w;
                mark.area++;
                mark.minX = Math.min(mark.minX, x);
                mark.maxX = Math.max(mark.maxX, x);
                mark.minY = Math.min(mark.minY, y);
                mark.maxY = Math.max(mark.maxY, y);
                for (int dy = -1; dy <= 1; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        if (xx < 0 || xx >= w) {
                            continue;
                        }
                        int j = yy * w + xx;
                        if (m[j] && label[j] == 0) {
                            label[j] = mark.id;
                            stack[top++] = j;
                        }
                    }
                }
            }
        }
        return marks;
    }

    /** Which marks are the signature (indexed by mark id - 1). */
    static boolean[] choose(List<Mark> marks, double stroke, int w, int h, Rectangle page, List<int[]> lines) {
        return choose(marks, stroke, w, h, page, lines, new double[1]);
    }

    /** As above; {@code score[0]} receives the chosen group's score (its ink, four times when on a printed line). */
    static boolean[] choose(List<Mark> marks, double stroke, int w, int h, Rectangle page, List<int[]> lines, double[] scoreOut) {
        boolean[] chosen = new boolean[marks.size()];
        double speck = Math.max(6, 2.5 * stroke * stroke);
        List<Mark> big = new ArrayList<>();
        List<Mark> visible = new ArrayList<>();
        java.util.Set<Mark> blobs = new java.util.HashSet<>();
        java.util.Set<Mark> edges = uprightEdges(marks, stroke, h);
        for (Mark m : marks) {
            boolean tiny = m.area < speck || Math.max(m.width(), m.height()) < 2.5 * stroke;
            // A solid blob (a stain, a cluster of dust) is not a pen stroke.
            boolean blob = m.fill() > 0.6 && Math.max(m.width(), m.height()) > 3 * stroke;
            // What fills much of the frame is the page's surroundings, not writing.
            boolean huge = m.width() > 0.7 * w || m.height() > 0.7 * h;
            boolean outside = outside(m, page);
            // What the model kept of a printed line: a flat mark lying along one.
            if (!tiny && m.height() <= 3 * stroke + 2 && onLine(m, lines, stroke)) {
                continue;
            }
            // The sheet's edge (or its shadow's) in pieces: long, thin upright marks stacked in one column, much
            // taller together than a pen's stem; not a pen stroke (inside the signature's box a piece still joins it
            // below).
            if (edges.contains(m)) {
                continue;
            }
            if (!tiny && !huge && !outside) {
                visible.add(m);
                if (!blob) {
                    big.add(m);
                } else {
                    blobs.add(m);
                }
            }
        }
        // Rows are read with every letter in them, bold ones included.
        markText(visible, lines, stroke);
        List<Mark> candidates = new ArrayList<>();
        for (Mark m : big) {
            // Small handwriting in separate letters reads like a row of print; written over a printed line's span,
            // just above it, it is a candidate all the same (print sits beside a form's lines, not on them).
            if (!m.text || overLine(m, lines, stroke)) {
                m.candidate = true;
                candidates.add(m);
            }
        }
        if (candidates.isEmpty()) {
            return chosen;
        }
        // Group candidates that lie close together (a signature's separate strokes and names).
        int n = candidates.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                Mark a = candidates.get(i);
                Mark b = candidates.get(j);
                // Words of a signature sit side by side; what lies under it (a caption) is further down than across.
                int hMax = Math.max(a.height(), b.height());
                int dx = Math.max(0, Math.max(a.minX - b.maxX, b.minX - a.maxX));
                int dy = Math.max(0, Math.max(a.minY - b.maxY, b.minY - a.maxY));
                if (dx <= Math.max(3 * stroke, 0.8 * hMax) && dy <= Math.max(2 * stroke, 0.2 * hMax)
                        && !separatedByLine(a, b, lines, stroke)) {
                    parent[find(parent, i)] = find(parent, j);
                }
            }
        }
        double[] ink = new double[n];
        int[][] box = new int[n][];
        groupBoxes(candidates, parent, ink, box);
        // Words of one signature side by side, judged by the words' heights rather than their letters': groups on one
        // baseline (sharing 60 % of the shorter one's height, neither under 40 % of the other's) with a gap under
        // 0.8 of the taller one's height join. A root grows in place as it absorbs others; passes repeat while any
        // joined (a grown group may now reach one already passed), each pass O(n^2).
        for (boolean merged = true; merged; ) {
            merged = false;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n && box[i] != null; j++) {
                    if (j == i || box[j] == null || !sameLineWords(box[i], box[j], lines, stroke)) {
                        continue;
                    }
                    parent[j] = i;
                    box[i] = new int[]{Math.min(box[i][0], box[j][0]), Math.min(box[i][1], box[j][1]),
                            Math.max(box[i][2], box[j][2]), Math.max(box[i][3], box[j][3])};
                    ink[i] += ink[j];
                    box[j] = null;
                    ink[j] = 0;
                    merged = true;
                }
            }
        }
        // A signature is written on a line when the page has one: a group resting on a printed line counts more.
        int bestRoot = -1;
        double bestScore = -1;
        for (int i = 0; i < n; i++) {
            if (box[i] == null) {
                continue;
            }
            double score = ink[i] * (restsOnLine(box[i], lines, stroke) ? 4 : 1);
            if (score > bestScore) {
                bestScore = score;
                bestRoot = i;
            }
        }
        scoreOut[0] = bestScore;
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int i = 0; i < n; i++) {
            if (find(parent, i) == bestRoot) {
                Mark m = candidates.get(i);
                chosen[m.id - 1] = true;
                minX = Math.min(minX, m.minX);
                minY = Math.min(minY, m.minY);
                maxX = Math.max(maxX, m.maxX);
                maxY = Math.max(maxY, m.maxY);
            }
        }
        int[] line = lineUnder(new int[]{minX, minY, maxX, maxY}, lines, stroke);
        if (scoreOut.length >= 2) {
            // The line it rests on (a pen stroke along it is hidden in the line).
            scoreOut[1] = line == null ? Double.NaN : line[0];
        }
        if (line != null) {
            // Handwriting in small separate letters reads like a row of print, and a small word whose strokes ran
            // together reads like a blob; on the signature line, right beside the signature and above the line, such
            // marks are the rest of the signature. So is a letter whose top the line's removal cut off (it starts at
            // the line and reaches below it, taller than a sliver of the line, not what the photo shows as print:
            // print sits beside a form's lines, not across them), and a pen stroke under 40 % of the signature's
            // height, too small to pass for a word of its own (the last stroke's tail), up to a word's gap away.
            int height = maxY - minY + 1;
            double edge = stroke + 2;
            boolean grew = true;
            while (grew) {
                grew = false;
                for (Mark m : marks) {
                    boolean cut = m.minY >= line[0] - edge && m.minY <= line[0] + edge && m.maxY > line[0] + edge
                            && m.height() > 3 * stroke + 2 && !m.printed;
                    if (chosen[m.id - 1] || !(m.text || blobs.contains(m) || m.candidate) || outside(m, page)
                            || m.maxY > line[0] + edge && !cut || m.maxY < minY || !cut && m.minY > maxY) {
                        continue;
                    }
                    int dx = Math.max(0, Math.max(m.minX - maxX, minX - m.maxX));
                    boolean tail = m.candidate && m.height() < 0.4 * height;
                    if (dx <= (tail ? 0.8 : 0.5) * height) {
                        chosen[m.id - 1] = true;
                        minX = Math.min(minX, m.minX);
                        maxX = Math.max(maxX, m.maxX);
                        minY = Math.min(minY, m.minY);
                        grew = true;
                    }
                }
            }
        }
        // Small marks inside the signature's box (i-dots, a full stop, a detached accent) are part of it.
        double slack = stroke + 2;
        for (Mark m : marks) {
            if (m.width() > 0.7 * w || m.height() > 0.7 * h || outside(m, page)) {
                continue;
            }
            boolean inside = !m.text && m.minX >= minX && m.maxX <= maxX && m.minY >= minY && m.maxY <= maxY;
            // The strokes that cross the signature line are cut where the line was removed: the pieces that hang
            // from it under the signature are signature too, even where they line up with the caption below (a flat
            // remnant of the line only within the signature's width).
            // A flat piece may run on past the signature's last letter (an underline's tail, its end along the
            // line): it counts when most of it lies under the signature and it is a pen's stroke rather than what is
            // left of the printed line (a candidate of its own, and not one straight row).
            int overlap = Math.min(m.maxX, maxX) - Math.max(m.minX, minX) + 1;
            boolean hanging = line != null && m.minY <= line[0] + slack && m.maxY >= line[0] - slack
                    && (m.height() <= 3 * stroke + 2
                            ? m.minX >= minX && m.maxX <= maxX || m.candidate && m.height() > stroke + 2 && 2 * overlap >= m.width()
                            : overlap > 0);
            // A full stop after the name, or the last stroke's end broken off: a small mark beside the box, within
            // two strokes of it and its rows, a pen's dot rather than a fleck or a sliver (a stroke's area, nearly a
            // stroke's width across, no longer than three strokes), not what the photo shows as print.
            int side = Math.max(m.minX - maxX, minX - m.maxX);
            boolean beside = !m.text && !m.printed && side > 0 && side <= 2 * stroke && m.minY >= minY && m.maxY <= maxY
                    && m.area >= stroke * stroke && Math.min(m.width(), m.height()) >= stroke - 1
                    && Math.max(m.width(), m.height()) <= 3 * stroke;
            if (inside || hanging || beside) {
                chosen[m.id - 1] = true;
            }
        }
        return chosen;
    }

    /**
     * Long, thin upright marks (taller than six widths and ten strokes) whose column (centres within two strokes)
     * holds such marks at least 15 % of the frame's height tall in all: a straight edge, dashed where the model
     * erased parts of it. A pen's lone stem is not one.
     */
    static java.util.Set<Mark> uprightEdges(List<Mark> marks, double stroke, int h) {
        List<Mark> upright = new ArrayList<>();
        for (Mark m : marks) {
            if (m.height() > 6 * m.width() && m.height() > 10 * stroke) {
                upright.add(m);
            }
        }
        java.util.Set<Mark> edges = new java.util.HashSet<>();
        double near = Math.max(3, 2 * stroke);
        for (Mark m : upright) {
            double cx = (m.minX + m.maxX) / 2.0;
            long tall = 0;
            for (Mark o : upright) {
                if (Math.abs((o.minX + o.maxX) / 2.0 - cx) <= near) {
                    tall += o.height();
                }
            }
            if (tall >= 0.15 * h) {
                edges.add(m);
            }
        }
        return edges;
    }

    /**
     * Clears {@code mask} where {@code lines} runs down a column no more than {@code maxThickness} cells thick, and one
     * cell above and below such a run.
     */
    static void clearThinLines(boolean[] mask, boolean[] lines, int w, int h, int maxThickness) {
        for (int x = 0; x < w; x++) {
            int y = 0;
            while (y < h) {
                if (!lines[y * w + x]) {
                    y++;
                    continue;
                }
                int start = y;
                while (y < h && lines[y * w + x]) {
                    y++;
                }
                if (y - start <= maxThickness) {
                    for (int yy = Math.max(0, start - 1); yy <= Math.min(h - 1, y); yy++) {
                        mask[yy * w + x] = false;
                    }
                }
            }
        }
    }

    /** Two groups' boxes that read as words of one signature side by side (see {@code choose}). */
    private static boolean sameLineWords(int[] a, int[] b, List<int[]> lines, double stroke) {
        int ha = a[3] - a[1] + 1;
        int hb = b[3] - b[1] + 1;
        int dx = Math.max(0, Math.max(a[0] - b[2], b[0] - a[2]));
        int shared = Math.min(a[3], b[3]) - Math.max(a[1], b[1]) + 1;
        return dx <= 0.8 * Math.max(ha, hb) && shared >= 0.6 * Math.min(ha, hb)
                && Math.min(ha, hb) >= 0.4 * Math.max(ha, hb) && !separatedByLine(a, b, lines, stroke);
    }

    /** Each group's ink and box, at its root ({@code parent}'s representative); null elsewhere. */
    private static void groupBoxes(List<Mark> candidates, int[] parent, double[] ink, int[][] box) {
        Arrays.fill(ink, 0);
        Arrays.fill(box, null);
        for (int i = 0; i < candidates.size(); i++) {
            int r = find(parent, i);
            Mark m = candidates.get(i);
            ink[r] += m.area;
            box[r] = box[r] == null ? new int[]{m.minX, m.minY, m.maxX, m.maxY}
                    : new int[]{Math.min(box[r][0], m.minX), Math.min(box[r][1], m.minY),
                            Math.max(box[r][2], m.maxX), Math.max(box[r][3], m.maxY)};
        }
    }

    /** As {@link #separatedByLine(Mark, Mark, List, double)}, for two boxes (min x, min y, max x, max y). */
    static boolean separatedByLine(int[] a, int[] b, List<int[]> lines, double stroke) {
        // A stroke crossing the line is cut in two by its removal: those halves touch it and stay together.
        double slack = Math.max(2, 2 * stroke);
        for (int[] l : lines) {
            boolean spans = l[1] <= Math.max(a[0], b[0]) + 1 && l[2] >= Math.min(a[2], b[2]) - 1;
            boolean aAbove = a[3] < l[0] && b[1] > l[0] + slack;
            boolean bAbove = b[3] < l[0] && a[1] > l[0] + slack;
            if (spans && (aAbove || bAbove)) {
                return true;
            }
        }
        return false;
    }

    /** A mark within a printed line's span, its lower half reaching down to the line (written on it). */
    static boolean overLine(Mark m, List<int[]> lines, double stroke) {
        double slack = stroke + 2;
        for (int[] l : lines) {
            if (m.minX >= l[1] - slack && m.maxX <= l[2] + slack && l[0] >= m.maxY - m.height() / 2.0
                    && l[0] <= m.maxY + Math.max(slack, m.height() / 2.0)) {
                return true;
            }
        }
        return false;
    }

    /** One mark wholly above a printed line and the other wholly below it (a caption under a signature line). */
    static boolean separatedByLine(Mark a, Mark b, List<int[]> lines, double stroke) {
        return separatedByLine(new int[]{a.minX, a.minY, a.maxX, a.maxY}, new int[]{b.minX, b.minY, b.maxX, b.maxY}, lines, stroke);
    }

    static boolean onLine(Mark m, List<int[]> lines, double stroke) {
        double slack = stroke + 2;
        for (int[] l : lines) {
            if (m.minY >= l[0] - slack && m.maxY <= l[0] + slack && m.minX >= l[1] - slack && m.maxX <= l[2] + slack) {
                return true;
            }
        }
        return false;
    }

    /** A printed line under the box's lower part (or crossing it) that spans at least half its width. */
    static boolean restsOnLine(int[] box, List<int[]> lines, double stroke) {
        return lineUnder(box, lines, stroke) != null;
    }

    /**
     * The lowest such line, or null. A straight run of the pen's own (see {@link #pens(int[], int[], List, double)})
     * is passed over when a printed line lies under the box too; with none, the lowest run is the line (a short
     * printed line wholly under a wider signature).
     */
    static int[] lineUnder(int[] box, List<int[]> lines, double stroke) {
        int height = box[3] - box[1] + 1;
        int width = box[2] - box[0] + 1;
        int[] found = null;
        int[] lowest = null;
        for (int[] l : lines) {
            int overlap = Math.min(l[2], box[2]) - Math.max(l[1], box[0]) + 1;
            if (l[0] >= box[3] - height / 2 && l[0] <= box[3] + Math.max(3, height / 4) && overlap * 2 >= width) {
                lowest = lowest == null || l[0] > lowest[0] ? l : lowest;
                if (!pens(l, box, lines, stroke) && (found == null || l[0] > found[0])) {
                    found = l;
                }
            }
        }
        return found != null ? found : lowest;
    }

    /**
     * A straight run read as a line that ends within the box (min x, min y, max x, max y) at both sides, give or take
     * a twentieth of its width, with no run that reaches past the box on its rows (within two strokes and one: a
     * printed line a little off the page's tilt steps between rows): a flat loop or underline the pen drew, not a
     * printed line (that runs on past the signature, if in pieces).
     */
    static boolean pens(int[] line, int[] box, List<int[]> lines, double stroke) {
        int margin = Math.max(2, (box[2] - box[0] + 1) / 20);
        if (line[1] < box[0] - margin || line[2] > box[2] + margin) {
            return false;
        }
        for (int[] other : lines) {
            if (Math.abs(other[0] - line[0]) <= 2 * stroke + 1 && (other[1] < box[0] - margin || other[2] > box[2] + margin)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The cells of the runs removed as lines that were the pen's own (see {@link #pens(int[], int[], List, double)}) under or
     * within the chosen marks, read in {@code before} (the mask before the lines were removed), when the signature
     * rests on a printed line at row {@code lineY} more than two strokes away from them. Null when none.
     */
    static boolean[] pensLines(boolean[] before, int[] label, boolean[] chosen, List<int[]> lines, int w, int h, double stroke,
                               double lineY) {
        if (Double.isNaN(lineY)) {
            return null;
        }
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int i = 0; i < label.length; i++) {
            if (label[i] > 0 && chosen[label[i] - 1]) {
                minX = Math.min(minX, i % w);
                minY = Math.min(minY, i / w);
                maxX = Math.max(maxX, i % w);
                maxY = Math.max(maxY, i / w);
            }
        }
        if (maxX < 0) {
            return null;
        }
        int[] box = {minX, minY, maxX, maxY};
        int r = (int) Math.ceil(stroke);
        boolean[] out = null;
        for (int[] l : lines) {
            if (!pens(l, box, lines, stroke) || Math.abs(l[0] - lineY) <= 2 * stroke + 1 || l[0] < box[1] || l[0] > box[3] + 2 * r + 1) {
                continue;
            }
            for (int y = Math.max(0, l[0] - r); y <= Math.min(h - 1, l[0] + r + 1); y++) {
                for (int x = l[1]; x <= l[2]; x++) {
                    if (before[y * w + x]) {
                        out = out == null ? new boolean[w * h] : out;
                        out[y * w + x] = true;
                    }
                }
            }
        }
        return out;
    }

    static boolean outside(Mark m, Rectangle page) {
        return m.minX < page.x || m.minY < page.y || m.maxX >= page.x + page.width || m.maxY >= page.y + page.height;
    }

    /** Marks rows of three or more marks of similar height, side by side on one line, as printed text. */
    static void markText(List<Mark> marks, List<int[]> lines, double stroke) {
        int n = marks.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        // Sorted by left edge, each mark only looks a little way to its right.
        List<Mark> sorted = new ArrayList<>(marks);
        sorted.sort((a, b) -> Integer.compare(a.minX, b.minX));
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = marks.indexOf(sorted.get(i));
        }
        for (int i = 0; i < n; i++) {
            Mark a = sorted.get(i);
            for (int j = i + 1; j < n; j++) {
                Mark b = sorted.get(j);
                int hMax = Math.max(a.height(), b.height());
                if (b.minX - a.maxX > 1.2 * hMax) {
                    if (b.minX - a.maxX > 3 * hMax + 50) {
                        break;
                    }
                    continue;
                }
                // A flat mark many times longer than high is a pen's flourish or a rule, not a letter or a word.
                if (a.width() > 8 * a.height() || b.width() > 8 * b.height()) {
                    continue;
                }
                double ratio = (double) Math.max(a.height(), b.height()) / Math.min(a.height(), b.height());
                boolean sameLine = Math.abs(a.maxY - b.maxY) < 0.35 * hMax || Math.abs(a.centreY() - b.centreY()) < 0.3 * hMax;
                if (ratio < 2.2 && sameLine) {
                    parent[find(parent, index[i])] = find(parent, index[j]);
                }
            }
        }
        // Printed text: five or more marks in a row, or three or more letter-shaped ones (handwriting in a row is a
        // few wide, joined-up words).
        int[] size = new int[n];
        int[] letters = new int[n];
        for (int i = 0; i < n; i++) {
            size[find(parent, i)]++;
            Mark m = marks.get(i);
            if (m.width() <= 1.5 * m.height()) {
                letters[find(parent, i)]++;
            }
        }
        for (int i = 0; i < n; i++) {
            int r = find(parent, i);
            marks.get(i).text = size[r] >= 5 || (size[r] >= 3 && letters[r] * 2 > size[r]) || marks.get(i).printed;
        }
        // Body text sets the scale: a row of marks more than twice its height that rests on a printed line is
        // handwriting in separate letters, not text (a heading stays text).
        int[] heights = marks.stream().filter(m -> m.text).mapToInt(Mark::height).sorted().toArray();
        if (heights.length == 0) {
            return;
        }
        int body = heights[heights.length / 2];
        List<List<Integer>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(null);
        }
        for (int i = 0; i < n; i++) {
            int r = find(parent, i);
            if (rows.get(r) == null) {
                rows.set(r, new ArrayList<>());
            }
            rows.get(r).add(i);
        }
        // Two or more words of body-text height side by side (a caption whose letters ran together) are text too.
        for (List<Integer> row : rows) {
            if (row != null && row.size() >= 2 && row.stream().map(marks::get)
                    .allMatch(m -> m.height() <= 1.5 * body && m.width() <= 8 * m.height())) {
                row.forEach(i -> marks.get(i).text = true);
            }
        }
        for (List<Integer> row : rows) {
            if (row == null || !marks.get(row.get(0)).text) {
                continue;
            }
            int[] hs = row.stream().mapToInt(i -> marks.get(i).height()).sorted().toArray();
            int[] box = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
            for (int i : row) {
                Mark m = marks.get(i);
                box = new int[]{Math.min(box[0], m.minX), Math.min(box[1], m.minY), Math.max(box[2], m.maxX), Math.max(box[3], m.maxY)};
            }
            if (hs[hs.length / 2] > 2 * body && restsOnLine(box, lines, stroke)) {
                row.forEach(i -> marks.get(i).text = false);
            }
        }
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
