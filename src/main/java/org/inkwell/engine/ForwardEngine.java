package org.inkwell.engine;

/**
 * One network's forward pass: single-channel images in, ink probabilities out, both {@code n x 1 x h x w} floats in
 * NCHW order. Made by {@link Engines#forward}; confined to the thread that owns the network; holds native memory
 * until closed (it still works afterwards, making what it needs again).
 */
public interface ForwardEngine extends AutoCloseable {
    /** What actually runs the pass (a oneDNN engine that gave way to DL4J says DL4J). */
    Engine engine();

    float[] forward(float[] x, int n, int h, int w);

    /** What ran the last call (a shape the plans refused runs on DL4J while the engine stays oneDNN). */
    default Engine lastUsed() {
        return engine();
    }

    /** Fixes the number format for this engine whatever the setting says (null: follow the setting again). */
    default void pinPrecision(Precision precision) {
    }

    /** The number format of the last call's activations: "float32" or "bfloat16". */
    default String precision() {
        return "float32";
    }

    /** Native memory held now, in bytes (0 for engines that hold none of their own). */
    default long nativeBytes() {
        return 0;
    }

    /**
     * Milliseconds of each step of one pass over {@code x}, in order, keyed "NN kind" ("07 convolution_forward"), for
     * an engine that plans its pass (bench profile); the others have none.
     */
    default java.util.Map<String, Double> profile(float[] x, int n, int h, int w) {
        throw new UnsupportedOperationException(engine().label() + " has no per-primitive profile");
    }

    /**
     * The floating-point operations of the convolutions in one pass at this shape as this engine runs them (two per
     * multiply-add), for an engine that plans its pass (bench's efficiency against the GEMM peak); empty for the others.
     */
    default java.util.OptionalLong executedFlops(int n, int h, int w) {
        return java.util.OptionalLong.empty();
    }

    @Override
    void close();
}
