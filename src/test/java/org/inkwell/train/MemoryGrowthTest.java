package org.inkwell.train;

import org.inkwell.model.TrainingConfig;

import org.inkwell.model.Architecture;
import org.inkwell.model.Denoiser;
import org.inkwell.runtime.Dl4jRuntime;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.GrayImage;
import org.inkwell.data.NoiseModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small version of `bench soak`: after warm-up, more steps must not leave more native memory behind. */
class MemoryGrowthTest {
    private static final int TOLERANCE = 10;

    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    /** Through the engines the product uses (the oneDNN plans) and through DL4J's. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = org.inkwell.engine.EngineSetting.class, names = {"ONEDNN", "DL4J"})
    void trainingAndInferenceHoldNoMoreNativeMemoryAfterWarmUp(org.inkwell.engine.EngineSetting engine) {
        TrainingConfig c = TinyModels.config("seed", TrainingConfig.ADAM, 1, 1);
        ComputationGraph net = Architecture.SEED.build(32, TrainingStep.updater(c), 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 32, 32);
        INDArray y = x.gt(0.5).castTo(DataType.FLOAT);
        OptimizerStep step = new OptimizerStep(net, engine, n -> { });
        Runnable train = () -> step.fit(x, y, 2);
        int afterWarmUp = settledBuffers(train, 5);
        long workspaces = Dl4jRuntime.workspaceBytes();
        int afterMore = settledBuffers(train, 20);
        assertTrue(afterWarmUp > 0, "the deallocator's buffer count is readable");
        assertTrue(afterMore <= afterWarmUp + TOLERANCE, "training: " + afterWarmUp + " -> " + afterMore + " live buffers");
        assertTrue(Dl4jRuntime.workspaceBytes() <= workspaces, "workspaces do not grow once sized");

        step.close();
        Denoiser denoiser = new Denoiser(net, Denoiser.DEFAULT_TILE, Denoiser.DEFAULT_OVERLAP, engine);
        GrayImage clean = GrayImage.blank(48, 40);
        SplittableRandom rng = new SplittableRandom(1);
        Runnable infer = () -> denoiser.clean(NoiseModel.pepper(0.2).apply(clean, rng), 0.5);
        int inferWarm = settledBuffers(infer, 5);
        int inferMore = settledBuffers(infer, 30);
        assertTrue(inferMore <= inferWarm + TOLERANCE, "inference: " + inferWarm + " -> " + inferMore + " live buffers");
        denoiser.close();
    }

    /**
     * Issue #28: a planned training step and a planned inference allocate no native memory of their own (the plans'
     * buffers are made once; the step used to copy every parameter and gradient into new ND4J arrays, megabytes a
     * step for this small network), so with no garbage collection in the loop JavaCPP's count of allocated bytes
     * stays put. DL4J's updater, which applies the step, works in place.
     */
    @Test
    void plannedStepsAndInferencesAllocateNoNativeMemory() {
        TrainingConfig c = TinyModels.config("seed", TrainingConfig.ADAM, 1, 1);
        ComputationGraph net = Architecture.SEED.build(32, TrainingStep.updater(c), 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 32, 32);
        INDArray y = x.gt(0.5).castTo(DataType.FLOAT);
        long paramBytes = net.params().length() * Float.BYTES;
        try (OptimizerStep step = new OptimizerStep(net, org.inkwell.engine.EngineSetting.ONEDNN, n -> { });
             Denoiser denoiser = new Denoiser(net, Denoiser.DEFAULT_TILE, Denoiser.DEFAULT_OVERLAP,
                     org.inkwell.engine.EngineSetting.ONEDNN)) {
            GrayImage[] img = {GrayImage.blank(32, 32)};
            for (int i = 0; i < 3; i++) {
                step.fit(x, y, 2);
                denoiser.predictBatch(img);
            }
            assertTrue(step.lastUsed() == org.inkwell.engine.Engine.ONEDNN && denoiser.lastEngine() == org.inkwell.engine.Engine.ONEDNN);
            long before = org.bytedeco.javacpp.Pointer.totalBytes();
            for (int i = 0; i < 30; i++) {
                step.fit(x, y, 2);
                denoiser.predictBatch(img);
            }
            long grown = org.bytedeco.javacpp.Pointer.totalBytes() - before;
            // Copying parameters and gradients into new arrays would be at least 2 x 30 x the parameters' bytes (74 MB);
            // what is left is DL4J's updater and a few shape buffers (measured: 0.1-1.8 MB over the 30).
            assertTrue(grown < 5 * paramBytes, "30 planned steps and inferences allocated " + grown + " bytes more (parameters: "
                    + paramBytes + " bytes)");
            assertTrue(step.nativeBytes() > 0 && denoiser.nativeBytes() > 0, "the plans' own memory is counted");
        }
    }

    /** Runs the task, then collects garbage until ND4J's deallocator has released what it can. */
    private static int settledBuffers(Runnable task, int times) {
        for (int i = 0; i < times; i++) {
            task.run();
        }
        int best = Integer.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            best = Math.min(best, Dl4jRuntime.liveNativeBuffers());
        }
        return best;
    }
}
