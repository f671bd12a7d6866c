package org.inkwell.data;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoiseModelTest {
    /** Counts the positions a noise model draws. */
    private static final class CountingRandom implements RandomGenerator {
        final SplittableRandom inner = new SplittableRandom(5);
        long ints;

        @Override
        public long nextLong() {
            return inner.nextLong();
        }

        @Override
        public int nextInt(int bound) {
            ints++;
            return inner.nextInt(bound);
        }
    }

    @Test
    void pepperDrawsCeilOfDensityTimesPixelsPositions() {
        CountingRandom rng = new CountingRandom();
        GrayImage out = NoiseModel.pepper(0.2).apply(GrayImage.blank(224, 224), rng);
        long draws = (long) Math.ceil(0.2 * 224 * 224);
        assertEquals(10036, draws);
        assertEquals(2 * draws, rng.ints); // one row and one column per position
        long inked = Math.round(out.inkFraction() * 224 * 224);
        // With replacement: slightly fewer distinct pixels than draws; expected N(1-exp(-d/N)) = 9090.
        assertTrue(inked <= draws);
        assertEquals(224 * 224 * (1 - Math.exp(-draws / (224.0 * 224))), inked, 120);
    }

    @Test
    void pepperOnlyAddsInkAndSaltOnlyAddsPaper() {
        GrayImage half = GrayImage.blank(64, 64);
        for (int i = 0; i < 64 * 32; i++) {
            half.pixels()[i] = GrayImage.INK;
        }
        GrayImage peppered = NoiseModel.pepper(0.3).apply(half, new SplittableRandom(1));
        GrayImage salted = NoiseModel.salt(0.3).apply(half, new SplittableRandom(1));
        for (int i = 0; i < half.pixels().length; i++) {
            if (half.pixels()[i] == GrayImage.INK) {
                assertEquals(GrayImage.INK, peppered.pixels()[i]);
            } else {
                assertEquals(GrayImage.PAPER, salted.pixels()[i]);
            }
        }
        assertTrue(peppered.inkFraction() > 0.6);
        assertTrue(salted.inkFraction() < 0.4);
    }

    @Test
    void saltAndPepperSplitsByRatio() {
        GrayImage grey = new GrayImage(200, 200, new float[200 * 200]);
        java.util.Arrays.fill(grey.pixels(), 0.5f);
        GrayImage out = NoiseModel.saltAndPepper(0.5, 0.25).apply(grey, new SplittableRandom(2));
        int salt = 0;
        int pepper = 0;
        for (float v : out.pixels()) {
            if (v == GrayImage.PAPER) {
                salt++;
            } else if (v == GrayImage.INK) {
                pepper++;
            }
        }
        assertEquals(0.25, salt / (double) (salt + pepper), 0.01);
    }

    @Test
    void sameSeedSameNoiseAndInputUntouched() {
        GrayImage clean = GrayImage.blank(50, 40);
        GrayImage a = NoiseModel.pepper(0.1).apply(clean, new SplittableRandom(9));
        GrayImage b = NoiseModel.pepper(0.1).apply(clean, new SplittableRandom(9));
        assertEquals(a, b);
        assertEquals(0.0, clean.inkFraction());
    }

    @Test
    void parsesSpecsAndRejectsNonsense() {
        assertEquals("pepper:0.2", NoiseModel.parse("0.2").spec());
        assertEquals("saltpepper:0.1:0.3", NoiseModel.parse("saltpepper:0.1:0.3").spec());
        assertEquals("pepper:0.05-0.4", NoiseModel.parse("pepper:0.05-0.4").spec());
        assertThrows(IllegalArgumentException.class, () -> NoiseModel.parse("blur:0.1"));
        assertThrows(IllegalArgumentException.class, () -> NoiseModel.parse("pepper:1.5"));
        assertThrows(IllegalArgumentException.class, () -> NoiseModel.parse("pepper:x"));
    }

    @Test
    void densityRangeVariesPerImage() {
        NoiseModel range = NoiseModel.parse("pepper:0.05-0.45");
        SplittableRandom rng = new SplittableRandom(4);
        double min = 1;
        double max = 0;
        for (int i = 0; i < 50; i++) {
            double f = range.apply(GrayImage.blank(64, 64), rng).inkFraction();
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        assertTrue(min < 0.1 && max > 0.3, "min " + min + " max " + max);
    }

    @Test
    void mixedNoiseAlternatesPepperAndSaltAndPepper() {
        NoiseModel mixed = NoiseModel.parse("mixed:0.3");
        assertEquals("mixed:0.3", mixed.spec());
        GrayImage ink = new GrayImage(32, 32, new float[32 * 32]); // all ink: only salt can change it
        SplittableRandom rng = new SplittableRandom(8);
        int salted = 0;
        for (int i = 0; i < 200; i++) {
            if (mixed.apply(ink, rng).inkFraction() < 1.0) {
                salted++;
            }
        }
        assertEquals(100, salted, 25);
    }
}
