package org.inkwell.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.PairBatch;
import org.inkwell.model.Architecture;
import org.inkwell.model.TrainingConfig;
import org.inkwell.runtime.Dl4jRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's training step against the PyTorch reference of its Keras recipe (src/bench/seed_reference.py),
 * without PyTorch: the reference's per-step losses for this tiny run (64x64, batch 4, the seed's pepper 0.2
 * batches) were computed by {@code inkwell fidelity --size 64 --batch 4 --steps 4} and are stored here. A change
 * to the network, the loss, BatchNorm or an optimizer that breaks fidelity fails this test.
 */
class SeedFidelityTest {
    /** Reference losses, steps 1-3, from the same initial weights and batches (float64 PyTorch). */
    static final double[] SEED_SGD = {0.9013231383937376, 0.9209114661074044, 0.8856719760680484};
    static final double[] ADAM = {0.9013231383937376, 0.8411498720703259, 0.7902950234572882};

    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    private static double[] inkwell(String optimizer, org.inkwell.engine.EngineSetting engine) {
        TrainingConfig c = Fidelity.config(64, 4, 3, optimizer, 1e-3);
        ComputationGraph net = Architecture.SEED.build(64, TrainingStep.updater(c), c.initSeed());
        List<PairBatch> batches = Fidelity.batches(c);
        return Fidelity.train(net, batches, 64, engine).losses();
    }

    private static void assertFaithful(double[] reference, double[] mine) {
        // Step 1 is the forward pass and the loss alone: equal to float32 rounding.
        assertEquals(reference[0], mine[0], 1e-4 * reference[0], "step 1");
        for (int k = 1; k < reference.length; k++) {
            double rel = Math.abs(mine[k] - reference[k]) / reference[k];
            assertTrue(rel < 0.01, "step " + (k + 1) + ": Inkwell " + mine[k] + ", reference " + reference[k]);
        }
    }

    /** Through the oneDNN training plans (what the Trainer uses) and through DL4J's backprop. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = org.inkwell.engine.EngineSetting.class, names = {"ONEDNN", "DL4J"})
    void theSeedsSgdStepMatchesTheKerasRecipe(org.inkwell.engine.EngineSetting engine) {
        assertFaithful(SEED_SGD, inkwell(TrainingConfig.SEED_SGD, engine));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = org.inkwell.engine.EngineSetting.class, names = {"ONEDNN", "DL4J"})
    void adamMatchesTheSameReference(org.inkwell.engine.EngineSetting engine) {
        assertFaithful(ADAM, inkwell(TrainingConfig.ADAM, engine));
    }
}
