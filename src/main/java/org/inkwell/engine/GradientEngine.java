package org.inkwell.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * One network's loss and gradients for a batch, as DL4J's backprop computes them: left in the network's gradient
 * view (sums over the batch; BatchNorm's running-statistics entries are updates, averaged over the passes) for
 * DL4J's updater to apply. The batch may be computed in passes of at most {@code micro} samples whose gradients are
 * summed. Made by {@link Engines#gradient}; confined to the thread that owns the network; holds native memory until
 * closed.
 */
public interface GradientEngine extends AutoCloseable {
    /** The gradient, in the network's gradient view, and the loss summed over the batch's samples. */
    record Result(org.deeplearning4j.nn.gradient.Gradient gradient, double lossSum) {
    }

    Engine engine();

    Result gradient(INDArray x, INDArray y, int micro);

    /** What computed the last gradient. */
    default Engine lastUsed() {
        return engine();
    }

    /** {@code listener} hears, once each, what the user should know (the engine given up, a shape refused). */
    default void notices(java.util.function.Consumer<String> listener) {
    }

    /** Native memory held now, in bytes. */
    default long nativeBytes() {
        return 0;
    }

    /**
     * For profiling: milliseconds per primitive kind of one pass over the first {@code pass} samples; engines that
     * cannot say refuse.
     */
    default Map<String, Double> profilePass(INDArray x, INDArray y, int pass) {
        throw new UnsupportedOperationException(engine().label() + " has no per-primitive profile");
    }

    @Override
    void close();
}
