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
        float[] out = p.clone();
        int[] label = new int[w * h]; // 0: not visited
        int[] stack = new int[w * h];
        int[] members = new int[Math.max(1, minPixels)];
        int next = 1;
        for (int start = 0; start < p.length; start++) {
            if (p[start] >= threshold || label[start] != 0) {
                continue;
            }
            // Flood the component; remember its first minPixels members, which are all of it when it is small.
            int size = 0;
            int top = 0;
            stack[top++] = start;
            label[start] = next;
            while (top > 0) {
                int i = stack[--top];
                if (size < members.length) {
                    members[size] = i;
                }
                size++;
                int x = i % w;
                int y = i / w;
                for (int dy = -1; dy <= 1; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        int j = yy * w + xx;
                        if (xx >= 0 && xx < w && label[j] == 0 && p[j] < threshold) {
                            label[j] = next;
                            stack[top++] = j;
                        }
                    }
                }
            }
            if (size < minPixels) {
                for (int k = 0; k < size; k++) {
                    out[members[k]] = 1f;
                }
            }
            next++;
        }
        return new GrayImage(w, h, out);
    }
}
