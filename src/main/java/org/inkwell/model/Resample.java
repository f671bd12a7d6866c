package org.inkwell.model;

import org.inkwell.data.Filters;
import org.inkwell.data.GrayImage;

/** Resizing for the working resolution of large photos, and the stroke width that decides it. */
final class Resample {
    private Resample() {
    }

    /** Area average down to {@code w x h} (each output pixel the mean of the source pixels it covers). */
    static GrayImage area(GrayImage src, int w, int h) {
        int sw = src.width();
        int sh = src.height();
        float[] p = src.pixels();
        float[] out = new float[w * h];
        int[] x0 = new int[w + 1];
        for (int x = 0; x <= w; x++) {
            x0[x] = (int) Math.min(sw, Math.round((double) x * sw / w));
        }
        double[] row = new double[w];
        for (int y = 0; y < h; y++) {
            int ya = (int) Math.round((double) y * sh / h);
            int yb = Math.max(ya + 1, (int) Math.min(sh, Math.round((double) (y + 1) * sh / h)));
            java.util.Arrays.fill(row, 0);
            for (int yy = ya; yy < yb; yy++) {
                int base = yy * sw;
                for (int x = 0; x < w; x++) {
                    int xb = Math.max(x0[x] + 1, x0[x + 1]);
                    double sum = 0;
                    for (int xx = x0[x]; xx < xb && xx < sw; xx++) {
                        sum += p[base + xx];
                    }
                    row[x] += sum / (Math.min(xb, sw) - x0[x]);
                }
            }
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (float) (row[x] / (yb - ya));
            }
        }
        return new GrayImage(w, h, out);
    }

    /** Bilinear up to {@code w x h}, pixel centres aligned. */
    static GrayImage bilinear(GrayImage src, int w, int h) {
        int sw = src.width();
        int sh = src.height();
        float[] p = src.pixels();
        float[] out = new float[w * h];
        double sx = (double) sw / w;
        double sy = (double) sh / h;
        int[] xa = new int[w];
        float[] fx = new float[w];
        for (int x = 0; x < w; x++) {
            double u = Math.max(0, Math.min(sw - 1, (x + 0.5) * sx - 0.5));
            xa[x] = Math.min(sw - 2 < 0 ? 0 : sw - 2, (int) u);
            fx[x] = (float) (u - xa[x]);
        }
        for (int y = 0; y < h; y++) {
            double v = Math.max(0, Math.min(sh - 1, (y + 0.5) * sy - 0.5));
            int ya = Math.min(sh - 2 < 0 ? 0 : sh - 2, (int) v);
            float fy = (float) (v - ya);
            int yb = Math.min(sh - 1, ya + 1);
            for (int x = 0; x < w; x++) {
                int xb = Math.min(sw - 1, xa[x] + 1);
                float top = p[ya * sw + xa[x]] * (1 - fx[x]) + p[ya * sw + xb] * fx[x];
                float bottom = p[yb * sw + xa[x]] * (1 - fx[x]) + p[yb * sw + xb] * fx[x];
                out[y * w + x] = top * (1 - fy) + bottom * fy;
            }
        }
        return new GrayImage(w, h, out);
    }

    /**
     * The typical width in pixels of the pen strokes on a grey scan: the upper quartile of the lengths of horizontal
     * runs of pixels clearly darker than the brightest pixel within 24 px along the row (shadows and gradients are
     * not runs; a pen is usually bolder than the print around it), on every 8th row. 0 when there are too few
     * strokes to say.
     */
    static double typicalStroke(GrayImage scan) {
        int w = scan.width();
        float[] p = scan.pixels();
        int[] counts = new int[65];
        long total = 0;
        float[] row = new float[w];
        float[] paper = new float[w];
        for (int y = 0; y < scan.height(); y += 8) {
            System.arraycopy(p, y * w, row, 0, w);
            Filters.runningMax(row, w, 24, paper);
            int run = 0;
            for (int x = 0; x <= w; x++) {
                if (x < w && row[x] < 0.7f * paper[x]) {
                    run++;
                } else if (run > 0) {
                    counts[Math.min(64, run)]++;
                    total++;
                    run = 0;
                }
            }
        }
        if (total < 200) {
            return 0;
        }
        long seen = 0;
        for (int i = 1; i < counts.length; i++) {
            seen += counts[i];
            if (4 * seen >= 3 * total) {
                return i;
            }
        }
        return 64;
    }
}
