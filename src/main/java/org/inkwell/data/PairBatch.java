package org.inkwell.data;

/** {@code count} pairs of {@code side x side} samples as flat NCHW float arrays (C = 1), ready for ND4J. */
public record PairBatch(float[] noisy, float[] clean, int count, int side) {
    public PairBatch {
        long expected = (long) count * side * side;
        if (noisy.length != expected || clean.length != expected) {
            throw new IllegalArgumentException("batch arrays do not match " + count + "x" + side + "x" + side);
        }
    }

    public static PairBatch of(java.util.List<TrainingPair> pairs) {
        int side = pairs.get(0).clean().width();
        int plane = side * side;
        float[] noisy = new float[pairs.size() * plane];
        float[] clean = new float[pairs.size() * plane];
        for (int i = 0; i < pairs.size(); i++) {
            TrainingPair p = pairs.get(i);
            if (p.clean().width() != side || p.clean().height() != side) {
                throw new IllegalArgumentException("all pairs in a batch must be " + side + "x" + side);
            }
            System.arraycopy(p.noisy().pixels(), 0, noisy, i * plane, plane);
            System.arraycopy(p.clean().pixels(), 0, clean, i * plane, plane);
        }
        return new PairBatch(noisy, clean, pairs.size(), side);
    }
}
