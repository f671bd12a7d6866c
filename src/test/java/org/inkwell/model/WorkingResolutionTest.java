package org.inkwell.model;

import org.inkwell.data.GrayImage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The working resolution of large photos. Mutations caught: the stroke cap removed (the fine-pen page is reduced),
 * the tile budget ignored (the scale stays 1 or exceeds the budget), area averaging off by a pixel (the mean of a
 * two-level image moves), bilinear growth misaligned (the step edge moves).
 */
class WorkingResolutionTest {
    /** A 4000x3000 grey page with vertical strokes {@code width} px wide every 40 px. */
    private static GrayImage page(int width) {
        GrayImage g = GrayImage.blank(4000, 3000);
        float[] p = g.pixels();
        for (int y = 0; y < 3000; y++) {
            for (int x = 0; x < 4000; x++) {
                if (x % 40 < width) {
                    p[y * 4000 + x] = 0.2f;
                } else {
                    p[y * 4000 + x] = 0.9f;
                }
            }
        }
        return g;
    }

    @Test
    void aPhotoWithBoldStrokesIsCleanedWithinTheTileBudget() {
        double s = Cleaner.workingScale(page(6));
        assertTrue(s > 1.5, "scale " + s);
        int step = Denoiser.DEFAULT_TILE - 2 * Denoiser.DEFAULT_OVERLAP;
        long tiles = (long) Math.ceil(4000 / s / step) * (long) Math.ceil(3000 / s / step);
        assertTrue(tiles * Denoiser.DEFAULT_TILE * Denoiser.DEFAULT_TILE <= Cleaner.WORKING_PIXELS, tiles + " tiles");
        assertEquals(6, Resample.typicalStroke(page(6)), 0.5);
    }

    @Test
    void finePenStrokesAreNotThinnedBelowTheMinimum() {
        double s = Cleaner.workingScale(page(1));
        assertTrue(s == 1 || 1 / s >= Cleaner.MIN_STROKE - 1e-9, "scale " + s);
        assertEquals(1, Cleaner.workingScale(GrayImage.blank(1000, 800)));
    }

    @Test
    void resamplingKeepsMeansAndEdges() {
        GrayImage g = GrayImage.blank(9, 6);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 3; x++) {
                g.set(x, y, 0f);
            }
        }
        GrayImage small = Resample.area(g, 3, 2);
        assertEquals(0f, small.get(0, 0), 1e-6);
        assertEquals(1f, small.get(1, 1), 1e-6);
        GrayImage big = Resample.bilinear(small, 9, 6);
        assertEquals(9, big.width());
        assertEquals(0f, big.get(0, 3), 1e-6);
        assertEquals(1f, big.get(8, 3), 1e-6);
        assertTrue(big.get(3, 3) > 0.1f && big.get(3, 3) < 0.9f, "the edge falls between the two sides");
    }

    @Test
    void bringingAnEnlargedResultBackRecoversTheNetworksValues() {
        // What Compare's uncertainty relies on: the network's crisp output, enlarged for the user and averaged back,
        // is crisp again (a third of each stroke would otherwise look uncertain).
        GrayImage crisp = GrayImage.blank(40, 30);
        for (int y = 5; y < 25; y++) {
            for (int x = 18; x < 21; x++) {
                crisp.set(x, y, 0f);
            }
        }
        GrayImage big = Resample.bilinear(crisp, 120, 90);
        long soft = 0;
        for (float v : big.pixels()) {
            soft += v > 0.3f && v < 0.7f ? 1 : 0;
        }
        assertTrue(soft > 100, "the enlargement has soft edges: " + soft);
        GrayImage back = Cleaner.atWorkingResolution(big, 3);
        assertEquals(40, back.width());
        for (int y = 6; y < 24; y++) {
            for (int x = 0; x < 40; x++) {
                assertEquals(crisp.get(x, y), back.get(x, y), 0.25, "at " + x + "," + y);
            }
        }
    }
}
