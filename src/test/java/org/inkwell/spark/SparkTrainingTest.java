package org.inkwell.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.model.ModelStore;
import org.inkwell.model.TrainingConfig;
import org.inkwell.model.TrainingHistory;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.train.TrainingResult;
import org.inkwell.ui.TestContexts;
import org.inkwell.ui.service.ModelService;
import org.inkwell.ui.task.DirectTaskExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spark training on {@code local[2]} from image files: it learns, checkpoints, and the workbench opens its model. */
class SparkTrainingTest {
    private static JavaSparkContext sc;
    /** Aeron's media driver folders that existed before: shared training's own are removed afterwards. */
    private static java.util.Set<Path> aeronBefore;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        Dl4jRuntime.init();
        aeronBefore = aeronFolders();
        sc = SparkContexts.start("local[2]");
    }

    @AfterAll
    static void stop() throws Exception {
        sc.stop();
        for (Path p : aeronFolders()) {
            if (!aeronBefore.contains(p)) {
                try (var files = Files.walk(p)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    private static java.util.Set<Path> aeronFolders() throws Exception {
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm)) {
            return java.util.Set.of();
        }
        try (var s = Files.list(shm)) {
            return s.filter(p -> p.getFileName().toString().startsWith("aeron-")).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void trainingFromFilesLowersTheValidationLossAndTheWorkbenchCleansWithTheModel() throws Exception {
        Path images = Files.createDirectories(dir.resolve("signatures"));
        SignatureGenerator gen = new SignatureGenerator(5);
        for (int i = 0; i < 30; i++) {
            ImageFiles.writePng(gen.generate(i).toBufferedImage(), images.resolve("sig-" + i + ".png"));
        }
        Files.writeString(images.resolve("notes.txt"), "not an image"); // skipped, as by train
        TrainingConfig config = new TrainingConfig("seed", TrainingConfig.ADAM, 3e-3, 4, 6, 3, "seed", 64, 32, true,
                "pepper:0.1", 7, 4, 3, 0, SparkData.specOf(images.toString()));
        assertEquals("folder:" + images.toRealPath(), config.dataSource());
        Path checkpoints = dir.resolve("checkpoints");
        TrainingResult r = new SparkTrainer(sc, config, SparkData.of(config), checkpoints, 2)
                .run(new org.inkwell.train.TrainingListener() {
                }, () -> false);

        assertEquals(TrainingResult.Status.COMPLETED, r.status());
        List<TrainingHistory.Epoch> epochs = r.history().epochs();
        assertEquals(3, epochs.size());
        assertTrue(epochs.get(2).valLoss() < epochs.get(0).valLoss(),
                "validation loss falls: " + epochs.stream().map(TrainingHistory.Epoch::valLoss).toList());
        assertTrue(Files.isRegularFile(checkpoints.resolve("epoch-003.zip")));
        assertEquals(18, r.metadata().step());

        // Resuming continues the saved run: a typed setting that would change it is refused, before Spark starts.
        var err = new java.io.StringWriter();
        var cli = SparkTrainCommand.commandLine(new java.io.PrintWriter(err, true));
        int code = cli.execute("--resume", checkpoints.resolve("epoch-003.zip").toString(), "--arch", "unet",
                "-o", dir.resolve("resumed.zip").toString());
        assertTrue(code == 2 && err.toString().contains("--arch (given unet, saved seed)"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), "one line, no stack trace: " + err);

        Path model = dir.resolve("spark-model.zip");
        ModelStore.StoredModel best = r.bestModel();
        ModelStore.save(model, best.net(), best.metadata(), best.history(), true);
        ModelService models = new ModelService(new DirectTaskExecutor());
        models.load(model).get();
        assertTrue(models.modelDetailsProperty().get().contains("seed network"), models.modelDetailsProperty().get());
        GrayImage scan = org.inkwell.data.Preprocess.resizeNearest(gen.generate(40), 96, 64);
        GrayImage cleaned = models.reconstruct(scan).get();
        assertEquals(scan.width(), cleaned.width());
        assertFalse(cleaned.equals(scan), "the model produced its own reconstruction");
    }

    @Test
    void theGeneratorMakesItsPairsOnTheExecutorsAsTheLocalTrainerDoes() {
        TrainingConfig config = new TrainingConfig("seed", TrainingConfig.ADAM, 3e-3, 4, 5, 1, "seed", 64, 32, true,
                "pepper:0.1", 7, 4, 3, 0, SparkData.specOf("generator:12"));
        var batches = SparkData.of(config).epoch(sc, 0, 2).collect();
        assertEquals(5, batches.size());
        var local = org.inkwell.data.BatchIterator.build(new org.inkwell.data.PreparedImages(
                new org.inkwell.data.SyntheticSignatures(7, 12), config.pairSpec().mode(), 64), config.pairSpec(), 4, 7, 3);
        assertTrue(java.util.Arrays.equals(local.noisy(), batches.get(3).getFeatures().data().asFloat()),
                "batch 3 made on an executor is batch 3 of the local trainer");
    }

    @Test
    void sharedTrainingOnTheLoopbackLearnsFromTheGenerator() throws Exception {
        TrainingConfig config = new TrainingConfig("seed", TrainingConfig.ADAM, 3e-3, 4, 6, 2, "seed", 64, 32, true,
                "pepper:0.1", 7, 4, 3, 0, SparkData.specOf("generator:12"));
        var before = org.inkwell.train.Trainer.networkFor(config);
        var start = before.clone();
        TrainingResult r = new SparkTrainer(sc, config, SparkData.of(config), dir.resolve("shared"),
                SparkTrainer.sharedTraining(4, 7, "127.0.0.1", 40123 + (int) (ProcessHandle.current().pid() % 1000)))
                .run(start, new TrainingHistory(), new org.inkwell.train.TrainingListener() {
                }, () -> false);
        assertEquals(TrainingResult.Status.COMPLETED, r.status());
        assertEquals(2, r.history().epochs().size());
        double moved = r.net().params().sub(before.params()).norm2Number().doubleValue();
        assertTrue(moved > 1e-3, "shared updates reached the network: " + moved);
        assertTrue(Double.isFinite(r.history().epochs().get(1).valLoss()));
    }

    @Test
    void badSettingsAreOneLineMessagesBeforeSparkStarts() {
        for (String[] bad : new String[][]{{"--average-every", "0"}, {"--data", "generator:abc"}, {"--data", dir.resolve("missing").toString()}}) {
            var err = new java.io.StringWriter();
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(bad));
            args.addAll(java.util.List.of("-o", dir.resolve("m.zip").toString()));
            int code = SparkTrainCommand.commandLine(new java.io.PrintWriter(err, true)).execute(args.toArray(String[]::new));
            assertEquals(2, code, err.toString());
            assertTrue(err.toString().startsWith("spark-train: ") && err.toString().strip().lines().count() == 1, err.toString());
        }
        assertFalse(Files.exists(dir.resolve("m-checkpoints")), "nothing is left behind");
    }
}
