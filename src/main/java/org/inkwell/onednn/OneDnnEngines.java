package org.inkwell.onednn;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.engine.Engine;
import org.inkwell.engine.EngineProvider;
import org.inkwell.engine.Engines;
import org.inkwell.engine.ForwardEngine;
import org.inkwell.engine.GradientEngine;
import org.nd4j.linalg.factory.Nd4j;

import java.util.OptionalDouble;

/**
 * The oneDNN plans as an engine: every {@code org.bytedeco.dnnl} import in Inkwell is in this package (an ArchUnit
 * rule keeps it so), and the only reference to it from outside is the one line that registers it. Without this
 * package, every network runs on DL4J.
 */
public final class OneDnnEngines implements EngineProvider {
    @Override
    public Engine engine() {
        return Engine.ONEDNN;
    }

    /** The plans are oneDNN on the CPU: a CUDA build keeps DL4J's layers on the GPU. */
    private static boolean cpu() {
        return Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu");
    }

    @Override
    public boolean runsForward(ComputationGraph net) {
        return cpu() && InferencePlan.supports(net);
    }

    @Override
    public boolean runsGradient(ComputationGraph net) {
        return cpu() && TrainingPlan.supports(net);
    }

    @Override
    public ForwardEngine forward(ComputationGraph net, ForwardEngine fallback) {
        return new PlannedForward(net, fallback);
    }

    @Override
    public GradientEngine gradient(ComputationGraph net) {
        return new PlannedGradient(net, Engines.dl4j(net));
    }

    @Override
    public OptionalDouble gemmPeakGflops() {
        return OptionalDouble.of(GemmPeak.measure(2048, 8, false));
    }

    @Override
    public OptionalDouble bf16GemmPeakGflops() {
        if (DnnlPlan.bf16Kernel().equals("none")) {
            return OptionalDouble.empty(); // no bfloat16 in oneDNN on this CPU (no AVX-512)
        }
        try {
            return OptionalDouble.of(GemmPeak.measure(2048, 8, true));
        } catch (RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    @Override
    public boolean hardwareBf16() {
        return DnnlPlan.nativeBf16();
    }
}
