package org.inkwell.onednn;

import org.inkwell.engine.Engine;
import org.inkwell.model.Architecture;
import org.inkwell.model.Denoiser;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.GrayImage;
import org.inkwell.runtime.Dl4jRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The oneDNN plan computes DL4J's forward pass: same probabilities for every architecture, any shape, any batch. */
class InferencePlanTest {
    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    /** A network with trained BatchNorm statistics (fresh ones are 0 and 1, which would hide a wrong fusion). */
    private static ComputationGraph trained(Architecture arch) {
        Nd4j.getRandom().setSeed(5);
        ComputationGraph net = arch.build(64, new Adam(1e-2), 3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 64, 64);
        INDArray y = x.gt(0.5).castTo(DataType.FLOAT);
        for (int i = 0; i < 3; i++) {
            net.fit(new DataSet(x, y));
        }
        return net;
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"SEED", "UNET"})
    void thePlanGivesDl4jsProbabilities(Architecture arch) {
        ComputationGraph net = trained(arch);
        assertTrue(InferencePlan.supports(net));
        INDArray in = Nd4j.rand(DataType.FLOAT, 3, 1, 64, 96);
        float[] expected = net.outputSingle(false, in).dup('c').data().asFloat();
        float[] got;
        try (InferencePlan plan = new InferencePlan(net, 3, 64, 96)) {
            got = plan.run(in.dup('c').data().asFloat());
        }
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - got[i]));
        }
        assertTrue(max < 1e-4, arch + ": largest difference " + max);
    }

    /**
     * BatchNorm statistics far from 0 and 1 in every layer (issue #28: trained ones barely move): the plan's fused
     * scale and shift must follow each of mean, variance, gamma and beta. Catches a wrong epsilon, a variance used
     * as a standard deviation, a skipped shift, gamma and beta swapped.
     */
    /**
     * 12, 24 and 40 channels (not whole 16-channel blocks; the skip's concatenation starts inside a block) with random
     * BatchNorm statistics: the plan is made (not refused) and gives DL4J's probabilities.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {12, 24, 40})
    void oddChannelCountsAndRandomStatisticsGiveDl4jsProbabilities(int channels) {
        ComputationGraph net = TrainingPlanTest.everyKind(channels, new Adam(1e-3));
        TrainingPlanTest.randomStatistics(net, channels);
        assertTrue(InferencePlan.supports(net));
        INDArray in = Nd4j.rand(DataType.FLOAT, 2, 1, 32, 48);
        float[] expected = net.outputSingle(false, in).dup('c').data().asFloat();
        float[] got;
        try (InferencePlan plan = new InferencePlan(net, 2, 32, 48)) {
            got = plan.run(in.dup('c').data().asFloat());
        }
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - got[i]));
        }
        assertTrue(max < 2e-4, channels + " channels: largest difference " + max);
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"SEED", "UNET"})
    void thePlanFollowsBatchNormStatisticsFarFromZeroAndOne(Architecture arch) {
        ComputationGraph net = trained(arch);
        TrainingPlanTest.randomStatistics(net, 17);
        long layers = java.util.Arrays.stream(net.getLayers())
                .filter(l -> l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization).count();
        assertTrue(layers > 0, arch + " has BatchNorm layers");
        INDArray in = Nd4j.rand(DataType.FLOAT, 2, 1, 64, 64);
        float[] expected = net.outputSingle(false, in).dup('c').data().asFloat();
        float[] got;
        try (InferencePlan plan = new InferencePlan(net, 2, 64, 64)) {
            got = plan.run(in.dup('c').data().asFloat());
        }
        double max = 0;
        double spread = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - got[i]));
            spread = Math.max(spread, Math.abs(expected[i] - expected[0]));
        }
        assertTrue(spread > 0.05, "the statistics make a difference to the output: " + spread);
        assertTrue(max < 2e-4, arch + ": largest difference " + max);
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"SEED", "UNET"})
    void theDenoiserRunsThePlanAndCleansLikeDl4j(Architecture arch) {
        ComputationGraph net = trained(arch);
        Denoiser d = new Denoiser(net);
        assertEquals(Engine.ONEDNN, d.engine());
        GrayImage img = new GrayImage(96, 64, Nd4j.rand(DataType.FLOAT, 64 * 96).data().asFloat());
        GrayImage[] viaPlan = d.predictBatch(new GrayImage[]{img, img});
        float[] viaDl4j = net.outputSingle(false, Nd4j.create(img.pixels(), new long[]{1, 1, 64, 96}, 'c')).dup('c').data().asFloat();
        for (int i = 0; i < viaDl4j.length; i++) {
            assertEquals(viaDl4j[i], viaPlan[1].pixels()[i], 1e-4);
        }
    }

    @org.junit.jupiter.api.Test
    void plansFollowTrainingAndRefuseShapesTheyCannotTakeExactly() {
        ComputationGraph net = trained(Architecture.SEED);
        try (Denoiser d = new Denoiser(net)) {
            GrayImage img = new GrayImage(64, 64, Nd4j.rand(DataType.FLOAT, 64 * 64).data().asFloat());
            d.predictBatch(new GrayImage[]{img});
            // Training after a plan was made: the next pass must use the new weights.
            INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 64, 64);
            net.fit(new DataSet(x, x.gt(0.5).castTo(DataType.FLOAT)));
            assertClose(net, img, d.predictBatch(new GrayImage[]{img})[0]);
        }
        // 48 rows cannot be halved five times exactly (DL4J's Same pooling would round up): no plan for that shape.
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new InferencePlan(net, 1, 48, 64));
    }

    @org.junit.jupiter.api.Test
    void layersThePlanDoesNotCoverAreRefused() {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(32, 32, 1))
                .addLayer("d", new org.deeplearning4j.nn.conf.layers.Deconvolution2D.Builder(3, 3).nOut(1)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).build(), "in")
                .addLayer("out", new org.deeplearning4j.nn.conf.layers.CnnLossLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.XENT)
                        .activation(org.nd4j.linalg.activations.Activation.SIGMOID).build(), "d")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        org.junit.jupiter.api.Assertions.assertFalse(InferencePlan.supports(net), "a deconvolution is not a convolution");
        try (Denoiser d = new Denoiser(net)) {
            assertEquals(Engine.DL4J, d.engine());
        }
    }

    private static void assertClose(ComputationGraph net, GrayImage in, GrayImage got) {
        float[] expected = net.outputSingle(false, Nd4j.create(in.pixels(), new long[]{1, 1, in.height(), in.width()}, 'c'))
                .dup('c').data().asFloat();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got.pixels()[i], 1e-4);
        }
    }
}
