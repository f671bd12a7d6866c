package org.inkwell.data;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AugmentTest {
    private final GrayImage img = TestImages.parse(
            "##.",
            "...");

    @Test
    void rotationsMoveTopRowWhereNumpyRot90Would() {
        assertArrayEquals(new String[]{".#", ".#", ".."}, TestImages.rows(Augment.rotateClockwise(img)));
        assertArrayEquals(new String[]{"..", "#.", "#."}, TestImages.rows(Augment.rotateCounterClockwise(img)));
        assertArrayEquals(new String[]{"...", ".##"}, TestImages.rows(Augment.rotate180(img)));
        assertArrayEquals(new String[]{".##", "..."}, TestImages.rows(Augment.flipHorizontal(img)));
    }

    @Test
    void fourQuarterTurnsAreIdentity() {
        GrayImage g = TestImages.indexed(4, 3);
        GrayImage r = g;
        for (int i = 0; i < 4; i++) {
            r = Augment.rotateClockwise(r);
        }
        assertEquals(g, r);
        assertEquals(g, Augment.rotateCounterClockwise(Augment.rotateClockwise(g)));
    }

    @Test
    void flipAndRotationChoicesAreUniformWhenDrawn() {
        SplittableRandom rng = new SplittableRandom(11);
        GrayImage probe = TestImages.indexed(3, 2);
        java.util.Map<GrayImage, Integer> counts = new java.util.HashMap<>();
        int n = 80_000;
        for (int i = 0; i < n; i++) {
            counts.merge(Augment.random(probe, rng), 1, Integer::sum);
        }
        // 2 flips x 4 rotations of an asymmetric image give 8 distinct results, each with p = 1/8.
        assertEquals(8, counts.size());
        for (int c : counts.values()) {
            assertEquals(1 / 8.0, c / (double) n, 0.006);
        }
    }
}
