package org.inkwell.model;

import org.inkwell.data.GrayImage;

/**
 * Removes marks the model kept that are too small to be signature: 8-connected groups of ink pixels (paper
 * probability below the threshold) with fewer than {@code minPixels} pixels become paper. An i-dot or a full stop
 * of a few pixels at 300 dpi is about 15-40 pixels, so the useful range is a few to a few dozen.
 */
public final class Specks {
    private Specks() {
    }

    /** A copy of {@code probs} with the small marks set to paper (1); {@code probs} itself when {@code minPixels <= 1}. */
    public static GrayImage remove(GrayImage probs, double threshold, int minPixels) {
        if (minPixels <= 1) {
            return probs;
        }
        int w = probs.width();
        int h = probs.height();
        float[] p = probs.pixels();
        boolean[] ink = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            ink[i] = p[i] < threshold;
        }
        int[] label = new int[p.length];
        java.util.List<SignatureFinder.Mark> marks = SignatureFinder.label(ink, w, h, label);
        float[] out = p.clone();
        for (int i = 0; i < p.length; i++) {
            if (label[i] > 0 && marks.get(label[i] - 1).area < minPixels) {
                out[i] = 1f;
            }
        }
        return new GrayImage(w, h, out);
    }
}
