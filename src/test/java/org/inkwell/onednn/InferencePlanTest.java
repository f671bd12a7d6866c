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
            // the seed's five upsamplings each feed a convolution, folded in; the U-Net's feed concatenations
            assertEquals(arch == Architecture.SEED ? 5 : 0, plan.upsampledConvs(), arch + ": upsamplings folded");
        }
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - got[i]));
        }
        assertTrue(max < 1e-4, arch + ": largest difference " + max);
    }

    /**
     * The output layer as sixteen phases (a stride-4 6x6 convolution, one channel per pixel of each 4x4 block, put
     * back in place by the last reorder) where both sides are multiples of 4, the plain one elsewhere. .ci/run runs
     * this class again with ONEDNN_MAX_CPU_ISA=AVX2, where the phases are written in 8-channel blocks; both give
     * DL4J's probabilities, in float32 and bfloat16 (where the CPU has it), on a wide batch of two, with a random
     * output bias. Mutations caught (each run): the kernel's
     * rows and columns swapped in a phase, the padding moved (0 top-left, 2 bottom-right), the reorder's row and column strides
     * swapped, the width's multiple-of-4 test dropped (the last columns would stay unwritten), the bias left out.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void theOutputLayerAsSixteenPhasesGivesDl4jsProbabilities(boolean bf16) {
        org.junit.jupiter.api.Assumptions.assumeTrue(!bf16 || DnnlPlan.nativeBf16(), "no bfloat16 in hardware");
        ComputationGraph net = TrainingPlanTest.everyKind(24, new Adam(1e-3));
        TrainingPlanTest.randomStatistics(net, 24);
        net.getParam("output_conv_b").assign(-0.7);
        for (int[] shape : new int[][] {{32, 48}, {34, 50}, {32, 50}}) {
            INDArray in = Nd4j.rand(DataType.FLOAT, 2, 1, shape[0], shape[1]);
            float[] expected = net.outputSingle(false, in).dup('c').data().asFloat();
            try (InferencePlan plan = new InferencePlan(net, 2, shape[0], shape[1], bf16)) {
                boolean multiples = shape[0] % 4 == 0 && shape[1] % 4 == 0;
                String kernel = plan.phaseKernel();
                // where the phases were tried, only a reference kernel may turn them down
                assertEquals(multiples && !kernel.startsWith("ref"), plan.phaseOutput(), shape[0] + "x" + shape[1] + " " + kernel);
                assertEquals(multiples, kernel != null, "tried only where both sides are multiples of 4");
                float[] got = plan.run(in.dup('c').data().asFloat());
                double max = 0;
                for (int i = 0; i < expected.length; i++) {
                    max = Math.max(max, Math.abs(expected[i] - got[i]));
                }
                assertTrue(max < (bf16 ? 0.05 : 2e-4), shape[0] + "x" + shape[1] + " bf16 " + bf16 + ": largest difference " + max);
            }
        }
    }

    /**
     * A decoder with two upsamplings: one before a convolution with ReLU and no BatchNorm ({@code channels} out), one
     * before a 16-channel convolution with BatchNorm and no ReLU, or (with {@code upBeforeOutput}) before the output
     * layer itself (the seed's folded convolutions have both). Random
     * BatchNorm statistics, biases far from zero, a 32 x 48 input (the phases' rows and columns differ). Its
     * BatchNorms keep DL4J's default log10-of-stdev form with eps 1e-3, which DL4J squares and adds eps to under the
     * root: taking eps off first ({@code BatchNorms.variance} until 2026-12-07) put the plan 0.009 away.
     */
    private static ComputationGraph decoder(int channels, boolean upBeforeOutput) {
        var g = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(11)
                .weightInit(org.deeplearning4j.nn.weights.WeightInit.XAVIER_UNIFORM)
                .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).graphBuilder().addInputs("input")
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(32, 48, 1,
                        org.deeplearning4j.nn.conf.CNN2DFormat.NCHW));
        var relu = org.nd4j.linalg.activations.Activation.RELU;
        var identity = org.nd4j.linalg.activations.Activation.IDENTITY;
        g.addLayer("c1", conv(16, relu), "input");
        g.addLayer("bn1", new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().eps(1e-3).build(), "c1");
        g.addLayer("pool1", pool(), "bn1");
        g.addLayer("c2", conv(channels, relu), "pool1");
        g.addLayer("pool2", pool(), "c2");
        g.addLayer("c3", conv(channels, identity), "pool2");
        g.addLayer("up1", new org.deeplearning4j.nn.conf.layers.Upsampling2D.Builder(2).build(), "c3");
        g.addLayer("c4", conv(channels, relu), "up1");
        g.addLayer("up2", new org.deeplearning4j.nn.conf.layers.Upsampling2D.Builder(2).build(), "c4");
        if (!upBeforeOutput) {
            g.addLayer("c5", conv(16, identity), "up2");
            g.addLayer("bn5", new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().eps(1e-3).build(), "c5");
        }
        g.addLayer("output_conv", conv(1, identity), upBeforeOutput ? "up2" : "bn5");
        g.addLayer("output", new org.deeplearning4j.nn.conf.layers.CnnLossLayer.Builder(
                org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.XENT)
                .activation(org.nd4j.linalg.activations.Activation.SIGMOID)
                .format(org.deeplearning4j.nn.conf.CNN2DFormat.NCHW).build(), "output_conv");
        g.setOutputs("output");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        TrainingPlanTest.randomStatistics(net, channels);
        java.util.Random r = new java.util.Random(channels);
        for (var e : net.paramTable().entrySet()) {
            if (e.getKey().endsWith("_b")) {
                INDArray b = e.getValue();
                for (long i = 0; i < b.length(); i++) {
                    b.putScalar(i, r.nextDouble() - 0.5);
                }
            }
        }
        return net;
    }

    private static org.deeplearning4j.nn.conf.layers.ConvolutionLayer conv(int out,
                                                                           org.nd4j.linalg.activations.Activation act) {
        return new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(out).activation(act).build();
    }

    private static org.deeplearning4j.nn.conf.layers.SubsamplingLayer pool() {
        return new org.deeplearning4j.nn.conf.layers.SubsamplingLayer.Builder(
                org.deeplearning4j.nn.conf.layers.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }

    /**
     * An upsampling folded into the convolution after it (four 2x2 phases over the image before the upsampling, put
     * in place by four strided reorders) gives DL4J's probabilities, in float32 and bfloat16, with ReLU and BatchNorm
     * apart. Where the output channels are not whole blocks (12) or the next layer is the output (its
     * sigmoid), the upsampling runs as before and the result is the same. .ci/run runs this class again under AVX2
     * (8-channel blocks). Mutations caught (each run): a phase's taps summed from the wrong rows ({{0,1},{2}} and
     * {{0},{1,2}} swapped), the padding moved to the other side, the reorders' row and column phases swapped, the
     * interleave's row stride 2w instead of 4w, BatchNorm's scale and shift left off the phases, ReLU left off, the
     * BatchNorm arguments numbered as if after a ReLU.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"16,false,false", "12,false,false", "24,false,false", "16,true,false",
            "16,false,true", "24,false,true"})
    void anUpsamplingFoldedIntoTheConvolutionAfterItGivesDl4jsProbabilities(int channels, boolean upBeforeOutput,
                                                                             boolean bf16) {
        org.junit.jupiter.api.Assumptions.assumeTrue(!bf16 || DnnlPlan.nativeBf16(), "no bfloat16 in hardware");
        ComputationGraph net = decoder(channels, upBeforeOutput);
        assertTrue(InferencePlan.supports(net));
        INDArray in = Nd4j.rand(DataType.FLOAT, 2, 1, 32, 48);
        float[] expected = net.outputSingle(false, in).dup('c').data().asFloat();
        try (InferencePlan plan = new InferencePlan(net, 2, 32, 48, bf16)) {
            float[] got = plan.run(in.dup('c').data().asFloat());
            int folded = plan.upsampledConvs();
            String what = channels + " channels, upsampling before the output " + upBeforeOutput + ", bf16 " + bf16;
            if (channels == 16) {
                // whole blocks everywhere: c4 and c5 fold, the output layer (its sigmoid) never
                assertEquals(upBeforeOutput ? 1 : 2, folded, what + ": folded");
                // what the plan executes, two operations a multiply-add: c1 to c3 as they are, c4 and c5 as four
                // 2x2 phases over the small image, the output layer as 16 phases (6x6, stride 4, over the upsampled
                // image where the upsampling comes right before it). Mutation caught: folded layers counted as 3x3.
                long expectedFlops = 2L * 2 * (16 * 9 * 32 * 48 + 16 * 16 * 9 * 16 * 24 + 16 * 16 * 9 * 8 * 12
                        + 4 * 16 * 16 * 4 * 8 * 12 + (upBeforeOutput ? 0 : 4 * 16 * 16 * 4 * 16 * 24)
                        + 16 * 16 * 36 * 8 * 12);
                if (plan.phaseOutput()) {
                    assertEquals(expectedFlops, plan.flops(), what + ": executed operations");
                }
            } else {
                // 12 is no whole block, 24 whole 8-channel blocks only: folded where oneDNN has a kernel for them
                assertTrue(folded <= (upBeforeOutput ? 1 : 2), what + ": " + folded + " folded");
            }
            assertTrue(spread(expected) > 0.05, "the output varies: " + spread(expected));
            double max = largestDifference(expected, got);
            assertTrue(max < (bf16 ? 0.05 : 2e-4), what + ": largest difference " + max);
        }
    }

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

    /**
     * BatchNorm statistics far from 0 and 1 in every layer (issue #28: trained ones barely move): the plan's fused
     * scale and shift must follow each of mean, variance, gamma and beta. Catches a wrong epsilon, a variance used
     * as a standard deviation, a skipped shift, gamma and beta swapped.
     */
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
        double spread = spread(expected);
        assertTrue(spread > 0.05, "the statistics make a difference to the output: " + spread);
        double max = largestDifference(expected, got);
        assertTrue(max < 2e-4, arch + ": largest difference " + max);
    }

    /**
     * A bfloat16 plan (activations and weights rounded to 8 significant bits, float32 accumulation and output) stays
     * within bfloat16's rounding of DL4J's float32 probabilities, and is really bfloat16: it differs from the float32
     * plan. Catches the flag ignored (no difference) and a wrong conversion of weights or activations (large
     * differences); measured on the seed network: largest 0.009, mean 0.0014.
     */
    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"SEED", "UNET"})
    void aBfloat16PlanStaysWithinItsRoundingOfDl4j(Architecture arch) {
        org.junit.jupiter.api.Assumptions.assumeFalse(DnnlPlan.bf16Kernel().equals("none"), "oneDNN has no bfloat16 here");
        ComputationGraph net = trained(arch);
        INDArray in = Nd4j.rand(DataType.FLOAT, 2, 1, 64, 96);
        float[] expected = net.outputSingle(false, in).dup('c').data().asFloat();
        float[] x = in.dup('c').data().asFloat();
        float[] half;
        float[] full;
        try (InferencePlan bf16 = new InferencePlan(net, 2, 64, 96, true);
             InferencePlan f32 = new InferencePlan(net, 2, 64, 96, false)) {
            assertTrue(bf16.bf16());
            assertTrue(!f32.bf16());
            half = bf16.run(x);
            full = f32.run(x);
        }
        double max = 0;
        double sum = 0;
        double fromF32 = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - half[i]);
            max = Math.max(max, d);
            sum += d;
            fromF32 = Math.max(fromF32, Math.abs(full[i] - half[i]));
        }
        double mean = sum / expected.length;
        assertTrue(fromF32 > 1e-5, arch + ": the bfloat16 plan computed float32 (largest difference " + fromF32 + ")");
        // Statistics far from 0 and 1 (randomStatistics) amplify the rounding: there 1.5 % of the seed network's
        // pixels move by more than 0.05; the bundled model's quality tables do not move (docs/quality.md).
        assertTrue(max < 0.05 && mean < 0.005, arch + ": largest difference " + max + ", mean " + mean);
    }

    /** The precision setting reaches the denoiser's plans: float32 and bfloat16 as asked, auto as the CPU allows. */
    @org.junit.jupiter.api.Test
    void thePrecisionSettingChoosesThePlansNumberFormat() {
        org.junit.jupiter.api.Assumptions.assumeFalse(DnnlPlan.bf16Kernel().equals("none"), "oneDNN has no bfloat16 here");
        ComputationGraph net = trained(Architecture.UNET);
        GrayImage img = new GrayImage(64, 64, Nd4j.rand(DataType.FLOAT, 64 * 64).data().asFloat());
        String before = System.getProperty(org.inkwell.engine.Precision.PROPERTY);
        try (Denoiser d = new Denoiser(net)) {
            System.setProperty(org.inkwell.engine.Precision.PROPERTY, "float32");
            GrayImage full = d.predictBatch(new GrayImage[]{img})[0];
            assertEquals("float32", d.precision());
            System.setProperty(org.inkwell.engine.Precision.PROPERTY, "bfloat16");
            GrayImage half = d.predictBatch(new GrayImage[]{img})[0];
            assertEquals("bfloat16", d.precision());
            assertTrue(!java.util.Arrays.equals(full.pixels(), half.pixels()), "a new plan in bfloat16, not the cached float32 one");
            System.setProperty(org.inkwell.engine.Precision.PROPERTY, "auto");
            d.predictBatch(new GrayImage[]{img});
            assertEquals(DnnlPlan.nativeBf16() ? "bfloat16" : "float32", d.precision());
            // Validation pins float32: the setting no longer reaches that network.
            System.setProperty(org.inkwell.engine.Precision.PROPERTY, "bfloat16");
            d.pinPrecision(org.inkwell.engine.Precision.FLOAT32).predictBatch(new GrayImage[]{img});
            assertEquals("float32", d.precision());
            // A value that is not a precision reads as auto (one warning), not as a failure of every pass.
            d.pinPrecision(null);
            System.setProperty(org.inkwell.engine.Precision.PROPERTY, "fp8");
            d.predictBatch(new GrayImage[]{img});
            assertEquals(DnnlPlan.nativeBf16() ? "bfloat16" : "float32", d.precision());
        } finally {
            if (before == null) {
                System.clearProperty(org.inkwell.engine.Precision.PROPERTY);
            } else {
                System.setProperty(org.inkwell.engine.Precision.PROPERTY, before);
            }
        }
    }

    /** auto takes bfloat16 only from hardware kernels: oneDNN's emulation on plain AVX-512 is slower than float32. */
    @org.junit.jupiter.api.Test
    void onlyHardwareBfloat16KernelsCountAsNative() {
        assertTrue(DnnlPlan.nativeKernel("jit_bf16:avx512_core_bf16"));
        assertTrue(DnnlPlan.nativeKernel("brg:avx512_core_amx"));
        assertTrue(!DnnlPlan.nativeKernel("jit_bf16:avx512_core"), "emulated");
        assertTrue(!DnnlPlan.nativeKernel("ref:any"));
        assertTrue(!DnnlPlan.nativeKernel("none"));
        assertTrue(org.inkwell.engine.Precision.AUTO.bf16(true) && !org.inkwell.engine.Precision.AUTO.bf16(false));
        assertTrue(org.inkwell.engine.Precision.BFLOAT16.bf16(false) && !org.inkwell.engine.Precision.FLOAT32.bf16(true));
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

    /** The largest absolute difference between two outputs of the same shape. */
    private static double largestDifference(float[] expected, float[] got) {
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - got[i]));
        }
        return max;
    }

    /** How far the output strays from its first value: near 0 would make any comparison with it weak. */
    private static double spread(float[] out) {
        double spread = 0;
        for (float v : out) {
            spread = Math.max(spread, Math.abs(v - out[0]));
        }
        return spread;
    }
}
