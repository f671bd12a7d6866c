package org.inkwell.data;

import java.util.random.RandomGenerator;

/** A (noisy input, clean target) pair of the same size. */
public record TrainingPair(GrayImage noisy, GrayImage clean) {

    /** The seed's recipe: preprocess, crop, flip/rotate, then noise on a copy. */
    public static TrainingPair make(GrayImage source, PairSpec spec, RandomGenerator rng) {
        // The noise draws from a stream of its own: how many values it takes depends on the level, and must not
        // shift the next pair's crop, flip and rotation (so levels compare on the same pairs).
        java.util.SplittableRandom noiseRng = new java.util.SplittableRandom(rng.nextLong());
        GrayImage clean = Preprocess.apply(source, spec.mode(), spec.size());
        if (spec.patch() > 0 && spec.patch() < spec.size()) {
            clean = inkyCrop(clean, spec.patch(), rng);
        }
        if (spec.augment()) {
            clean = Augment.random(clean, rng);
        }
        return spec.noise().applyPair(clean, noiseRng);
    }

    /** A random crop that prefers windows with ink, so small patches still teach strokes, not blank paper. */
    private static GrayImage inkyCrop(GrayImage img, int patch, RandomGenerator rng) {
        GrayImage best = null;
        double bestInk = -1;
        for (int attempt = 0; attempt < 4; attempt++) {
            int x = rng.nextInt(img.width() - patch + 1);
            int y = rng.nextInt(img.height() - patch + 1);
            GrayImage c = img.crop(x, y, patch, patch);
            double ink = c.inkFraction();
            if (ink > 0.02) {
                return c;
            }
            if (ink > bestInk) {
                best = c;
                bestInk = ink;
            }
        }
        return best;
    }
}
