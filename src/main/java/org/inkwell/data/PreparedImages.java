package org.inkwell.data;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Source images preprocessed once and kept as packed bits (binary images: 6 KB at 224x224), so each batch
 * only pays for augmentation and noise. Images that fail to load are remembered as {@code null} and skipped.
 */
public final class PreparedImages {
    private static final long[] FAILED = new long[0];

    private final SignatureSource source;
    private final Preprocess.Mode mode;
    private final int size;
    private final AtomicReferenceArray<long[]> bits;

    public PreparedImages(SignatureSource source, Preprocess.Mode mode, int size) {
        this.source = source;
        this.mode = mode;
        this.size = size;
        this.bits = new AtomicReferenceArray<>(source.size());
    }

    public int count() {
        return source.size();
    }

    public SignatureSource source() {
        return source;
    }

    /** The preprocessed image, or null when the source image cannot be read. */
    public GrayImage get(int i) {
        long[] packed = bits.get(i);
        if (packed == null) {
            try {
                packed = pack(Preprocess.apply(source.load(i), mode, size));
            } catch (ImageLoadException e) {
                packed = FAILED;
            }
            bits.set(i, packed);
        }
        return packed == FAILED ? null : unpack(packed);
    }

    private long[] pack(GrayImage img) {
        float[] px = img.pixels();
        long[] out = new long[(px.length + 63) / 64];
        for (int i = 0; i < px.length; i++) {
            if (px[i] >= 0.5f) {
                out[i >>> 6] |= 1L << (i & 63);
            }
        }
        return out;
    }

    private GrayImage unpack(long[] packed) {
        float[] px = new float[size * size];
        for (int i = 0; i < px.length; i++) {
            px[i] = (packed[i >>> 6] >>> (i & 63) & 1L) != 0 ? GrayImage.PAPER : GrayImage.INK;
        }
        return new GrayImage(size, size, px);
    }
}
