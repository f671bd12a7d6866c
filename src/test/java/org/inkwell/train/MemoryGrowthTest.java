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

    @Test
    void trainingAndInferenceHoldNoMoreNativeMemoryAfterWarmUp() {
        TrainingConfig c = TinyModels.config("seed", TrainingConfig.ADAM, 1, 1);
        ComputationGraph net = Architecture.SEED.build(32, TrainingStep.updater(c), 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 32, 32);
        INDArray y = x.gt(0.5).castTo(DataType.FLOAT);
        Runnable train = () -> TrainingStep.fit(net, x, y, 2);
        int afterWarmUp = settledBuffers(train, 5);
        long workspaces = Dl4jRuntime.workspaceBytes();
        int afterMore = settledBuffers(train, 20);
        assertTrue(afterWarmUp > 0, "the deallocator's buffer count is readable");
        assertTrue(afterMore <= afterWarmUp + TOLERANCE, "training: " + afterWarmUp + " -> " + afterMore + " live buffers");
        assertTrue(Dl4jRuntime.workspaceBytes() <= workspaces, "workspaces do not grow once sized");

        Denoiser denoiser = new Denoiser(net);
        GrayImage clean = GrayImage.blank(48, 40);
        SplittableRandom rng = new SplittableRandom(1);
        Runnable infer = () -> denoiser.clean(NoiseModel.pepper(0.2).apply(clean, rng), 0.5);
        int inferWarm = settledBuffers(infer, 5);
        int inferMore = settledBuffers(infer, 30);
        assertTrue(inferMore <= inferWarm + TOLERANCE, "inference: " + inferWarm + " -> " + inferMore + " live buffers");
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
