package org.inkwell.onednn;

import org.inkwell.engine.Engine;
import org.inkwell.train.OptimizerStep;
import org.inkwell.train.TrainingStep;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.inkwell.model.Architecture;
import org.inkwell.runtime.Dl4jRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oneDNN training plan computes DL4J's backprop. The reference is DL4J's own pass in float64: BatchNorm over a
 * small batch turns a ReLU whose input rounds to the other side of zero into a visible change of a gradient, so
 * two float32 implementations differ by up to a percent on a whole random network (DL4J's own float32 pass
 * against float64 does too); a wrong formula, layout or slice is off by far more.
 * <p>Mutations these tests and {@code InferencePlanTest} catch (each applied and run by
 * {@code src/bench/plan_mutations.py}; every one fails them): a wrong BatchNorm epsilon in the inference fold and in
 * training, the loss gradient divided by the pass size, the concatenation's gradient slices swapped, the BatchNorm
 * shift skipped in the inference fold, the running-statistics update without {@code (1 - decay)}, the running
 * statistics not averaged over the passes of a step.
 */
class TrainingPlanTest {
    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    /** Every layer kind the plan has, with a skip (an activation read twice, whose gradients add up). */
    static ComputationGraph everyKind() {
        return everyKind(16, new Adam(1e-3));
    }

    /**
     * As above with {@code channels} in every layer: 12, 24 and 40 are not multiples of oneDNN's 16-channel blocks,
     * so the skip's concatenation puts its second part at a channel offset inside a block.
     */
    static ComputationGraph everyKind(int channels, org.nd4j.linalg.learning.config.IUpdater updater) {
        var g = new NeuralNetConfiguration.Builder().seed(3).updater(updater).weightInit(WeightInit.XAVIER_UNIFORM)
                .convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("input")
                .setInputTypes(InputType.convolutional(32, 32, 1, CNN2DFormat.NCHW));
        g.addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(channels).activation(Activation.RELU).build(), "input");
        g.addLayer("bn1", new BatchNormalization.Builder().eps(1e-3).decay(0.99).useLogStd(false).build(), "c1");
        g.addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "bn1");
        g.addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(channels).activation(Activation.RELU).build(), "pool");
        g.addLayer("bn2", new BatchNormalization.Builder().eps(1e-3).decay(0.9).useLogStd(false).build(), "c2");
        g.addLayer("up", new Upsampling2D.Builder(2).build(), "bn2");
        g.addVertex("skip", new MergeVertex(), "up", "bn1");
        g.addLayer("c3", new ConvolutionLayer.Builder(3, 3).nOut(channels).activation(Activation.RELU).build(), "skip");
        g.addLayer("bn3", new BatchNormalization.Builder().eps(1e-3).decay(0.99).useLogStd(false).build(), "c3");
        g.addLayer("output_conv", new ConvolutionLayer.Builder(3, 3).nOut(1).activation(Activation.IDENTITY).build(), "bn3");
        g.addLayer("output", new CnnLossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.SIGMOID)
                .format(CNN2DFormat.NCHW).build(), "output_conv");
        g.setOutputs("output");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    /**
     * Sets every BatchNorm's mean, variance, gamma and beta to random values far from 0 and 1 (fresh ones are 0 and 1,
     * which hide a wrong epsilon, a variance taken for a deviation, a skipped shift).
     */
    static void randomStatistics(ComputationGraph net, long seed) {
        java.util.Random r = new java.util.Random(seed);
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
            if (!(l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization)) {
                continue;
            }
            for (var e : l.paramTable().entrySet()) {
                INDArray p = e.getValue();
                double lo;
                double hi;
                switch (e.getKey()) {
                    case "mean" -> { lo = -1.5; hi = 1.5; }
                    case "var" -> { lo = 0.05; hi = 4; }
                    case "log10stdev" -> { lo = -0.6; hi = 0.3; }
                    case "gamma" -> { lo = 0.3; hi = 2; }
                    default -> { lo = -1; hi = 1; } // beta
                }
                float[] v = new float[(int) p.length()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (lo + (hi - lo) * r.nextDouble());
                }
                p.assign(Nd4j.create(v, p.shape(), p.ordering()));
            }
        }
    }

    /**
     * Every layer kind, with 16 channels (whole oneDNN blocks) and with 12, 24 and 40 (a concatenation inside a
     * block), and random running statistics (whose updates the plan computes): gradients against float64. Mutations
     * caught (each makes this fail): the concat's slices swapped in the backward pass, the running-statistics update
     * without {@code (1 - decay)}, the loss gradient not divided where DL4J clips, a BatchNorm gradient without the
     * batch-statistics terms.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {16, 12, 24, 40})
    void everyLayerKindGivesFloat64Gradients(int channels) {
        ComputationGraph net = everyKind(channels, new Adam(1e-3));
        randomStatistics(net, 23 + channels);
        assertTrue(TrainingPlan.supports(net));
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 1, 32, 32);
        INDArray y = x.gt(0.6).castTo(DataType.FLOAT);
        Map<String, float[]> sums = new HashMap<>();
        double loss;
        try (TrainingPlan plan = new TrainingPlan(net, 3, 32, 32)) {
            plan.load(net);
            loss = plan.pass(net, x.dup('c').data().asFloat(), y.dup('c').data().asFloat(), 0, (int) x.length(), sums);
        }
        ComputationGraph reference = float64Gradients(net, x, y);
        assertEquals(reference.score() * 3, loss, 1e-6 * loss, "summed loss");
        for (var e : reference.gradient().gradientForVariable().entrySet()) {
            String key = e.getKey();
            double[] expected = e.getValue().dup('c').data().asDouble();
            float[] got = sums.get(key);
            if (key.endsWith("_mean") || key.endsWith("_var")) {
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], got[i], 1e-6, key + "[" + i + "]: running-statistics update");
                }
            } else {
                assertTrue(relativeL2(expected, got) < 5e-3, key + ": relative L2 error " + relativeL2(expected, got));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"SEED, 0, 4", "UNET, 0, 4", "SEED, 2, 5"})
    void wholeNetworksMatchDl4jsStep(Architecture arch, int micro, int batch) {
        ComputationGraph viaDl4j = arch.build(64, new Adam(1e-3), 3);
        ComputationGraph viaPlan = viaDl4j.clone();
        Nd4j.getRandom().setSeed(11);
        // Batch 5 in passes of 2 takes two plan shapes (2 and the remainder, 1).
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 1, 64, 64);
        INDArray y = x.gt(0.6).castTo(DataType.FLOAT);
        if (micro == 0) {
            // Against float64, the plan's gradients are as close as DL4J's own float32 backprop (a percent; see above).
            Map<String, float[]> sums = new HashMap<>();
            try (TrainingPlan plan = new TrainingPlan(viaPlan, batch, 64, 64)) {
                plan.load(viaPlan);
                plan.pass(viaPlan, x.dup('c').data().asFloat(), y.dup('c').data().asFloat(), 0, (int) x.length(), sums);
            }
            ComputationGraph reference = float64Gradients(viaPlan, x, y);
            double worst = 0;
            for (var e : reference.gradient().gradientForVariable().entrySet()) {
                if (e.getKey().endsWith("_mean") || e.getKey().endsWith("_var")) {
                    continue;
                }
                worst = Math.max(worst, relativeL2(e.getValue().dup('c').data().asDouble(), sums.get(e.getKey())));
            }
            assertTrue(worst < 0.05, arch + ": largest relative L2 error of a gradient " + worst);
        }
        try (OptimizerStep planned = new OptimizerStep(viaPlan)) {
            assertEquals(Engine.ONEDNN, planned.engine());
            for (int step = 0; step < 3; step++) {
                double expected = TrainingStep.fit(viaDl4j, x, y, micro);
                double got = planned.fit(x, y, micro);
                // The first score is the same forward pass; later ones follow slightly different float32 gradients.
                assertEquals(expected, got, (step == 0 ? 1e-5 : 1e-2) * expected, arch + " step " + step + " score");
            }
            assertEquals(Engine.ONEDNN, planned.engine(), "the plan must not have fallen back to DL4J");
        }
        assertEquals(viaDl4j.getIterationCount(), viaPlan.getIterationCount());
        double[] a = viaDl4j.params().dup().data().asDouble();
        float[] b = viaPlan.params().dup().data().asFloat();
        assertTrue(relativeL2(a, b) < 1e-2, arch + ": parameters after three steps, relative difference " + relativeL2(a, b));
    }

    @ParameterizedTest
    @CsvSource({"log-deviation BatchNorm", "dropout", "L2", "max-norm constraint", "float64"})
    void aNetworkThePlanDoesNotCoverTrainsThroughDl4j(String difference) {
        var conf = Architecture.SEED.configuration(64, new Adam(1e-3), 3);
        for (var v : conf.getVertices().values()) {
            if (!(v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv)) {
                continue;
            }
            var layer = lv.getLayerConf().getLayer();
            if (difference.equals("log-deviation BatchNorm") && layer instanceof BatchNormalization bn) {
                bn.setUseLogStd(true);
            } else if (layer instanceof ConvolutionLayer c && c.getLayerName().equals("enc3")) {
                switch (difference) {
                    case "dropout" -> c.setIDropout(new org.deeplearning4j.nn.conf.dropout.Dropout(0.9));
                    case "L2" -> c.setRegularization(java.util.List.of(new org.nd4j.linalg.learning.regularization.L2Regularization(1e-4)));
                    case "max-norm constraint" -> c.setConstraints(java.util.List.of(
                            new org.deeplearning4j.nn.conf.constraint.MaxNormConstraint(1.0, 1)));
                    default -> {
                    }
                }
            }
        }
        if (difference.equals("float64")) {
            conf.setDataType(DataType.DOUBLE);
        }
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        assertTrue(!TrainingPlan.supports(net), difference + " must not be planned");
        INDArray x = Nd4j.rand(net.getConfiguration().getDataType(), 2, 1, 64, 64);
        try (OptimizerStep planned = new OptimizerStep(net)) {
            assertEquals(Engine.DL4J, planned.engine());
            double score = planned.fit(x, x.gt(0.5).castTo(x.dataType()), 0);
            assertTrue(Double.isFinite(score) && score > 0);
            assertEquals(1, net.getIterationCount());
        }
    }

    /**
     * One plain SGD step of a whole seed network through the plans against DL4J's: with SGD the parameters move by
     * exactly the learning rate times the gradient, so a gradient off by a constant factor (a wrong divisor, the loss
     * averaged where DL4J sums it) moves them by the wrong amount; Adam would normalise that away. Compared on the
     * parameter changes, not the parameters.
     */
    @Test
    void anSgdStepMovesTheParametersAsDl4jDoes() {
        ComputationGraph viaDl4j = Architecture.SEED.build(64, new org.nd4j.linalg.learning.config.Sgd(1e-4), 3);
        randomStatistics(viaDl4j, 31);
        ComputationGraph viaPlan = viaDl4j.clone();
        double[] before = viaDl4j.params().dup().data().asDouble();
        Nd4j.getRandom().setSeed(12);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 1, 64, 64);
        INDArray y = x.gt(0.6).castTo(DataType.FLOAT);
        TrainingStep.fit(viaDl4j, x, y, 0);
        try (OptimizerStep planned = new OptimizerStep(viaPlan)) {
            assertEquals(Engine.ONEDNN, planned.engine());
            planned.fit(x, y, 0);
            assertEquals(Engine.ONEDNN, planned.lastUsed(), "the plan computed the step");
        }
        double[] a = viaDl4j.params().dup().data().asDouble();
        double[] b = viaPlan.params().dup().data().asDouble();
        float[] planDelta = new float[a.length];
        double[] dl4jDelta = new double[a.length];
        double moved = 0;
        for (int i = 0; i < a.length; i++) {
            dl4jDelta[i] = a[i] - before[i];
            planDelta[i] = (float) (b[i] - before[i]);
            moved = Math.max(moved, Math.abs(dl4jDelta[i]));
        }
        assertTrue(moved > 1e-4, "the step moves the parameters: " + moved);
        double err = relativeL2(dl4jDelta, planDelta);
        assertTrue(err < 0.02, "parameter changes differ by " + err + " (relative L2)");
    }

    private static ComputationGraph float64Gradients(ComputationGraph net, INDArray x, INDArray y) {
        ComputationGraph reference = net.convertDataType(DataType.DOUBLE);
        reference.setInputs(x.castTo(DataType.DOUBLE));
        reference.setLabels(y.castTo(DataType.DOUBLE));
        reference.computeGradientAndScore();
        return reference;
    }

    private static double relativeL2(double[] expected, float[] got) {
        double err = 0;
        for (int i = 0; i < expected.length; i++) {
            err += (got[i] - expected[i]) * (got[i] - expected[i]);
        }
        double n = 0;
        for (double e : expected) {
            n += e * e;
        }
        return Math.sqrt(err / Math.max(n, 1e-30));
    }
}
