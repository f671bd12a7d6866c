package org.inkwell.model;

import org.inkwell.data.GrayImage;

import java.util.ArrayDeque;

/**
 * The sheet of paper in a photo: the largest bright region of the picture (Otsu's threshold), grown across soft
 * shadows, on a coarse grid of about {@value #GRID} cells a side, holes (the writing on it) filled, then pulled in
 * from its edge by
 * {@value #INSET} cells so that the sheet's own edge stays outside. A scan that is all paper gives the whole image.
 */
final class Page {
    static final int GRID = 256;
    static final int INSET = 2;
    static final float GROW = 0.75f;

    private Page() {
    }

    /** Pixels per grid cell for this image. */
    static int cell(GrayImage scan) {
        return Math.max(1, (int) Math.ceil(Math.max(scan.width(), scan.height()) / (double) GRID));
    }

    /** Per grid cell (row-major, {@code ceil(w / cell)} wide): on the sheet; null when no sheet stands out. */
    static boolean[] find(GrayImage scan) {
        int g = cell(scan);
        int w = scan.width();
        int h = scan.height();
        int gw = (w + g - 1) / g;
        int gh = (h + g - 1) / g;
        double[] sum = new double[gw * gh];
        int[] count = new int[gw * gh];
        float[] p = scan.pixels();
        for (int y = 0; y < h; y++) {
            int row = (y / g) * gw;
            for (int x = 0; x < w; x++) {
                sum[row + x / g] += p[y * w + x];
                count[row + x / g]++;
            }
        }
        float[] mean = new float[gw * gh];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) (sum[i] / count[i]);
        }
        int t = org.inkwell.data.Binarizer.otsuThreshold(new GrayImage(gw, gh, mean));
        boolean[] bright = new boolean[mean.length];
        for (int i = 0; i < mean.length; i++) {
            bright[i] = Math.round(mean[i] * 255) > t;
        }
        // The largest 4-connected bright region.
        int[] label = new int[mean.length];
        int best = 0;
        int bestSize = 0;
        int next = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int s = 0; s < mean.length; s++) {
            if (!bright[s] || label[s] != 0) {
                continue;
            }
            next++;
            int size = 0;
            label[s] = next;
            queue.add(s);
            while (!queue.isEmpty()) {
                int i = queue.poll();
                size++;
                for (int j : neighbours(i, gw, gh)) {
                    if (j >= 0 && bright[j] && label[j] == 0) {
                        label[j] = next;
                        queue.add(j);
                    }
                }
            }
            if (size > bestSize) {
                bestSize = size;
                best = next;
            }
        }
        // A sheet stands out only when it is a good part of the picture and not all of it.
        if (bestSize < 0.15 * mean.length) {
            return null;
        }
        // A shadow darkens part of the sheet gradually; the sheet's edge is a sharp step down to the table. Grow the
        // region into neighbours at least GROW times as bright as the cell they are reached from.
        boolean[] grown = new boolean[mean.length];
        int grownSize = 0;
        for (int i = 0; i < mean.length; i++) {
            if (label[i] == best) {
                grown[i] = true;
                grownSize++;
                queue.add(i);
            }
        }
        while (!queue.isEmpty()) {
            int i = queue.poll();
            for (int j : neighbours(i, gw, gh)) {
                if (j >= 0 && !grown[j] && mean[j] >= GROW * mean[i]) {
                    grown[j] = true;
                    grownSize++;
                    queue.add(j);
                }
            }
        }
        // Grown over nearly everything: it leaked into the surroundings; keep the bright region alone.
        if (grownSize < 0.97 * mean.length) {
            for (int i = 0; i < mean.length; i++) {
                if (grown[i]) {
                    label[i] = best;
                }
            }
        }
        // Fill holes: what the outside cannot reach without crossing the sheet is on the sheet.
        boolean[] outside = new boolean[mean.length];
        for (int i = 0; i < mean.length; i++) {
            int x = i % gw;
            int y = i / gw;
            if ((x == 0 || y == 0 || x == gw - 1 || y == gh - 1) && label[i] != best) {
                outside[i] = true;
                queue.add(i);
            }
        }
        while (!queue.isEmpty()) {
            int i = queue.poll();
            for (int j : neighbours(i, gw, gh)) {
                if (j >= 0 && !outside[j] && label[j] != best) {
                    outside[j] = true;
                    queue.add(j);
                }
            }
        }
        boolean anyOutside = false;
        for (boolean o : outside) {
            anyOutside |= o;
        }
        if (!anyOutside) {
            return null;
        }
        // Pulled in from the edge, so that the sheet's border (read as ink) is not on it.
        boolean[] sheet = new boolean[mean.length];
        for (int y = 0; y < gh; y++) {
            for (int x = 0; x < gw; x++) {
                boolean in = true;
                for (int dy = -INSET; dy <= INSET && in; dy++) {
                    for (int dx = -INSET; dx <= INSET && in; dx++) {
                        int xx = x + dx;
                        int yy = y + dy;
                        in = xx >= 0 && yy >= 0 && xx < gw && yy < gh && !outside[yy * gw + xx];
                    }
                }
                sheet[y * gw + x] = in;
            }
        }
        return sheet;
    }

    /** The 4-neighbours of cell {@code i} on a {@code gw x gh} grid; -1 off the grid. */
    private static int[] neighbours(int i, int gw, int gh) {
        int x = i % gw;
        int y = i / gw;
        return new int[]{x > 0 ? i - 1 : -1, x < gw - 1 ? i + 1 : -1, y > 0 ? i - gw : -1, y < gh - 1 ? i + gw : -1};
    }
}
