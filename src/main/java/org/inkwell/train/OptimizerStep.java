package org.inkwell.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.engine.Engine;
import org.inkwell.engine.EngineSetting;
import org.inkwell.engine.Engines;
import org.inkwell.engine.GradientEngine;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Optimizer steps of one network: its {@link GradientEngine} (chosen by the engine setting: the oneDNN plans where
 * they cover the network, else DL4J's backprop) computes the gradient, DL4J's updater applies it, so the model, its
 * optimizer state and checkpoints are the same whichever engine ran. Holds the engine's native memory until closed.
 * Not thread-safe: use it on the thread that owns the network.
 */
public final class OptimizerStep implements AutoCloseable {
    private final ComputationGraph net;
    private final GradientEngine engine;

    public OptimizerStep(ComputationGraph net) {
        this(net, EngineSetting.forTraining(), notice -> { });
    }

    /** {@code notices} hears what the user should know (an engine given up, a shape refused), once each. */
    public OptimizerStep(ComputationGraph net, Consumer<String> notices) {
        this(net, EngineSetting.forTraining(), notices);
    }

    public OptimizerStep(ComputationGraph net, EngineSetting setting, Consumer<String> notices) {
        this.net = net;
        this.engine = Engines.gradient(net, setting);
        engine.notices(notices);
    }

    /** What computes the gradients now ({@link Engine#DL4J} once the plans were given up). */
    public Engine engine() {
        return engine.engine();
    }

    /** What computed the last step's gradient. */
    public Engine lastUsed() {
        return engine.lastUsed();
    }

    /** Native bytes the gradient engine holds. */
    public long nativeBytes() {
        return engine.nativeBytes();
    }

    /**
     * One optimizer step over {@code x} and targets {@code y}, in passes of at most {@code micro} samples ({@code <= 0}:
     * one pass); returns DL4J's score (sum over pixels, mean over samples).
     */
    public double fit(INDArray x, INDArray y, int micro) {
        GradientEngine.Result r = engine.gradient(x, y, micro);
        TrainingStep.apply(net, r.gradient(), (int) x.size(0));
        return r.lossSum() / x.size(0);
    }

    /** Milliseconds per primitive kind of one pass (see {@link GradientEngine#profilePass}). */
    public Map<String, Double> profilePass(INDArray x, INDArray y, int pass) {
        return engine.profilePass(x, y, pass);
    }

    @Override
    public void close() {
        engine.close();
    }
}
