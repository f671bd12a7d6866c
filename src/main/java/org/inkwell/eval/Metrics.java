package org.inkwell.eval;

import org.inkwell.data.GrayImage;

/**
 * Binarization quality as the DIBCO contests define it, ink being the foreground: F-measure (%), PSNR (dB)
 * and Distance-Reciprocal Distortion (DRD, lower is better). Inputs are thresholded at 0.5.
 */
public final class Metrics {
    /** PSNR of a perfect result is reported as if half a pixel were wrong, to keep means finite. */
    private static final double HALF_PIXEL = 0.5;
    private static final double[][] DRD_WEIGHTS = drdWeights();

    private Metrics() {
    }

    public record Scores(double fmeasure, double psnr, double drd, double recall, double precision) {
    }

    public static Scores score(GrayImage truth, GrayImage result) {
        requireSameSize(truth, result);
        return new Scores(fmeasure(truth, result), psnr(truth, result), drd(truth, result),
                recall(truth, result), precision(truth, result));
    }

    public static double fmeasure(GrayImage truth, GrayImage result) {
        long[] c = counts(truth, result);
        long tp = c[0];
        long fp = c[1];
        long fn = c[2];
        if (tp == 0) {
            return fp == 0 && fn == 0 ? 100.0 : 0.0;
        }
        double p = tp / (double) (tp + fp);
        double r = tp / (double) (tp + fn);
        return 100.0 * 2 * p * r / (p + r);
    }

    /** Share of true ink pixels that the result keeps (%): thin strokes and dots show up here first. */
    public static double recall(GrayImage truth, GrayImage result) {
        long[] c = counts(truth, result);
        return c[0] + c[2] == 0 ? 100.0 : 100.0 * c[0] / (c[0] + c[2]);
    }

    public static double precision(GrayImage truth, GrayImage result) {
        long[] c = counts(truth, result);
        return c[0] + c[1] == 0 ? 100.0 : 100.0 * c[0] / (c[0] + c[1]);
    }

    public static double psnr(GrayImage truth, GrayImage result) {
        requireSameSize(truth, result);
        float[] t = truth.pixels();
        float[] r = result.pixels();
        long wrong = 0;
        for (int i = 0; i < t.length; i++) {
            if (ink(t[i]) != ink(r[i])) {
                wrong++;
            }
        }
        double mse = Math.max(wrong, HALF_PIXEL) / t.length;
        return 10 * Math.log10(1.0 / mse);
    }

    /** DRD (Lu, Kot and Shi 2004) as used by DIBCO: 5x5 reciprocal-distance weights, normalised by NUBN. */
    public static double drd(GrayImage truth, GrayImage result) {
        requireSameSize(truth, result);
        int w = truth.width();
        int h = truth.height();
        double sum = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean rv = ink(result.get(x, y));
                if (rv == ink(truth.get(x, y))) {
                    continue;
                }
                double d = 0;
                for (int dy = -2; dy <= 2; dy++) {
                    for (int dx = -2; dx <= 2; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        // Outside the image the truth counts as paper, as DIBCO pads.
                        boolean tv = yy >= 0 && yy < h && xx >= 0 && xx < w && ink(truth.get(xx, yy));
                        if (tv != rv) {
                            d += DRD_WEIGHTS[dy + 2][dx + 2];
                        }
                    }
                }
                sum += d;
            }
        }
        return sum / Math.max(1, nonUniformBlocks(truth, 8));
    }

    /** Number of {@code b x b} blocks of the truth that hold both ink and paper. */
    static int nonUniformBlocks(GrayImage truth, int b) {
        int count = 0;
        for (int by = 0; by + b <= truth.height(); by += b) {
            for (int bx = 0; bx + b <= truth.width(); bx += b) {
                int inkCount = 0;
                for (int y = by; y < by + b; y++) {
                    for (int x = bx; x < bx + b; x++) {
                        if (ink(truth.get(x, y))) {
                            inkCount++;
                        }
                    }
                }
                if (inkCount != 0 && inkCount != b * b) {
                    count++;
                }
            }
        }
        return count;
    }

    private static double[][] drdWeights() {
        double[][] wts = new double[5][5];
        double total = 0;
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                if (i == 2 && j == 2) {
                    continue;
                }
                wts[i][j] = 1.0 / Math.hypot(i - 2, j - 2);
                total += wts[i][j];
            }
        }
        for (double[] row : wts) {
            for (int j = 0; j < 5; j++) {
                row[j] /= total;
            }
        }
        return wts;
    }

    /** {tp, fp, fn} with ink as the positive class. */
    private static long[] counts(GrayImage truth, GrayImage result) {
        requireSameSize(truth, result);
        float[] t = truth.pixels();
        float[] r = result.pixels();
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < t.length; i++) {
            boolean ti = ink(t[i]);
            boolean ri = ink(r[i]);
            if (ti && ri) {
                tp++;
            } else if (ri) {
                fp++;
            } else if (ti) {
                fn++;
            }
        }
        return new long[]{tp, fp, fn};
    }

    /** Mean per-pixel binary cross-entropy of probabilities against a binary target (clipped as Keras does). */
    public static double bce(float[] target, float[] probability) {
        double eps = 1e-7;
        double sum = 0;
        for (int i = 0; i < target.length; i++) {
            double p = Math.min(1 - eps, Math.max(eps, probability[i]));
            sum += target[i] >= 0.5f ? -Math.log(p) : -Math.log(1 - p);
        }
        return sum / target.length;
    }

    static boolean ink(float v) {
        return v < 0.5f;
    }

    private static void requireSameSize(GrayImage a, GrayImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("images differ in size: " + a + " vs " + b);
        }
    }
}
