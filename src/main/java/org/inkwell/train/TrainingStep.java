package org.inkwell.train;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.inkwell.model.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * One optimizer step, as DL4J's {@code fit} does it or split into micro-batches whose gradients are summed
 * before the single update; the optimizer in DL4J's units; and the one rule for pass sizes.
 * {@code TrainerTest} pins the split step against {@code fit}.
 */
public final class TrainingStep {
    /**
     * Samples per forward/backward pass when a step is split (gradient accumulation): a pass whose 224x224
     * activations outgrow the CPU's caches is slow per sample (README, "Performance").
     */
    static final long MICRO_BATCH_PIXELS = 8L * 224 * 224;

    private TrainingStep() {
    }

    /** One optimizer step on the whole batch, as {@code fit} does; returns DL4J's score (sum over pixels, mean over samples). */
    public static double fit(ComputationGraph net, INDArray x, INDArray y) {
        net.fit(new DataSet(x, y));
        return net.score();
    }

    /**
     * One optimizer step over {@code x}, computed in micro-batches of at most {@code micro} samples whose gradients
     * are summed before the single update (BatchNorm then normalises over each micro-batch). {@code micro <= 0}
     * or {@code micro >= batch} is a plain full-batch step.
     */
    public static double fit(ComputationGraph net, INDArray x, INDArray y, int micro) {
        long n = x.size(0);
        if (micro <= 0 || micro >= n) {
            return fit(net, x, y);
        }
        // DL4J's backprop per micro-batch, the gradients summed (running statistics averaged), then one update.
        try (org.inkwell.engine.GradientEngine dl4j = org.inkwell.engine.Engines.dl4j(net)) {
            org.inkwell.engine.GradientEngine.Result r = dl4j.gradient(x, y, micro);
            apply(net, r.gradient(), (int) n);
            return r.lossSum() / n;
        }
    }

    /**
     * The update DL4J's {@code fit} makes from a gradient already in the network's gradient view (sums over
     * {@code samples}; BatchNorm's running-statistics entries are updates, not gradients): the updater's step, then
     * one more iteration.
     */
    public static void apply(ComputationGraph net, Gradient gradient, int samples) {
        var conf = net.getConfiguration();
        net.getUpdater().update(gradient, conf.getIterationCount(), conf.getEpochCount(), samples,
                LayerWorkspaceMgr.noWorkspaces());
        net.params().subi(net.getFlattenedGradients().reshape(net.params().shape()));
        conf.setIterationCount(conf.getIterationCount() + 1);
        net.clearLayersStates();
    }

    /**
     * The micro-batch that keeps a pass over {@code side x side} samples cache-sized: 8 at 224, 43 at 96 (so the
     * default patch training is never split). The workbench trains this way; the CLI splits only when asked.
     */
    public static int autoMicroBatch(int side) {
        return (int) Math.max(1, MICRO_BATCH_PIXELS / ((long) side * side));
    }

    /** The optimizer in DL4J's units: DL4J sums the loss over pixels where Keras averages, so SGD's rate is divided. */
    public static IUpdater updater(TrainingConfig c) {
        int side = c.pairSpec().sampleSide();
        if (c.optimizer().equals(TrainingConfig.ADAM)) {
            return new Adam(c.learningRate());
        }
        double perPixelRate = c.learningRate() / ((double) side * side);
        // Keras' legacy decay: lr / (1 + 1e-6 * iterations).
        return new Nesterovs(new InverseSchedule(ScheduleType.ITERATION, perPixelRate, 1e-6, 1.0), 0.99);
    }
}
