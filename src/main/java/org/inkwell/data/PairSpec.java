package org.inkwell.data;

/**
 * How training pairs are made from a source image: preprocessing to {@code size}, an optional random crop of
 * {@code patch} pixels (0 = whole image), the seed's augmentation, and the noise.
 */
public record PairSpec(Preprocess.Mode mode, int size, int patch, boolean augment, NoiseModel noise) {
    public static PairSpec seed() {
        return new PairSpec(Preprocess.Mode.SEED, Preprocess.SEED_SIZE, 0, true, NoiseModel.pepper(0.2));
    }

    public PairSpec {
        if (size <= 0 || size % 32 != 0) {
            throw new IllegalArgumentException("input size must be a positive multiple of 32, got " + size);
        }
        if (patch < 0 || patch > size || (patch > 0 && patch % 32 != 0)) {
            throw new IllegalArgumentException("patch must be 0 (whole image) or a multiple of 32 up to " + size + ", got " + patch);
        }
    }

    /** Side of the square samples the network sees. */
    public int sampleSide() {
        return patch == 0 ? size : patch;
    }

    public PairSpec withNoise(NoiseModel n) {
        return new PairSpec(mode, size, patch, augment, n);
    }

    public PairSpec withAugment(boolean a) {
        return new PairSpec(mode, size, patch, a, noise);
    }
}
