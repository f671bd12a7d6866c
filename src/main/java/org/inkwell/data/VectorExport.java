package org.inkwell.data;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A cleaned signature as vector outlines with smooth curves, for SVG and PDF: the ink of the exported image (the
 * PNG the user saves: crop, straightening, erasures and colour included) is smoothed a little and traced at half
 * coverage with marching squares, so the outlines sit between pixels rather than on their staircase; each closed
 * outline is thinned (Douglas-Peucker, a third of a pixel) and drawn as Catmull-Rom cubic Beziers, filled even-odd
 * (holes in loops stay holes).
 * <p>Compared: Potrace (the reference tracer; C, GPL, no maintained Java port), ImageTracer for Java (public
 * domain, unmaintained since 2017, not on Maven Central) and Batik (draws SVG, does not trace). None fits a
 * desktop jar, so this tracer is Inkwell's own, tested by rendering its SVG with Batik and its PDF with PDFBox
 * against the PNG.
 */
public final class VectorExport {
    /** Thinning tolerance in pixels: well under the smoothing, so curves stay on the ink's edge. */
    static final double TOLERANCE = 0.33;

    private VectorExport() {
    }

    /** Ink coverage per pixel in [0, 1]: alpha for a transparent export, darkness for an opaque one. */
    static float[][] coverage(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        boolean alpha = img.getColorModel().hasAlpha();
        float[][] c = new float[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                float a = ((argb >>> 24) & 0xff) / 255f;
                float lum = (0.299f * ((argb >> 16) & 0xff) + 0.587f * ((argb >> 8) & 0xff) + 0.114f * (argb & 0xff)) / 255f;
                c[y][x] = alpha ? a * (lum < 0.98f ? 1 : 0) : 1 - lum;
            }
        }
        return c;
    }

    /** The ink's closed outlines in pixel coordinates, each as x0, y0, x1, y1, ... (the last point joins the first). */
    public static List<double[]> outlines(BufferedImage img) {
        float[][] c = coverage(img);
        int w = img.getWidth();
        int h = img.getHeight();
        // A 3x3 box over the coverage, one pixel of paper around it so every outline closes.
        float[][] s = new float[h + 2][w + 2];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        sum += yy < 0 || xx < 0 || yy >= h || xx >= w ? 0 : c[yy][xx] * (dx == 0 && dy == 0 ? 4 : dx == 0 || dy == 0 ? 2 : 1);
                    }
                }
                s[y + 1][x + 1] = sum / 16;
            }
        }
        return trace(s, 0.5f, -1, -1);
    }

    /**
     * Marching squares on samples {@code s} at pixel centres, iso-level {@code level}; sample (i, j) lies at pixel
     * (i + offX, j + offY). Saddles follow the cell's mean.
     */
    static List<double[]> trace(float[][] s, float level, int offX, int offY) {
        int rows = s.length;
        int cols = s[0].length;
        Map<Long, double[]> point = new HashMap<>();
        Map<Long, long[]> links = new HashMap<>();
        for (int j = 0; j + 1 < rows; j++) {
            for (int i = 0; i + 1 < cols; i++) {
                float tl = s[j][i];
                float tr = s[j][i + 1];
                float br = s[j + 1][i + 1];
                float bl = s[j + 1][i];
                int code = (tl > level ? 8 : 0) | (tr > level ? 4 : 0) | (br > level ? 2 : 0) | (bl > level ? 1 : 0);
                if (code == 0 || code == 15) {
                    continue;
                }
                long top = key(i, j, 0, cols);
                long bottom = key(i, j + 1, 0, cols);
                long left = key(i, j, 1, cols);
                long right = key(i + 1, j, 1, cols);
                point.putIfAbsent(top, new double[]{i + cross(tl, tr, level) + 0.5 + offX, j + 0.5 + offY});
                point.putIfAbsent(bottom, new double[]{i + cross(bl, br, level) + 0.5 + offX, j + 1.5 + offY});
                point.putIfAbsent(left, new double[]{i + 0.5 + offX, j + cross(tl, bl, level) + 0.5 + offY});
                point.putIfAbsent(right, new double[]{i + 1.5 + offX, j + cross(tr, br, level) + 0.5 + offY});
                boolean centre = (tl + tr + br + bl) / 4 > level;
                switch (code) {
                    case 1, 14 -> link(links, left, bottom);
                    case 2, 13 -> link(links, bottom, right);
                    case 3, 12 -> link(links, left, right);
                    case 4, 11 -> link(links, top, right);
                    case 6, 9 -> link(links, top, bottom);
                    case 7, 8 -> link(links, top, left);
                    case 5 -> {
                        if (centre) {
                            link(links, top, left);
                            link(links, bottom, right);
                        } else {
                            link(links, top, right);
                            link(links, left, bottom);
                        }
                    }
                    case 10 -> {
                        if (centre) {
                            link(links, top, right);
                            link(links, left, bottom);
                        } else {
                            link(links, top, left);
                            link(links, bottom, right);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        List<double[]> loops = new ArrayList<>();
        java.util.Set<Long> done = new java.util.HashSet<>();
        for (Long start : links.keySet()) {
            if (done.contains(start)) {
                continue;
            }
            List<double[]> pts = new ArrayList<>();
            long prev = Long.MIN_VALUE;
            long at = start;
            while (done.add(at)) {
                pts.add(point.get(at));
                long[] n = links.get(at);
                long next = n[0] != prev ? n[0] : n[1];
                prev = at;
                at = next;
            }
            if (pts.size() >= 3) {
                double[] flat = new double[pts.size() * 2];
                for (int k = 0; k < pts.size(); k++) {
                    flat[2 * k] = pts.get(k)[0];
                    flat[2 * k + 1] = pts.get(k)[1];
                }
                loops.add(thin(flat, TOLERANCE));
            }
        }
        return loops;
    }

    private static double cross(float a, float b, float level) {
        return a == b ? 0.5 : Math.max(0, Math.min(1, (level - a) / (b - a)));
    }

    private static long key(int i, int j, int dir, int cols) {
        return (((long) j * (cols + 1)) + i) * 2 + dir;
    }

    private static void link(Map<Long, long[]> links, long a, long b) {
        add(links, a, b);
        add(links, b, a);
    }

    private static void add(Map<Long, long[]> links, long from, long to) {
        long[] n = links.get(from);
        if (n == null) {
            links.put(from, new long[]{to, Long.MIN_VALUE});
        } else {
            n[1] = to;
        }
    }

    /** Douglas-Peucker on a closed outline, split at its first point and the point farthest from it. */
    static double[] thin(double[] loop, double tolerance) {
        int n = loop.length / 2;
        if (n < 8) {
            return loop;
        }
        int far = 0;
        double best = -1;
        for (int k = 1; k < n; k++) {
            double d = Math.hypot(loop[2 * k] - loop[0], loop[2 * k + 1] - loop[1]);
            if (d > best) {
                best = d;
                far = k;
            }
        }
        boolean[] keep = new boolean[n + 1];
        keep[0] = keep[far] = keep[n] = true;
        simplify(loop, 0, far, tolerance, keep);
        simplify(loop, far, n, tolerance, keep);
        List<Double> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (keep[k]) {
                out.add(loop[2 * k]);
                out.add(loop[2 * k + 1]);
            }
        }
        double[] r = new double[out.size()];
        for (int k = 0; k < r.length; k++) {
            r[k] = out.get(k);
        }
        return r;
    }

    private static void simplify(double[] p, int a, int b, double tol, boolean[] keep) {
        int n = p.length / 2;
        double ax = p[2 * (a % n)];
        double ay = p[2 * (a % n) + 1];
        double bx = p[2 * (b % n)];
        double by = p[2 * (b % n) + 1];
        double len = Math.hypot(bx - ax, by - ay);
        int worst = -1;
        double dmax = tol;
        for (int k = a + 1; k < b; k++) {
            double px = p[2 * k];
            double py = p[2 * k + 1];
            double d = len < 1e-12 ? Math.hypot(px - ax, py - ay) : Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / len;
            if (d > dmax) {
                dmax = d;
                worst = k;
            }
        }
        if (worst >= 0) {
            keep[worst] = true;
            simplify(p, a, worst, tol, keep);
            simplify(p, worst, b, tol, keep);
        }
    }

    /** Catmull-Rom through a closed outline's points as cubic Beziers: for each point, c1, c2 and the next point. */
    static double[][] beziers(double[] loop) {
        int n = loop.length / 2;
        double[][] segs = new double[n][];
        for (int k = 0; k < n; k++) {
            int p0 = (k - 1 + n) % n;
            int p1 = k;
            int p2 = (k + 1) % n;
            int p3 = (k + 2) % n;
            segs[k] = new double[]{
                    loop[2 * p1] + (loop[2 * p2] - loop[2 * p0]) / 6, loop[2 * p1 + 1] + (loop[2 * p2 + 1] - loop[2 * p0 + 1]) / 6,
                    loop[2 * p2] - (loop[2 * p3] - loop[2 * p1]) / 6, loop[2 * p2 + 1] - (loop[2 * p3 + 1] - loop[2 * p1 + 1]) / 6,
                    loop[2 * p2], loop[2 * p2 + 1]};
        }
        return segs;
    }

    /**
     * An SVG document of the image's ink in {@code inkRgb}: {@code widthMm} wide (its height in proportion), or
     * one unit a pixel at 96 dpi when 0.
     */
    public static String svg(BufferedImage img, int inkRgb, double widthMm) {
        int w = img.getWidth();
        int h = img.getHeight();
        StringBuilder d = new StringBuilder();
        for (double[] loop : outlines(img)) {
            d.append(String.format(Locale.ROOT, "M%.2f %.2f", loop[0], loop[1]));
            for (double[] c : beziers(loop)) {
                d.append(String.format(Locale.ROOT, "C%.2f %.2f %.2f %.2f %.2f %.2f", c[0], c[1], c[2], c[3], c[4], c[5]));
            }
            d.append('Z');
        }
        String size = widthMm > 0
                ? String.format(Locale.ROOT, "width=\"%.2fmm\" height=\"%.2fmm\"", widthMm, widthMm * h / w)
                : String.format(Locale.ROOT, "width=\"%d\" height=\"%d\"", w, h);
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" " + size + " viewBox=\"0 0 " + w + " " + h + "\">\n"
                + "<title>Signature cleaned by Inkwell</title>\n"
                + String.format(Locale.ROOT, "<path fill=\"#%06x\" fill-rule=\"evenodd\" d=\"%s\"/>%n", inkRgb & 0xffffff, d)
                + "</svg>\n";
    }

    /** Writes {@link #svg} atomically under the policy. */
    public static Path writeSvg(BufferedImage img, int inkRgb, double widthMm, Path target, OutputPolicy policy) throws IOException {
        byte[] bytes = svg(img, inkRgb, widthMm).getBytes(StandardCharsets.UTF_8);
        return policy.write(target, OutputPolicy.Kind.SVG, out -> out.write(bytes));
    }

    /**
     * A one-page PDF of the image's ink as filled vector outlines in {@code inkRgb}: the page is the signature,
     * {@code widthMm} wide (or a pixel per 1/96 inch when 0), transparent around the ink.
     */
    public static Path writePdf(BufferedImage img, int inkRgb, double widthMm, Path target, OutputPolicy policy) throws IOException {
        int w = img.getWidth();
        int h = img.getHeight();
        double scale = widthMm > 0 ? widthMm / 25.4 * 72 / w : 72.0 / 96;
        List<double[]> loops = outlines(img);
        return policy.write(target, OutputPolicy.Kind.PDF, out -> {
            try (PDDocument doc = new PDDocument()) {
                PDPage page = new PDPage(new PDRectangle((float) (w * scale), (float) (h * scale)));
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.setNonStrokingColor(new java.awt.Color(inkRgb & 0xffffff));
                    for (double[] loop : loops) {
                        cs.moveTo((float) (loop[0] * scale), (float) ((h - loop[1]) * scale));
                        for (double[] c : beziers(loop)) {
                            cs.curveTo((float) (c[0] * scale), (float) ((h - c[1]) * scale), (float) (c[2] * scale),
                                    (float) ((h - c[3]) * scale), (float) (c[4] * scale), (float) ((h - c[5]) * scale));
                        }
                        cs.closePath();
                    }
                    if (!loops.isEmpty()) {
                        cs.fillEvenOdd();
                    }
                }
                doc.save(out);
            }
        });
    }
}
