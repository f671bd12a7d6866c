package org.inkwell.data;

import java.util.SplittableRandom;

/**
 * Procedural handwritten signatures from the kinematic theory of rapid movements: a {@link WriterStyle} plans
 * virtual targets with {@link SignatureGlyphs}, {@link SigmaLognormal} turns them into pen movement, and
 * {@link SignatureRenderer} draws it.
 *
 * <p>Image {@code i} is a pure function of (seed, i). Consecutive groups of {@link #samplesPerWriter} images share
 * one writer (name, letter shapes, style) and differ like repeated signatures of one person.
 */
public final class SignatureGenerator {
    public static final int DEFAULT_SAMPLES_PER_WRITER = 4;

    private final long seed;
    private final int samplesPerWriter;
    private final boolean thin;

    public SignatureGenerator(long seed) {
        this(seed, DEFAULT_SAMPLES_PER_WRITER);
    }

    public SignatureGenerator(long seed, int samplesPerWriter) {
        this(seed, samplesPerWriter, false);
    }

    private SignatureGenerator(long seed, int samplesPerWriter, boolean thin) {
        if (samplesPerWriter < 1) {
            throw new IllegalArgumentException("samplesPerWriter must be >= 1");
        }
        this.seed = seed;
        this.samplesPerWriter = samplesPerWriter;
        this.thin = thin;
    }

    /**
     * A harder family for evaluation: a fine pen (1 to 1.6 px) at large size, every i-dot, t-bar and full stop
     * drawn. These are the details a blurring network or a median filter erases first.
     */
    public static SignatureGenerator thinStrokesAndDots(long seed) {
        return new SignatureGenerator(seed, 1, true);
    }

    public boolean thin() {
        return thin;
    }

    public long seed() {
        return seed;
    }

    public int samplesPerWriter() {
        return samplesPerWriter;
    }

    public long writerOf(long index) {
        return Math.floorDiv(index, samplesPerWriter);
    }

    /** The binarized signature number {@code index}: ink 0, paper 1, size depends on the signature. */
    public GrayImage generate(long index) {
        WriterStyle writer = WriterStyle.create(new SplittableRandom(Seeds.mix(seed, writerOf(index), 0x5157L)), thin);
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, index, 0xA11CEL));
        return SignatureRenderer.render(writer.write(rng), writer, rng);
    }
}
