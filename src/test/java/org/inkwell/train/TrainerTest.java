package org.inkwell.train;

import org.inkwell.model.TrainingConfig;
import org.inkwell.model.TrainingHistory;

import org.inkwell.model.Architecture;
import org.inkwell.model.ModelLoadException;
import org.inkwell.model.ModelStore;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.runtime.OpProfile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    @Test
    void lossFallsOnATinyRun() throws Exception {
        TrainingConfig c = TinyModels.config("unet", TrainingConfig.ADAM, 40, 1);
        List<Double> losses = new ArrayList<>();
        TrainingResult r = TinyModels.trainer(c, dir).run(new TrainingListener() {
            @Override
            public void iteration(int epoch, long step, double loss, double samplesPerSecond) {
                losses.add(loss);
            }
        }, () -> false);
        assertEquals(TrainingResult.Status.COMPLETED, r.status());
        assertEquals(40, losses.size());
        double first = losses.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = losses.subList(35, 40).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < 0.7 * first, "loss should fall: first " + first + " last " + last);
        assertEquals(1, r.history().epochs().size());
        assertTrue(Double.isFinite(r.history().epochs().get(0).valLoss()));
    }

    @Test
    void aRunWithoutValidationRecordsNoScoresItDidNotMeasure() throws Exception {
        TrainingConfig c = TinyModels.config("seed", TrainingConfig.ADAM, 3, 1);
        c = new TrainingConfig(c.architecture(), c.optimizer(), c.learningRate(), c.batchSize(), c.stepsPerEpoch(), c.epochs(),
                c.preprocess(), c.inputSize(), c.patch(), c.augment(), c.noise(), c.dataSeed(), 0, c.initSeed());
        TrainingResult r = new Trainer(c, new org.inkwell.data.SyntheticSignatures(c.dataSeed(), 12),
                org.inkwell.data.SyntheticSignatures.validationFor(c.dataSeed(), 0), dir)
                .run(new TrainingListener() {
                }, () -> false);
        assertEquals(TrainingResult.Status.COMPLETED, r.status());
        // The model file's metrics: the training loss only, no NaN standing for "not measured".
        Map<String, Double> metrics = org.inkwell.model.ModelStore.load(r.lastCheckpoint(), false).metadata().metrics();
        assertEquals(java.util.Set.of("train_bce"), metrics.keySet());
        assertTrue(Double.isFinite(metrics.get("train_bce")));
    }

    @Test
    void keepsLastThreeCheckpointsAndBest() throws Exception {
        TrainingConfig c = TinyModels.config("seed", TrainingConfig.SEED_SGD, 1, 5);
        AtomicInteger epochs = new AtomicInteger();
        TrainingResult r = TinyModels.trainer(c, dir).run(new TrainingListener() {
            @Override
            public void epochFinished(TrainingHistory.Epoch epoch, Path checkpoint) {
                epochs.incrementAndGet();
                assertTrue(Files.exists(checkpoint));
            }
        }, () -> false);
        assertEquals(5, epochs.get());
        assertFalse(Files.exists(dir.resolve("epoch-002.zip")));
        assertTrue(Files.exists(dir.resolve("epoch-003.zip")));
        assertTrue(Files.exists(dir.resolve("epoch-005.zip")));
        assertTrue(Files.exists(dir.resolve(CheckpointStore.BEST)));
        assertEquals(dir.resolve("epoch-005.zip"), r.lastCheckpoint());
        ModelStore.StoredModel last = ModelStore.load(r.lastCheckpoint(), true);
        assertEquals(5, last.metadata().epochs());
        assertEquals(5, last.metadata().step());
        assertEquals(5, last.history().epochs().size());
    }

    @Test
    void resumeRestoresWeightsOptimizerStepAndHistory() throws Exception {
        TrainingConfig two = TinyModels.config("seed", TrainingConfig.ADAM, 3, 2);
        TrainingResult straight = TinyModels.trainer(two, dir.resolve("a")).run(new TrainingListener() {
        }, () -> false);

        TrainingResult firstHalf = TinyModels.trainer(two.withEpochs(1), dir.resolve("b")).run(new TrainingListener() {
        }, () -> false);
        ModelStore.StoredModel checkpoint = ModelStore.load(firstHalf.lastCheckpoint(), true);
        assertEquals(3, checkpoint.metadata().step());
        INDArray savedState = checkpoint.net().getUpdater().getStateViewArray();
        assertNotNull(savedState);
        assertEquals(firstHalf.net().getUpdater().getStateViewArray(), savedState);
        assertEquals(firstHalf.net().params(), checkpoint.net().params());

        TrainingResult resumed = TinyModels.trainer(two, dir.resolve("b")).resume(checkpoint, new TrainingListener() {
        }, () -> false);
        assertEquals(6, resumed.metadata().step());
        assertEquals(6, resumed.history().iterationLoss().size());
        assertEquals(2, resumed.history().epochs().size());
        // Same data, same optimizer state: the resumed run ends where the uninterrupted one did.
        INDArray a = straight.net().params();
        INDArray b = resumed.net().params();
        double diff = a.sub(b).norm2Number().doubleValue() / a.norm2Number().doubleValue();
        assertTrue(diff < 1e-3, "relative parameter difference " + diff);
    }

    @Test
    void cancelStopsAndWritesAResumableCheckpoint() throws Exception {
        TrainingConfig c = TinyModels.config("seed", TrainingConfig.ADAM, 10, 3);
        AtomicInteger steps = new AtomicInteger();
        TrainingResult r = TinyModels.trainer(c, dir).run(new TrainingListener() {
            @Override
            public void iteration(int epoch, long step, double loss, double samplesPerSecond) {
                steps.incrementAndGet();
            }
        }, () -> steps.get() >= 4);
        assertEquals(TrainingResult.Status.CANCELLED, r.status());
        assertEquals(4, steps.get());
        ModelStore.StoredModel m = ModelStore.load(dir.resolve(CheckpointStore.INTERRUPTED), true);
        assertEquals(4, m.metadata().step());
        TrainingResult resumed = TinyModels.trainer(c.withEpochs(1), dir).resume(m, new TrainingListener() {
        }, () -> false);
        assertEquals(10, resumed.metadata().step());
        assertEquals(TrainingResult.Status.COMPLETED, resumed.status());
    }

    @Test
    void microBatchedStepMatchesTheFullBatchGradientWithoutBatchNorm() throws Exception {
        // A conv net without BatchNorm: summing micro-batch gradients must equal the full-batch step exactly.
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(3)
                .updater(new org.nd4j.linalg.learning.config.Sgd(0.01))
                .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).graphBuilder().addInputs("in")
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(16, 16, 1))
                .addLayer("c", new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(4)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build(), "in")
                .addLayer("o", new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(1)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build(), "c")
                .addLayer("out", new org.deeplearning4j.nn.conf.layers.CnnLossLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.XENT)
                        .activation(org.nd4j.linalg.activations.Activation.SIGMOID).build(), "o")
                .setOutputs("out").build();
        var full = new org.deeplearning4j.nn.graph.ComputationGraph(conf);
        full.init();
        var micro = full.clone();
        INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 8, 1, 16, 16);
        INDArray y = x.gt(0.5).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        double a = TrainingStep.fit(full, x, y);
        double b = TrainingStep.fit(micro, x, y, 3);
        assertEquals(a, b, 1e-3 * Math.abs(a));
        double diff = full.params().sub(micro.params()).amaxNumber().doubleValue();
        assertTrue(diff < 1e-5, "parameter difference " + diff);
        assertEquals(1, micro.getConfiguration().getIterationCount());
    }

    @Test
    void cachingForwardActivationsDoesNotChangeTheTrainingStep() throws Exception {
        // Inkwell's graphs keep forward activations for backprop (CacheMode.DEVICE); the step must equal DL4J's default.
        var cached = Architecture.SEED.configuration(32, new org.nd4j.linalg.learning.config.Sgd(0.05), 4);
        assertEquals(org.deeplearning4j.nn.conf.CacheMode.DEVICE, cached.getCacheMode());
        var plainConf = Architecture.SEED.configuration(32, new org.nd4j.linalg.learning.config.Sgd(0.05), 4);
        plainConf.setCacheMode(org.deeplearning4j.nn.conf.CacheMode.NONE);
        var a = new org.deeplearning4j.nn.graph.ComputationGraph(cached);
        a.init();
        var b = new org.deeplearning4j.nn.graph.ComputationGraph(plainConf);
        b.init();
        assertEquals(a.params(), b.params());
        INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 1, 32, 32);
        INDArray y = x.gt(0.5).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        long[] convolutions = new long[2];
        for (int i = 0; i < 3; i++) {
            double lossA;
            double lossB;
            try (OpProfile p = OpProfile.start()) {
                lossA = TrainingStep.fit(a, x, y);
                convolutions[0] = p.ops().stream().filter(o -> o.op().equals("conv2d")).mapToLong(OpProfile.OpTime::calls).sum();
            }
            try (OpProfile p = OpProfile.start()) {
                lossB = TrainingStep.fit(b, x, y);
                convolutions[1] = p.ops().stream().filter(o -> o.op().equals("conv2d")).mapToLong(OpProfile.OpTime::calls).sum();
            }
            assertEquals(lossB, lossA, 1e-5);
        }
        double diff = a.params().sub(b.params()).amaxNumber().doubleValue();
        assertTrue(diff < 1e-5, "parameter difference " + diff);
        // The seed network has 14 convolutions: run once per step with the cache, twice without.
        assertEquals(14, convolutions[0]);
        assertEquals(28, convolutions[1]);
    }

    @Test
    void workbenchPassesAreCacheSized() {
        assertEquals(8, TrainingStep.autoMicroBatch(224));
        assertEquals(43, TrainingStep.autoMicroBatch(96));
        assertEquals(1, TrainingStep.autoMicroBatch(1024));
    }

    @Test
    void microBatchedTrainingOfTheSeedNetworkLearns() throws Exception {
        TrainingConfig c = TinyModels.config("seed", TrainingConfig.ADAM, 30, 1);
        List<Double> losses = new ArrayList<>();
        TinyModels.trainer(c.withMicroBatch(2), dir).run(new TrainingListener() {
            @Override
            public void iteration(int epoch, long step, double loss, double samplesPerSecond) {
                losses.add(loss);
            }
        }, () -> false);
        assertTrue(losses.get(29) < losses.get(0), losses.toString());
    }

    @Test
    void fineTuningStartsFromTheGivenWeightsWithAFreshOptimizer() throws Exception {
        TrainingConfig c = TinyModels.config("seed", TrainingConfig.ADAM, 2, 1);
        TrainingResult first = TinyModels.trainer(c, dir.resolve("a")).run(new TrainingListener() {
        }, () -> false);
        ModelStore.StoredModel start = ModelStore.load(first.lastCheckpoint(), false);
        List<Double> losses = new ArrayList<>();
        TrainingResult tuned = TinyModels.trainer(c, dir.resolve("b")).fineTune(start, new TrainingListener() {
            @Override
            public void iteration(int epoch, long step, double loss, double samplesPerSecond) {
                losses.add(loss);
            }
        }, () -> false);
        assertEquals(2, tuned.metadata().step()); // counts restart
        assertEquals(2, losses.size());
        TrainingConfig unet = TinyModels.config("unet", TrainingConfig.ADAM, 2, 1);
        org.junit.jupiter.api.Assertions.assertThrows(ModelLoadException.class,
                () -> TinyModels.trainer(unet, dir.resolve("c")).fineTune(start, new TrainingListener() {
                }, () -> false));
    }

    @Test
    void lostCheckpointFolderDoesNotStopTraining() throws Exception {
        TrainingConfig c = TinyModels.config("seed", TrainingConfig.ADAM, 1, 3);
        Path cp = dir.resolve("cp");
        List<String> messages = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        TrainingResult r = TinyModels.trainer(c, cp).run(new TrainingListener() {
            @Override
            public void epochFinished(TrainingHistory.Epoch epoch, Path checkpoint) {
                written.add(checkpoint);
                if (epoch.epoch() == 1) {
                    try { // the folder disappears and a file takes its name: every later write fails
                        try (var s = Files.list(cp)) {
                            for (Path f : s.toList()) {
                                Files.delete(f);
                            }
                        }
                        Files.delete(cp);
                        Files.writeString(cp, "not a folder");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }

            @Override
            public void message(String text) {
                messages.add(text);
            }
        }, () -> false);
        assertEquals(TrainingResult.Status.COMPLETED, r.status());
        assertEquals(3, r.history().epochs().size());
        assertNotNull(written.get(0));
        assertEquals(null, written.get(2));
        assertTrue(messages.stream().anyMatch(m -> m.contains("training continues in memory")), messages.toString());
        assertEquals(3, r.metadata().step()); // the network in memory has all three epochs
    }

    @Test
    void aCancelledRunWhoseCheckpointCannotBeWrittenStillReturnsItsNetwork() throws Exception {
        org.inkwell.model.TrainingConfig c = TinyModels.config("unet", org.inkwell.model.TrainingConfig.ADAM, 3, 1);
        Path cps = dir.resolve("cps");
        TrainingResult r = TinyModels.trainer(c, cps).run(new TrainingListener() {
            @Override
            public void started(org.inkwell.model.TrainingConfig config, long startStep, long totalSteps,
                                org.inkwell.model.TrainingHistory history) {
                try {
                    // The folder disappears under the run (its run id and lock file with it) and a file takes its place.
                    try (var s = Files.list(cps)) {
                        for (Path f : s.toList()) {
                            Files.delete(f);
                        }
                    }
                    Files.delete(cps);
                    Files.writeString(cps, "not a folder");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, () -> true);
        assertEquals(TrainingResult.Status.CANCELLED, r.status());
        assertEquals(null, r.lastCheckpoint());
        org.junit.jupiter.api.Assertions.assertNotNull(r.bestModel().net());
    }

    @Test
    void aFolderOfAnotherRunIsRefusedAndRotationKeepsThisRunsNewest() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        for (String old : new String[]{"epoch-008.zip", "epoch-009.zip", "epoch-010.zip"}) {
            Files.writeString(shared.resolve(old), "an earlier run's checkpoint");
        }
        org.inkwell.model.TrainingConfig c = TinyModels.config("unet", org.inkwell.model.TrainingConfig.ADAM, 1, 4);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TinyModels.trainer(c, shared).run(new TrainingListener() { }, () -> false));
        assertTrue(e.getMessage().contains("another training run"), e.getMessage());
        try (var s = Files.list(shared)) {
            assertEquals(List.of("epoch-008.zip", "epoch-009.zip", "epoch-010.zip"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "the other run's folder is untouched");
        }
        Path cps = dir.resolve("own");
        Trainer t = TinyModels.trainer(c, cps);
        t.run(new TrainingListener() { }, () -> false);
        for (String name : new String[]{"epoch-002.zip", "epoch-003.zip", "epoch-004.zip", "best.zip"}) {
            assertTrue(Files.exists(cps.resolve(name)), name);
        }
        org.junit.jupiter.api.Assertions.assertFalse(Files.exists(cps.resolve("epoch-001.zip")), "this run's oldest goes");
        assertEquals(t.runId(), CheckpointStore.readRunId(cps));
        assertEquals(t.runId(), ModelStore.load(cps.resolve("epoch-004.zip"), false).metadata().runId());
        org.junit.jupiter.api.Assertions.assertFalse(Files.exists(cps.resolve(org.inkwell.data.RunLock.FOLDER_LOCK)),
                "the lock is released with the run");
    }
}
