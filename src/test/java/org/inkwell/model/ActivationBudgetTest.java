package org.inkwell.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.inkwell.runtime.Dl4jRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class ActivationBudgetTest {
    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    /** input, conv, 64x upsampling, 64x pooling, conv, loss: a 32x32 map in and out, a 2048x2048 map in between. */
    public static ComputationGraphConfiguration exploding(int channels) {
        return new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).graphBuilder()
                .addInputs("input")
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(32, 32, 1))
                .addLayer("widen", new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(channels).build(), "input")
                .addLayer("blow_up", new org.deeplearning4j.nn.conf.layers.Upsampling2D.Builder(64).build(), "widen")
                .addLayer("shrink", new org.deeplearning4j.nn.conf.layers.SubsamplingLayer.Builder(
                        org.deeplearning4j.nn.conf.layers.PoolingType.MAX).kernelSize(64, 64).stride(64, 64).build(), "blow_up")
                .addLayer("output_conv", new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(1)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build(), "shrink")
                .addLayer("output", new org.deeplearning4j.nn.conf.layers.CnnLossLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.XENT)
                        .activation(org.nd4j.linalg.activations.Activation.SIGMOID).build(), "output_conv")
                .setOutputs("output").build();
    }

    @Test
    void inkwellsArchitecturesFitATileAndTheExplodingNetworkDoesNot() {
        for (Architecture a : Architecture.values()) {
            ComputationGraphConfiguration conf = a.configuration(224, new Adam(1e-3), 1);
            long tile = ActivationBudget.bytes(conf, 1, 512, 512);
            long batch = ActivationBudget.bytes(conf, 4, 224, 224);
            long page = ActivationBudget.bytes(conf, 1, 2048, 2048);
            assertTrue(tile < ActivationBudget.MAX_BYTES * 3 / 4, a.id() + " must fit a tile with room to spare: " + tile);
            assertTrue(batch < tile && page <= 16 * tile, a.id() + ": " + batch + ", " + page);
            ActivationBudget.check(conf, 1, 512, 512);
        }
        ComputationGraphConfiguration bomb = exploding(8);
        long bytes = ActivationBudget.bytes(bomb, 1, 512, 512);
        assertEquals(4L * 512 * 512 * (1 + 8 + 8 * 64 * 64 + 8 + 1 + 1), bytes);
        assertTrue(bytes > ActivationBudget.passLimit(), "34 GB for one tile");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ActivationBudget.check(bomb, 1, 512, 512));
        assertTrue(e.getMessage().contains("34.4 GB") && e.getMessage().contains("--size"), e.getMessage());
    }
}
