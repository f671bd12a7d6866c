package org.inkwell.engine;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.OptionalDouble;

/**
 * A second engine beside DL4J, registered once at start-up ({@link Engines#register}); the oneDNN plans are one.
 * Inkwell works without any: every network then runs on DL4J.
 */
public interface EngineProvider {
    Engine engine();

    /** Whether this engine computes exactly what DL4J computes for {@code net}'s forward pass. */
    boolean runsForward(ComputationGraph net);

    /** Whether this engine computes exactly DL4J's gradients for {@code net}. */
    boolean runsGradient(ComputationGraph net);

    /** {@code fallback} is DL4J's own pass, for what this engine cannot take. */
    ForwardEngine forward(ComputationGraph net, ForwardEngine fallback);

    GradientEngine gradient(ComputationGraph net);

    /** The engine's own float32 matrix-multiply peak on this machine's threads, in GFLOP/s (bench's yardstick). */
    default OptionalDouble gemmPeakGflops() {
        return OptionalDouble.empty();
    }

    /** Whether this CPU computes the engine's bfloat16 plans in hardware (what {@code auto} precision follows). */
    default boolean hardwareBf16() {
        return false;
    }

    /** The same with bfloat16 inputs and float32 results, where the engine has a bfloat16 path. */
    default OptionalDouble bf16GemmPeakGflops() {
        return OptionalDouble.empty();
    }
}
