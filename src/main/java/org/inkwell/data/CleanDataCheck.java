package org.inkwell.data;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Whether a set of images looks like clean signatures (training targets) or like scans and photos: a scan's paper
 * is grey and textured, a photo's has shadows, and both binarize into far more "ink" than a signature has. Scans
 * used as clean targets teach a model to keep what the device added, so the Dataset pane says so.
 */
public final class CleanDataCheck {
    /** A pixel strictly between these is mid-grey: neither paper nor ink of a clean image. */
    static final double GREY_LOW = 0.12;
    static final double GREY_HIGH = 0.88;
    /** An image with more mid-grey pixels than this has grey paper (anti-aliased strokes stay far below it). */
    static final double GREY_PAPER = 0.15;
    /** More ink than this after binarizing is not a signature on paper but shadows or a dark background. */
    static final double TOO_MUCH_INK = 0.35;

    /** What was found in the sampled images. */
    public record Verdict(int sampled, int scanLike, double medianGrey, double medianInk) {
        /** At least half of the sampled images look like scans or photos. */
        public boolean looksLikeScans() {
            return sampled > 0 && scanLike * 2 >= sampled;
        }

        public String describe() {
            return String.format(Locale.ROOT, "%d of %d sampled images look like scans or photos (median %.0f %% mid-grey pixels, "
                    + "%.0f %% ink after binarizing)", scanLike, sampled, 100 * medianGrey, 100 * medianInk);
        }
    }

    private CleanDataCheck() {
    }

    /** Share of pixels strictly between paper and ink. */
    public static double greyShare(GrayImage g) {
        long n = 0;
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) {
                float v = g.get(x, y);
                if (v > GREY_LOW && v < GREY_HIGH) {
                    n++;
                }
            }
        }
        return g.width() == 0 || g.height() == 0 ? 0 : n / (double) ((long) g.width() * g.height());
    }

    /** Judges images as decoded (grey levels, not binarized). */
    public static Verdict of(List<GrayImage> decoded) {
        double[] grey = new double[decoded.size()];
        double[] ink = new double[decoded.size()];
        int scanLike = 0;
        for (int i = 0; i < decoded.size(); i++) {
            grey[i] = greyShare(decoded.get(i));
            ink[i] = Binarizer.binarize(decoded.get(i)).inkFraction();
            if (grey[i] > GREY_PAPER || ink[i] > TOO_MUCH_INK) {
                scanLike++;
            }
        }
        return new Verdict(decoded.size(), scanLike, median(grey), median(ink));
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return 0;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
