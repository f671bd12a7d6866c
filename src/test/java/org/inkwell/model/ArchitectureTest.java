package org.inkwell.model;

import org.inkwell.runtime.Dl4jRuntime;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitectureTest {
    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    /**
     * The receptive field the architecture reports is the network's: a pixel just outside it never moves the centre
     * output, one inside it does. Catches a formula that forgets the poolings, the decoder or the output conv.
     */
    @Test
    void receptiveFieldIsTheNetworksOwn() {
        for (Architecture a : new Architecture[]{Architecture.UNET, Architecture.UNET_CONTEXT, Architecture.SEED}) {
            int side = a == Architecture.UNET ? 160 : 480;
            ComputationGraph net = a.build(side, new Adam(1e-3), 3);
            java.util.Random r = new java.util.Random(1);
            float[] base = new float[side * side];
            for (int i = 0; i < base.length; i++) {
                base[i] = r.nextFloat();
            }
            for (int c : new int[]{side / 2, side / 2 + 5}) {
                int[] span = a.inputInterval(c);
                float centre = out(net, base, side, c);
                float[] outside = base.clone();
                outside[c * side + span[1] + 1] = 1 - outside[c * side + span[1] + 1];
                outside[c * side + span[0] - 1] = 1 - outside[c * side + span[0] - 1];
                assertEquals(centre, out(net, outside, side, c), 0f, a + ": a pixel outside " + java.util.Arrays.toString(span)
                        + " moved output " + c);
                float[] edges = base.clone();
                for (int k = 0; k < 8; k++) { // near both ends of the interval (max pooling may pass over one pixel)
                    for (int row = c - 3; row <= c + 3; row++) {
                        edges[row * side + span[0] + k] = 1 - edges[row * side + span[0] + k];
                        edges[row * side + span[1] - k] = 1 - edges[row * side + span[1] - k];
                    }
                }
                assertTrue(Math.abs(out(net, edges, side, c) - centre) > 0, a + ": the interval's own edges had no effect");
            }
        }
        assertTrue(Architecture.UNET_CONTEXT.receptiveField() > 224, "a streak across a 224 px image fits the field");
        assertTrue(Architecture.UNET.receptiveField() < 100);
    }

    /** The logit before the sigmoid: far pixels' small effects vanish in float32 near 0.5, not near 0. */
    private static float out(ComputationGraph net, float[] x, int side, int c) {
        var acts = net.feedForward(org.nd4j.linalg.factory.Nd4j.create(x, new long[]{1, 1, side, side}, 'c'), false);
        return acts.get("output_conv").getFloat(0, 0, c, c);
    }

    @Test
    void seedNetworkHasTheSeedsParameterCount() {
        ComputationGraph net = Architecture.SEED.build(224, new Adam(1e-3), 1);
        assertEquals(308_593, Architecture.trainableParameters(net));
        assertEquals(309_841, net.numParams()); // plus 1,248 BatchNorm running statistics
    }

    @Test
    void seedBottleneckIsNamedEncoderAndIs7x7x64At224() {
        ComputationGraph net = Architecture.SEED.build(224, new Adam(1e-3), 1);
        INDArray bottleneck = net.feedForward(Nd4j.ones(DataType.FLOAT, 1, 1, 224, 224), false).get(Architecture.ENCODER);
        assertArrayEquals(new long[]{1, 64, 7, 7}, bottleneck.shape());
    }

    @Test
    void everyArchitectureIsFullyConvolutional() {
        for (Architecture a : new Architecture[]{Architecture.SEED, Architecture.UNET}) {
            ComputationGraph net = a.build(64, new Adam(1e-3), 1);
            INDArray out = net.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 1, 96, 160));
            assertArrayEquals(new long[]{2, 1, 96, 160}, out.shape(), a.id());
            double min = out.minNumber().doubleValue();
            double max = out.maxNumber().doubleValue();
            assertTrue(min >= 0 && max <= 1, "sigmoid output in [0,1]");
        }
        assertThrows(IllegalArgumentException.class, () -> Architecture.SEED.build(100, new Adam(1e-3), 1));
    }

    @Test
    void oneDnnHelpersAreActive() {
        assertTrue(Dl4jRuntime.oneDnnActive(), "oneDNN layer helpers must be on (see Dl4jRuntime)");
    }

    @Test
    void parsesIdsAndRejectsUnknown() {
        assertEquals(Architecture.UNET, Architecture.parse("UNET"));
        assertThrows(IllegalArgumentException.class, () -> Architecture.parse("resnet"));
    }
}
