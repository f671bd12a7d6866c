package org.inkwell.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;

import java.util.Locale;

/**
 * The memory a network's forward pass needs, estimated from its configuration alone before any pass runs: every
 * layer's output at the input size (what an inference plan holds at once; DL4J's own pass holds less), so a small
 * model file whose layers blow an image up (a 64x upsampling undone by a 64x pooling) is refused in one line
 * instead of allocating gigabytes on the first scan.
 */
public final class ActivationBudget {
    /**
     * Bytes the activations of one 512x512 cleaning tile may take, checked when a model loads: 2 GiB, 1.5x what
     * Inkwell's largest architecture (vgg16, 1.4 GB) needs and 6-10x the unet's and the seed's (0.33 and 0.22 GB).
     */
    public static final long MAX_BYTES = Long.getLong("inkwell.maxActivationBytes", 2L << 30);

    private ActivationBudget() {
    }

    /** ND4J's off-heap limit (a pass beyond it fails or ends the JVM), or 0 when it has none. */
    private static long nd4jLimit() {
        return Math.max(0, org.bytedeco.javacpp.Pointer.maxBytes());
    }

    /** The budget for one cleaning tile: {@link #MAX_BYTES}, or ND4J's off-heap limit when that is lower. */
    public static long tileLimit() {
        long nd4j = nd4jLimit();
        return nd4j > 0 ? Math.min(MAX_BYTES, nd4j) : MAX_BYTES;
    }

    /**
     * The budget for any one pass (a whole 2048x2048 image in {@code evaluate}, a validation batch): what ND4J may
     * use, and never less than the tile budget.
     */
    public static long passLimit() {
        return Math.max(MAX_BYTES, nd4jLimit());
    }

    /**
     * Bytes of every layer's output (the input's included) for {@code n} one-channel images of {@code h x w}.
     * Saturates at {@code Long.MAX_VALUE}; throws IllegalArgumentException when the network cannot take such an input.
     */
    public static long bytes(ComputationGraphConfiguration conf, long n, long h, long w) {
        // On a copy: DL4J's shape inference may add preprocessors and set nIn on the configuration it walks.
        ComputationGraphConfiguration copy = conf.clone();
        java.util.Map<String, InputType> types;
        try {
            types = copy.getLayerActivationTypes(false, false, InputType.convolutional(h, w, 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
        long elements = 0;
        for (InputType t : types.values()) {
            long e = t.arrayElementsPerExample();
            elements = e < 0 || elements > Long.MAX_VALUE - e ? Long.MAX_VALUE : elements + e;
        }
        int width = conf.getDataType() == null ? 4 : Math.max(1, conf.getDataType().width());
        return multiply(multiply(elements, n), width);
    }

    private static long multiply(long a, long b) {
        return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
    }

    /** One line for a pass over {@code limit}: how much for what, the limit, and what raises it. */
    static String overBudget(long bytes, String what, long limit) {
        boolean nd4j = limit == nd4jLimit() && limit < MAX_BYTES || limit > MAX_BYTES;
        return String.format(Locale.ROOT, "the network needs about %s of memory for the activations of %s, more than "
                + "the %.1f GB %s", gigabytes(bytes), what, limit / 1e9, nd4j
                ? "ND4J may use here (give Java more memory with -Xmx)"
                : "Inkwell allows (raise -Dinkwell.maxActivationBytes if it is really needed)");
    }

    private static String gigabytes(long bytes) {
        return bytes == Long.MAX_VALUE ? "an unbounded amount" : String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    /**
     * Refuses a forward pass of {@code n} images of {@code h x w} over the budget, before it allocates anything. A
     * shape DL4J cannot infer is left to the pass itself to report.
     */
    public static void check(ComputationGraphConfiguration conf, long n, long h, long w) {
        long bytes;
        try {
            bytes = bytes(conf, n, h, w);
        } catch (IllegalArgumentException e) {
            return;
        }
        long limit = passLimit();
        if (bytes > limit) {
            String what = (n == 1 ? "one " : n + " images of ") + w + "x" + h + (n == 1 ? " image" : "");
            throw new IllegalArgumentException(overBudget(bytes, what, limit) + "; use smaller images (--size)");
        }
    }
}
