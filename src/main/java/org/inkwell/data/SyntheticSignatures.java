package org.inkwell.data;

/** {@code count} signatures from the built-in generator, starting at generator index {@code first}. */
public final class SyntheticSignatures implements SignatureSource {
    /** Validation and evaluation signatures come from a separate generator seed, so they never meet training. */
    public static final long VALIDATION_SEED_OFFSET = 0x7E57_5E7L;

    private final SignatureGenerator generator;
    private final int count;
    private final long first;

    public SyntheticSignatures(long seed, int count) {
        this(new SignatureGenerator(seed), count, 0);
    }

    public SyntheticSignatures(SignatureGenerator generator, int count, long first) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0");
        }
        this.generator = generator;
        this.count = count;
        this.first = first;
    }

    /** The held-out signatures that pair with a training seed: different writers, never used for training. */
    public static SyntheticSignatures validationFor(long trainingSeed, int count) {
        return new SyntheticSignatures(trainingSeed + VALIDATION_SEED_OFFSET, count);
    }

    /** Held-out signatures of the thin-strokes-and-dots family, for measuring what blurring loses. */
    public static SyntheticSignatures thinValidationFor(long trainingSeed, int count) {
        return new SyntheticSignatures(SignatureGenerator.thinStrokesAndDots(trainingSeed + VALIDATION_SEED_OFFSET + 1), count, 0);
    }

    public SignatureGenerator generator() {
        return generator;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public String name(int i) {
        return String.format("synthetic-%d-%06d", generator.seed(), first + i);
    }

    /** Writer (identity) of image {@code i}: images of one writer are variations of one signature. */
    public long writer(int i) {
        return generator.writerOf(first + i);
    }

    @Override
    public GrayImage load(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException(i);
        }
        return generator.generate(first + i);
    }

    @Override
    public String description() {
        return "built-in generator (" + (generator.thin() ? "thin strokes and dots, " : "") + "seed " + generator.seed()
                + ", " + count + " signatures)";
    }
}
