package org.inkwell.model;

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

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"SEED", "UNET"})
    void theDenoiserRunsThePlanAndCleansLikeDl4j(Architecture arch) {
        ComputationGraph net = trained(arch);
        Denoiser d = new Denoiser(net);
        assertEquals("oneDNN plan", d.engine());
        GrayImage img = new GrayImage(96, 64, Nd4j.rand(DataType.FLOAT, 64 * 96).data().asFloat());
        GrayImage[] viaPlan = d.predictBatch(new GrayImage[]{img, img});
        float[] viaDl4j = net.outputSingle(false, Nd4j.create(img.pixels(), new long[]{1, 1, 64, 96}, 'c')).dup('c').data().asFloat();
        for (int i = 0; i < viaDl4j.length; i++) {
            assertEquals(viaDl4j[i], viaPlan[1].pixels()[i], 1e-4);
        }
    }
}
