package org.inkwell.data;

import org.inkwell.data.DeviceDegradation.Family;
import org.inkwell.data.DeviceDegradation.Phenomenon;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device degradations (issue #25): each phenomenon is deterministic per seed and can be switched on alone, a
 * held-out family never appears, the truth of a skipped stroke stays continuous, and the seed's pepper on a grey scan
 * is darker than the ink. Mutations caught: a phenomenon that ignores its switch (alone == none), a renderer that
 * reads a global random source (two renders differ), a gap that also cuts the truth, pepper lighter than the ink.
 */
class DeviceDegradationTest {
    private static final GrayImage CLEAN = Preprocess.apply(new SignatureGenerator(5).generate(3), Preprocess.Mode.FIT, 160);

    private static TrainingPair render(DeviceDegradation d, long seed) {
        return d.render(CLEAN, new SplittableRandom(seed));
    }

    /** A renderer with no phenomenon at all: the pen's line on white paper, nothing else. */
    private static final DeviceDegradation NONE = new DeviceDegradation(0.8, 0.8, EnumSet.noneOf(Family.class),
            EnumSet.noneOf(Phenomenon.class), true);

    @Test
    void everyPhenomenonIsDeterministicAndChangesTheImageWhenSwitchedOnAlone() {
        for (Phenomenon p : Phenomenon.values()) {
            DeviceDegradation alone = DeviceDegradation.only(0.8, p);
            assertEquals(EnumSet.of(p), alone.phenomena());
            boolean changed = false;
            for (long seed = 1; seed <= 4 && !changed; seed++) {
                TrainingPair a = render(alone, seed);
                TrainingPair b = render(alone, seed);
                assertArrayEquals(a.noisy().pixels(), b.noisy().pixels(), p + " is not deterministic for seed " + seed);
                assertArrayEquals(a.clean().pixels(), b.clean().pixels(), p + " truth is not deterministic");
                changed = meanAbsDiff(a.noisy(), render(NONE, seed).noisy()) > 1e-3;
            }
            assertTrue(changed, p + " switched on alone leaves the image as it was");
        }
    }

    @Test
    void aHeldOutFamilyNeverAppearsAndSpecsRoundTrip() {
        for (Family f : Family.values()) {
            DeviceDegradation without = DeviceDegradation.without(0.1, 1.0, f);
            assertFalse(without.families().contains(f));
            assertTrue(without.phenomena().stream().noneMatch(p -> p.family() == f), f + " leaked into its hold-out");
            assertEquals("device:0.1-1.0:without=" + f.id(), without.spec());
            assertEquals(without, NoiseModel.parse(without.spec()));
            DeviceDegradation focused = (DeviceDegradation) NoiseModel.parse("device:0.55-1.0:only=" + f.id());
            assertTrue(focused.focus() && focused.families().equals(EnumSet.of(f)));
            assertEquals(focused, NoiseModel.parse(focused.spec()));
        }
        assertEquals(DeviceDegradation.all(0.0, 1.0), NoiseModel.parse("device:0.0-1.0"));
        assertThrows(IllegalArgumentException.class, () -> NoiseModel.parse("device:0.1-0.5:without=scanner"));
        // Focused on both capture devices, every image could show only one of them: refused, not half done.
        assertThrows(IllegalArgumentException.class, () -> NoiseModel.parse("device:0.1-0.5:only=photocopier+camera"));
        assertEquals(EnumSet.of(Family.PEN, Family.PAPER),
                ((DeviceDegradation) NoiseModel.parse("device:0.1-0.5:only=pen+paper")).families());
        // Held out, the photocopier's toner bands and streaks never come: the same seeds differ from the full mix.
        DeviceDegradation noCopier = DeviceDegradation.without(1.0, 1.0, Family.PHOTOCOPIER);
        DeviceDegradation copierOnly = DeviceDegradation.focused(1.0, 1.0, EnumSet.of(Family.PHOTOCOPIER));
        assertFalse(java.util.Arrays.equals(render(noCopier, 7).noisy().pixels(), render(copierOnly, 7).noisy().pixels()));
    }

    /** Low-ink gaps (the pen) and toner voids (the copier) leave blank stretches inside the pen's unbroken line. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Phenomenon.class, names = {"LOW_INK_GAPS", "TONER_VOIDS"})
    void theTruthOfASkippedStrokeIsTheContinuousPenLine(Phenomenon skip) {
        DeviceDegradation gaps = DeviceDegradation.only(1.0, skip);
        int skipped = 0;
        for (long seed = 1; seed <= 3; seed++) {
            TrainingPair p = render(gaps, seed);
            TrainingPair plain = render(NONE, seed);
            // The truth is the pen's line whatever the ink did: the same line as with no degradation at all.
            assertArrayEquals(plain.clean().pixels(), p.clean().pixels());
            float[] truth = p.clean().pixels();
            float[] scan = p.noisy().pixels();
            float[] unskipped = plain.noisy().pixels();
            for (int i = 0; i < truth.length; i++) {
                if (truth[i] < 0.5f && scan[i] > 0.75f && scan[i] - unskipped[i] > 0.4f) {
                    skipped++; // a truth ink pixel left (nearly) blank that is ink without the phenomenon
                }
            }
        }
        assertTrue(skipped > 20, skip + " leaves blank stretches inside the true stroke (" + skipped + " pixels)");
    }

    @Test
    void theSeedsPepperOnAGreyScanIsDarkerThanTheFaintInk() {
        TrainingPair p = render(DeviceDegradation.only(0.6, Phenomenon.DARK_PEPPER), 11);
        float[] truth = p.clean().pixels();
        float[] scan = p.noisy().pixels();
        double inkSum = 0;
        int ink = 0;
        int darkPaper = 0;
        int paper = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0.5f) {
                inkSum += scan[i];
                ink++;
            } else {
                paper++;
                if (scan[i] < 0.1f) {
                    darkPaper++;
                }
            }
        }
        double inkMean = inkSum / ink;
        assertTrue(inkMean > 0.2, "the ink is faint grey, not black (mean " + inkMean + ")");
        double share = (double) darkPaper / paper;
        assertTrue(share > 0.04 && share < 0.6, "the seed's density range of specks darker than the ink: " + share);
    }

    /**
     * Platen dust is near-black grains on the paper, not signature: the truth is the pen's line as with no degradation,
     * and the paper gets dark specks at a copier's density (a clean glass to a dirty one), most of them single pixels.
     * Catches grains lighter than faint ink and a density reaching the seed's pepper (the family held out apart).
     */
    @Test
    void platenDustIsDarkGrainsOnThePaperNotInTheTruth() {
        int dark = 0;
        int paper = 0;
        for (long seed = 1; seed <= 6; seed++) {
            TrainingPair p = render(DeviceDegradation.only(1.0, Phenomenon.PLATEN_DUST), seed);
            assertArrayEquals(render(NONE, seed).clean().pixels(), p.clean().pixels(), "the dust is not signature");
            float[] truth = p.clean().pixels();
            float[] scan = p.noisy().pixels();
            for (int i = 0; i < truth.length; i++) {
                if (truth[i] >= 0.5f) {
                    paper++;
                    if (scan[i] < 0.3f) {
                        dark++;
                    }
                }
            }
        }
        double share = (double) dark / paper;
        // a dirty glass at level 1, below the seed's pepper (5-50 %)
        assertTrue(share > 0.002 && share < 0.04, "dark grains on " + share + " of the paper");
    }

    @Test
    void theTrainingPairIsFlattenedAndTheSameSizeAsTheInput() {
        TrainingPair p = DeviceDegradation.all(0.3, 0.9).applyPair(CLEAN, new SplittableRandom(3));
        assertEquals(CLEAN.width(), p.noisy().width());
        assertEquals(CLEAN.height(), p.noisy().height());
        assertEquals(CLEAN.width(), p.clean().width());
        for (float v : p.noisy().pixels()) {
            assertTrue(v >= 0 && v <= 1);
        }
    }

    /** A model trained on device captures reads grey scans, as it was trained: a wrong ModelInput binarizes them. */
    @Test
    void aDeviceModelReadsGreyScans() {
        for (String noise : new String[]{"device:0.0-1.0", "device:0.1-1.0:without=camera", "devicemix:0.0-1.0", "devicemix:0.0-1.0:scans=0.5", "devicemix:0.0-1.0:scans=0.5:pepper=0.15", "device:0.0-1.0:with=pepper", "peppermix:0.0-1.0"}) {
            var meta = new org.inkwell.model.ModelMetadata(1, "test", "unet-context", 224, "fit", 128, noise, 1, "test", 1, 1,
                    java.util.Map.of(), null, null, "now");
            assertEquals(org.inkwell.model.ModelInput.GREY, org.inkwell.model.ModelInput.of(meta), noise);
            assertEquals(noise, NoiseModel.parse(noise).spec());
        }
    }

    /**
     * devicemix draws one number per image and picks the renderer by it: devices below 1 - 0.2 - scans - pepper, then
     * the scan renderer, then the seed's pepper on a grey scan alone, then the seed's impulse noise (a fifth).
     * Mutations caught: the cut points moved or a share ignored (another renderer's image at some seed), the pepper
     * share drawn from the all-families renderer (an image without pepper), shares summing beyond 0.8, a repeated or
     * bad option accepted.
     */
    @Test
    void devicemixDrawsEachRendererInItsShare() {
        String[] specs = {"devicemix:0.2-0.8", "devicemix:0.2-0.8:scans=0.55", "devicemix:0.2-0.8:scans=0.4:pepper=0.25",
                "devicemix:0.2-0.8:pepper=0.3"};
        double[][] shares = {{0.3, 0}, {0.55, 0}, {0.4, 0.25}, {0.3, 0.3}};
        for (int k = 0; k < specs.length; k++) {
            NoiseModel.DeviceMix mix = (NoiseModel.DeviceMix) NoiseModel.parse(specs[k]);
            assertEquals(specs[k], mix.spec());
            double scans = shares[k][0];
            double pepper = shares[k][1];
            int greyPepper = 0;
            for (int seed = 0; seed < 60; seed++) {
                SplittableRandom expectedRng = new SplittableRandom(seed);
                double u = expectedRng.nextDouble();
                double devices = 0.8 - scans - pepper;
                TrainingPair expected = u < devices ? mix.device().applyPair(CLEAN, expectedRng)
                        : u < devices + scans ? mix.scan().applyPair(CLEAN, expectedRng)
                        : u < 0.8 ? mix.greyPepper().applyPair(CLEAN, expectedRng) : mix.impulse().applyPair(CLEAN, expectedRng);
                assertArrayEquals(expected.noisy().pixels(), mix.applyPair(CLEAN, new SplittableRandom(seed)).noisy().pixels(),
                        specs[k] + ", seed " + seed + ", u " + u);
                greyPepper += u >= devices + scans && u < 0.8 ? 1 : 0;
            }
            assertEquals(pepper > 0, greyPepper > 0, specs[k] + ": grey pepper images " + greyPepper);
            // the pepper share is the per-family evaluation's renderer: the seed's pepper on a grey scan, on every image
            assertEquals("device:0.2-0.8:only=pepper", mix.greyPepper().spec());
            assertTrue(mix.greyPepper().focus(), "every image of the share shows the pepper");
        }
        for (String bad : new String[]{"devicemix:0-1:scans=0.9", "devicemix:0-1:scans=x", "devicemix:0-1:shares=0.5",
                "devicemix:0-1:scans=0.5:x", "devicemix:0-1:scans=0.5:pepper=0.4", "devicemix:0-1:pepper=-0.1",
                "devicemix:0-1:pepper=0.1:pepper=0.2"}) {
            assertThrows(IllegalArgumentException.class, () -> NoiseModel.parse(bad), bad);
        }
    }

    /**
     * device:LO-HI:with=pepper draws pen, paper and device as device:LO-HI does and puts the seed's pepper on every
     * image (the pepper specialist's training). Mutations caught: the option ignored or pepper left to its three in ten
     * (images without specks), the option lost in the spec or in withDensity.
     */
    @Test
    void withPepperPutsPepperOnEveryImageAndKeepsTheRest() {
        DeviceDegradation with = (DeviceDegradation) NoiseModel.parse("device:0.2-0.8:with=pepper");
        assertEquals("device:0.2-0.8:with=pepper", with.spec());
        assertEquals("device:0.5:with=pepper", with.withDensity(0.5).spec());
        DeviceDegradation plain = DeviceDegradation.all(0.2, 0.8);
        int covered = 0;
        int plainCovered = 0;
        for (int seed = 0; seed < 12; seed++) {
            covered += DarkSpecks.coverage(with.render(CLEAN, new SplittableRandom(seed)).noisy()) > 0.3 ? 1 : 0;
            plainCovered += DarkSpecks.coverage(plain.render(CLEAN, new SplittableRandom(seed)).noisy()) > 0.3 ? 1 : 0;
        }
        assertTrue(covered >= 10, "specks all over " + covered + " of 12 images");
        assertTrue(plainCovered <= 7, "without the option, pepper comes on some images only: " + plainCovered + " of 12");
        assertThrows(IllegalArgumentException.class, () -> NoiseModel.parse("device:0-1:with=pen"));
    }

    /**
     * peppermix (the pepper specialist's training): one draw per image, the pepper alone (half by default, alone=SHARE)
     * or on top of every family. Mutations caught: one renderer always or the share ignored (the count), the halves
     * swapped or another renderer drawn (the pixels), a bad option accepted.
     */
    @Test
    void peppermixDrawsThePepperAloneInItsShareAndOnEveryFamilyOtherwise() {
        for (String spec : new String[]{"peppermix:0.2-0.8", "peppermix:0.2-0.8:alone=0.8"}) {
            NoiseModel.PepperMix mix = (NoiseModel.PepperMix) NoiseModel.parse(spec);
            assertEquals(spec, mix.spec());
            assertEquals("device:0.2-0.8:only=pepper", mix.alone().spec());
            assertTrue(mix.alone().focus());
            assertEquals("device:0.2-0.8:with=pepper", mix.withFamilies().spec());
            int alone = 0;
            for (int seed = 0; seed < 30; seed++) {
                SplittableRandom rng = new SplittableRandom(seed);
                boolean a = mix.aloneShare() == 0.5 ? rng.nextBoolean() : rng.nextDouble() < mix.aloneShare();
                TrainingPair expected = a ? mix.alone().applyPair(CLEAN, rng) : mix.withFamilies().applyPair(CLEAN, rng);
                assertArrayEquals(expected.noisy().pixels(), mix.applyPair(CLEAN, new SplittableRandom(seed)).noisy().pixels(),
                        spec + ", seed " + seed);
                alone += a ? 1 : 0;
            }
            double expectedAlone = 30 * mix.aloneShare();
            assertTrue(Math.abs(alone - expectedAlone) <= 7, spec + ": " + alone + " of 30 alone");
        }
        assertEquals(0.8, ((NoiseModel.PepperMix) NoiseModel.parse("peppermix:0-1:alone=0.8")).aloneShare());
        for (String bad : new String[]{"peppermix:0-1:alone=1.5", "peppermix:0-1:scans=0.5", "peppermix:0-1:alone=0.5:x"}) {
            assertThrows(IllegalArgumentException.class, () -> NoiseModel.parse(bad), bad);
        }
    }

    private static double meanAbsDiff(GrayImage a, GrayImage b) {
        double s = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            s += Math.abs(a.pixels()[i] - b.pixels()[i]);
        }
        return s / a.pixels().length;
    }
}
