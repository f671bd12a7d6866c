package org.inkwell.data;

/** Turns grey scans into ink/paper images: exact 0/255 images stay as they are, others use Otsu's threshold. */
public final class Binarizer {
    private Binarizer() {
    }

    public static boolean isBinary(GrayImage img) {
        for (float v : img.pixels()) {
            if (v != 0f && v != 1f) {
                return false;
            }
        }
        return true;
    }

    public static GrayImage binarize(GrayImage img) {
        if (isBinary(img)) {
            return img;
        }
        return binarize(img, otsuThreshold(img));
    }

    /** Ink where the 8-bit level is at most {@code t} (a threshold computed on a whole scan, applied to a part). */
    public static GrayImage binarize(GrayImage img, int t) {
        float[] src = img.pixels();
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = GrayImage.toByte(src[i]) <= t ? GrayImage.INK : GrayImage.PAPER;
        }
        return new GrayImage(img.width(), img.height(), out);
    }

    /** Otsu's threshold over 8-bit levels: levels {@code <= t} are ink. */
    public static int otsuThreshold(GrayImage img) {
        long[] hist = new long[256];
        for (float v : img.pixels()) {
            hist[GrayImage.toByte(v)]++;
        }
        long total = img.pixels().length;
        double sumAll = 0;
        for (int i = 0; i < 256; i++) {
            sumAll += i * (double) hist[i];
        }
        double sumBelow = 0;
        long weightBelow = 0;
        double best = -1;
        int bestT = 127;
        for (int t = 0; t < 256; t++) {
            weightBelow += hist[t];
            if (weightBelow == 0) {
                continue;
            }
            long weightAbove = total - weightBelow;
            if (weightAbove == 0) {
                break;
            }
            sumBelow += t * (double) hist[t];
            double meanBelow = sumBelow / weightBelow;
            double meanAbove = (sumAll - sumBelow) / weightAbove;
            double between = (double) weightBelow * weightAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (between > best) {
                best = between;
                bestT = t;
            }
        }
        return bestT;
    }
}
