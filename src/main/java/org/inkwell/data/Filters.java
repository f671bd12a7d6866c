package org.inkwell.data;

/** Separable image filters on row-major float planes, linear in the image size whatever the radius. */
public final class Filters {
    private Filters() {
    }

    /** Maximum over a (2r+1) x (2r+1) window (van Herk / Gil-Werman, borders clamped). */
    public static float[] maxFilter(float[] src, int w, int h, int r) {
        float[] tmp = new float[src.length];
        float[] line = new float[Math.max(w, h)];
        float[] res = new float[Math.max(w, h)];
        for (int y = 0; y < h; y++) {
            System.arraycopy(src, y * w, line, 0, w);
            runningMax(line, w, r, res);
            System.arraycopy(res, 0, tmp, y * w, w);
        }
        float[] out = new float[src.length];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                line[y] = tmp[y * w + x];
            }
            runningMax(line, h, r, res);
            for (int y = 0; y < h; y++) {
                out[y * w + x] = res[y];
            }
        }
        return out;
    }

    /** Maximum over a window of 2r+1 along a line of {@code n} values (borders clamped), into {@code out}. */
    public static void runningMax(float[] a, int n, int r, float[] out) {
        int k = 2 * r + 1;
        // Prefix maxima within blocks of k (g) and suffix maxima (hh), over the array padded by clamping.
        int m = n + 2 * r;
        float[] p = new float[m];
        for (int i = 0; i < m; i++) {
            p[i] = a[Math.min(n - 1, Math.max(0, i - r))];
        }
        float[] g = new float[m];
        float[] hh = new float[m];
        for (int i = 0; i < m; i++) {
            g[i] = i % k == 0 ? p[i] : Math.max(g[i - 1], p[i]);
        }
        for (int i = m - 1; i >= 0; i--) {
            hh[i] = (i % k == k - 1 || i == m - 1) ? p[i] : Math.max(hh[i + 1], p[i]);
        }
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(hh[i], g[i + k - 1]);
        }
    }

    /** Mean over a (2r+1) x (2r+1) window, borders clamped (running sums). */
    public static float[] boxBlur(float[] src, int w, int h, int r) {
        float[] tmp = new float[src.length];
        for (int y = 0; y < h; y++) {
            boxLine(src, y * w, 1, w, r, tmp);
        }
        float[] out = new float[src.length];
        for (int x = 0; x < w; x++) {
            boxLine(tmp, x, w, h, r, out);
        }
        return out;
    }

    private static void boxLine(float[] src, int offset, int stride, int n, int r, float[] dst) {
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            sum += src[offset + stride * Math.min(n - 1, Math.max(0, i))];
        }
        float norm = 1f / (2 * r + 1);
        for (int i = 0; i < n; i++) {
            dst[offset + stride * i] = (float) (sum * norm);
            int add = Math.min(n - 1, i + r + 1);
            int drop = Math.max(0, i - r);
            sum += src[offset + stride * add] - src[offset + stride * drop];
        }
    }

    /** Gaussian blur approximated by three box passes (sigma up to a few dozen pixels). */
    public static float[] gaussian(float[] src, int w, int h, double sigma) {
        if (sigma < 0.3) {
            return src.clone();
        }
        if (sigma < 2) {
            return exactGaussian(src, w, h, sigma);
        }
        // Three boxes of radius r give a variance of 3 * ((2r+1)^2 - 1) / 12.
        int r = Math.max(1, (int) Math.round((Math.sqrt(4 * sigma * sigma + 1) - 1) / 2));
        return boxBlur(boxBlur(boxBlur(src, w, h, r), w, h, r), w, h, r);
    }

    private static float[] exactGaussian(float[] src, int w, int h, double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        double s = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            s += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) s;
        }
        float[] tmp = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int i = -r; i <= r; i++) {
                    acc += k[i + r] * src[y * w + Math.min(w - 1, Math.max(0, x + i))];
                }
                tmp[y * w + x] = acc;
            }
        }
        float[] out = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int i = -r; i <= r; i++) {
                    acc += k[i + r] * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x];
                }
                out[y * w + x] = acc;
            }
        }
        return out;
    }
}
