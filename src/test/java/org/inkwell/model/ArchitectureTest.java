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
