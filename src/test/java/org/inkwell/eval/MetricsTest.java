package org.inkwell.eval;

import org.inkwell.data.GrayImage;
import org.inkwell.data.TestImages;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetricsTest {
    private final GrayImage truth = TestImages.parse(
            "........",
            ".####...",
            ".####...",
            "........");

    @Test
    void fmeasureFromHandCountedConfusion() {
        GrayImage result = TestImages.parse(
                "#.......",   // 1 false positive
                ".###....",   // 1 false negative
                ".####...",
                "........");
        // tp = 7, fp = 1, fn = 1: P = R = 7/8, F = 87.5%
        assertEquals(87.5, Metrics.fmeasure(truth, result), 1e-9);
        assertEquals(87.5, Metrics.recall(truth, result), 1e-9);
        // 2 wrong of 32: MSE = 1/16, PSNR = 10 log10(16)
        assertEquals(10 * Math.log10(16), Metrics.psnr(truth, result), 1e-9);
        assertEquals(100.0, Metrics.fmeasure(truth, truth), 1e-9);
    }

    @Test
    void drdOfOneFlippedPixelIsItsWeightedDisagreementOverNubn() {
        GrayImage t = GrayImage.blank(8, 8);
        t.set(3, 3, GrayImage.INK);
        t.set(4, 3, GrayImage.INK);
        GrayImage r = t.copy();
        r.set(4, 3, GrayImage.PAPER); // flip one ink pixel to paper
        // Neighbourhood of (4,3) in the truth: only (3,3) is ink, which now agrees with the flipped value (paper)?
        // No: the flipped pixel is paper; truth pixels that differ from paper are the ink ones: (3,3) and (4,3) itself,
        // the centre has weight 0, so DRD_k = w(0,-1 neighbour at distance 1).
        double total = 0;
        for (int i = -2; i <= 2; i++) {
            for (int j = -2; j <= 2; j++) {
                if (i != 0 || j != 0) {
                    total += 1 / Math.hypot(i, j);
                }
            }
        }
        double expected = (1 / 1.0) / total; // one 8x8 block, non-uniform: NUBN = 1
        assertEquals(expected, Metrics.drd(t, r), 1e-12);
        assertEquals(0.0, Metrics.drd(t, t), 0.0);
    }

    @Test
    void bceMatchesDefinition() {
        float[] target = {1f, 0f};
        float[] p = {0.9f, 0.2f};
        double expected = (-Math.log(0.9f) - Math.log(1 - 0.2f)) / 2;
        assertEquals(expected, Metrics.bce(target, p), 1e-6);
    }
}
