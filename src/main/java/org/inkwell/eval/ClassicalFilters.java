package org.inkwell.eval;

import org.inkwell.data.GrayImage;

/** The filters a user would try before a network: median 3x3 / 5x5 and removal of small ink specks. */
public final class ClassicalFilters {
    /** Components with fewer pixels than this are treated as noise. */
    public static final int DEFAULT_MIN_COMPONENT = 5;

    private ClassicalFilters() {
    }

    /** Binary median (majority vote) over a {@code size x size} window; borders replicate the edge. */
    public static GrayImage median(GrayImage img, int size) {
        int r = size / 2;
        int w = img.width();
        int h = img.height();
        // Integral image of ink counts makes every window O(1).
        int[] integral = new int[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            int rowSum = 0;
            for (int x = 0; x < w; x++) {
                rowSum += img.get(x, y) < 0.5f ? 1 : 0;
                integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + rowSum;
            }
        }
        float[] out = new float[w * h];
        int half = size * size / 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int inkCount = 0;
                int total = 0;
                if (x >= r && y >= r && x + r < w && y + r < h) {
                    int x0 = x - r;
                    int y0 = y - r;
                    int x1 = x + r + 1;
                    int y1 = y + r + 1;
                    inkCount = integral[y1 * (w + 1) + x1] - integral[y0 * (w + 1) + x1] - integral[y1 * (w + 1) + x0]
                            + integral[y0 * (w + 1) + x0];
                    total = size * size;
                } else {
                    for (int dy = -r; dy <= r; dy++) {
                        for (int dx = -r; dx <= r; dx++) {
                            int xx = Math.min(w - 1, Math.max(0, x + dx));
                            int yy = Math.min(h - 1, Math.max(0, y + dy));
                            inkCount += img.get(xx, yy) < 0.5f ? 1 : 0;
                            total++;
                        }
                    }
                }
                out[y * w + x] = inkCount > (total == size * size ? half : total / 2) ? GrayImage.INK : GrayImage.PAPER;
            }
        }
        return new GrayImage(w, h, out);
    }

    /** Removes 8-connected ink components smaller than {@code minPixels}. */
    public static GrayImage removeSmallComponents(GrayImage img, int minPixels) {
        int w = img.width();
        int h = img.height();
        float[] src = img.pixels();
        float[] out = src.clone();
        int[] label = new int[w * h];
        int[] stack = new int[w * h];
        int[] members = new int[w * h];
        int next = 1;
        for (int start = 0; start < src.length; start++) {
            if (src[start] >= 0.5f || label[start] != 0) {
                continue;
            }
            int sp = 0;
            int count = 0;
            stack[sp++] = start;
            label[start] = next;
            while (sp > 0) {
                int p = stack[--sp];
                members[count++] = p;
                int px = p % w;
                int py = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    int yy = py + dy;
                    if (yy < 0 || yy >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = px + dx;
                        if (xx < 0 || xx >= w) {
                            continue;
                        }
                        int q = yy * w + xx;
                        if (src[q] < 0.5f && label[q] == 0) {
                            label[q] = next;
                            stack[sp++] = q;
                        }
                    }
                }
            }
            if (count < minPixels) {
                for (int i = 0; i < count; i++) {
                    out[members[i]] = GrayImage.PAPER;
                }
            }
            next++;
        }
        return new GrayImage(w, h, out);
    }

    /** Sauvola's window and sensitivity, the values the document-binarization literature starts from. */
    public static final int SAUVOLA_WINDOW = 25;
    public static final double SAUVOLA_K = 0.2;

    /**
     * Sauvola's local threshold on a grey image in [0, 1]: ink where the value is below
     * {@code mean * (1 + k * (stdev / 0.5 - 1))} over a {@code window x window} neighbourhood (integral images).
     */
    public static GrayImage sauvola(GrayImage grey, int window, double k) {
        int w = grey.width();
        int h = grey.height();
        double[] sum = new double[(w + 1) * (h + 1)];
        double[] sq = new double[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            double rs = 0;
            double rq = 0;
            for (int x = 0; x < w; x++) {
                double v = grey.get(x, y);
                rs += v;
                rq += v * v;
                sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + rs;
                sq[(y + 1) * (w + 1) + x + 1] = sq[y * (w + 1) + x + 1] + rq;
            }
        }
        int r = window / 2;
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            int y0 = Math.max(0, y - r);
            int y1 = Math.min(h, y + r + 1);
            for (int x = 0; x < w; x++) {
                int x0 = Math.max(0, x - r);
                int x1 = Math.min(w, x + r + 1);
                double n = (double) (y1 - y0) * (x1 - x0);
                double s = sum[y1 * (w + 1) + x1] - sum[y0 * (w + 1) + x1] - sum[y1 * (w + 1) + x0] + sum[y0 * (w + 1) + x0];
                double q = sq[y1 * (w + 1) + x1] - sq[y0 * (w + 1) + x1] - sq[y1 * (w + 1) + x0] + sq[y0 * (w + 1) + x0];
                double mean = s / n;
                double sd = Math.sqrt(Math.max(0, q / n - mean * mean));
                double t = mean * (1 + k * (sd / 0.5 - 1));
                out[y * w + x] = grey.get(x, y) < t ? GrayImage.INK : GrayImage.PAPER;
            }
        }
        return new GrayImage(w, h, out);
    }

    /** Grey median over {@code size x size} (borders clamped), for the "median then Otsu" baseline on scans. */
    public static GrayImage greyMedian(GrayImage grey, int size) {
        int r = size / 2;
        int w = grey.width();
        int h = grey.height();
        float[] out = new float[w * h];
        float[] window = new float[size * size];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int n = 0;
                for (int dy = -r; dy <= r; dy++) {
                    for (int dx = -r; dx <= r; dx++) {
                        window[n++] = grey.get(Math.min(w - 1, Math.max(0, x + dx)), Math.min(h - 1, Math.max(0, y + dy)));
                    }
                }
                java.util.Arrays.sort(window, 0, n);
                out[y * w + x] = window[n / 2];
            }
        }
        return new GrayImage(w, h, out);
    }
}
