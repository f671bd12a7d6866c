package org.inkwell.ui;

import org.inkwell.ui.service.AppContext;
import org.inkwell.ui.service.ModelService;
import org.inkwell.ui.task.BackgroundTask;
import org.inkwell.ui.task.DirectTaskExecutor;
import org.inkwell.ui.task.QueuedTaskExecutor;
import org.inkwell.ui.task.TaskExecutor;

import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.ui.compare.CompareViewModel;
import org.inkwell.ui.dataset.DatasetViewModel;
import org.inkwell.ui.dataset.Thumbnails;
import org.inkwell.ui.samples.SamplesViewModel;
import org.inkwell.ui.training.TrainingViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import org.inkwell.model.TrainingConfig;
import org.inkwell.ui.training.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** View models driven without a toolkit: background work runs synchronously through DirectTaskExecutor. */
class ViewModelsTest {
    @TempDir
    Path dir;

    /**
     * The uncertainty Compare shows: the share of probabilities in [0.3, 0.7], and that share of the ink. Mutations
     * caught: an open band (0.3 or 0.7 left out), counting ink above the threshold, the share of the image used as
     * the share of the ink.
     */
    @Test
    void uncertaintyCountsTheBandAndComparesItWithTheInk() {
        float[] p = new float[100];
        java.util.Arrays.fill(p, 1f);       // paper
        for (int i = 0; i < 10; i++) {
            p[i] = 0f;                       // sure ink
        }
        p[10] = 0.3f;                        // the band's ends count
        p[11] = 0.7f;
        p[12] = 0.5f;
        p[13] = 0.71f;                       // outside the band
        var u = org.inkwell.ui.compare.CompareViewModel.Uncertainty.of(new org.inkwell.data.GrayImage(10, 10, p), 0.5);
        assertEquals(0.03, u.share(), 1e-12);
        assertEquals(3.0 / 11, u.ofInk(), 1e-12); // ink: the 10 sure pixels and 0.3 (0.5 is not below 0.5)
        assertTrue(u.flagged());
        java.util.Arrays.fill(p, 10, 14, 1f);
        p[10] = 0.5f;
        var calm = org.inkwell.ui.compare.CompareViewModel.Uncertainty.of(new org.inkwell.data.GrayImage(10, 10, p), 0.5);
        assertEquals(0.1, calm.ofInk(), 1e-12);
        assertFalse(calm.flagged());
        assertEquals("Uncertain: 10% of the ink (1.0% of the image) has an ink probability of 0.3-0.7", calm.text());
        assertTrue(u.text().startsWith("Uncertain: 27% of the ink (3.0% of the image)") && u.text().contains("try moving"), u.text());
        java.util.Arrays.fill(p, 1f);
        assertEquals("Uncertain: none of the ink (no pixel with an ink probability of 0.3-0.7)",
                org.inkwell.ui.compare.CompareViewModel.Uncertainty.of(new org.inkwell.data.GrayImage(10, 10, p), 0.5).text());
    }


    @Test
    void samplesFollowTheNoiseSliderAndNewBatch() throws Exception {
        SamplesViewModel vm = TestContexts.samples(TestContexts.direct());
        assertEquals(SamplesViewModel.PAIRS, vm.pairs().size());
        double lowInk = meanNoisyInk(vm);
        vm.noiseLevelProperty().set(0.45);
        double highInk = meanNoisyInk(vm);
        assertTrue(highInk > lowInk + 0.1, "more noise, more ink: " + lowInk + " -> " + highInk);
        GrayImage before = vm.pairs().get(0).clean();
        vm.newBatch();
        assertNotEquals(before, vm.pairs().get(0).clean());
        vm.noiseTypeProperty().set("salt");
        assertTrue(vm.statusProperty().get().contains("salt"));
    }

    private static double meanNoisyInk(SamplesViewModel vm) {
        return vm.pairs().stream().mapToDouble(p -> p.noisy().inkFraction() - p.clean().inkFraction()).average().orElseThrow();
    }

    @Test
    void datasetListsAFolderAndReportsUnreadableFiles() throws Exception {
        SignatureGenerator gen = new SignatureGenerator(3);
        for (int i = 0; i < 5; i++) {
            ImageFiles.writePng(gen.generate(i).toBufferedImage(), dir.resolve("sig" + i + ".png"));
        }
        Files.writeString(dir.resolve("corrupt.png"), "garbage");
        AppContext ctx = TestContexts.direct();
        DatasetViewModel vm = TestContexts.dataset(ctx);
        assertEquals(AppContext.DEFAULT_COUNT, vm.items().size());
        vm.openFolder(dir);
        assertEquals(6, vm.items().size());
        assertEquals(1, vm.statistics().failures().size());
        assertTrue(vm.statistics().failures().get(0).contains("corrupt.png"));
        assertTrue(vm.statistics().summaryProperty().get().startsWith("6 images"), vm.statistics().summaryProperty().get());
        vm.selectedIndexProperty().set(1);
        assertNotNull(vm.selectedImageProperty().get());
        assertEquals("sig0.png", vm.source().name(1)); // sorted: corrupt.png first
        assertTrue(vm.selectedInfoProperty().get().contains("sig0.png"), vm.selectedInfoProperty().get());
        GrayImage[] thumb = new GrayImage[1];
        vm.requestThumbnail(2, g -> thumb[0] = g);
        assertTrue(() -> thumb[0] != null);
        assertEquals(Thumbnails.WIDTH, thumb[0].width());
        // The unreadable file is neither a Map point nor anyone's similar signature (it used to sit at distance 0).
        vm.map().request();
        assertEquals(List.of(1, 2, 3, 4, 5), vm.map().points().stream().map(p -> p.index()).toList());
        assertTrue(vm.map().statusProperty().get().contains("1 unreadable file left out"), vm.map().statusProperty().get());
        vm.selectedIndexProperty().set(3);
        assertEquals(4, vm.map().similar().size());
        assertFalse(vm.map().similar().stream().anyMatch(n -> n.index() == 0 || n.index() == 3), vm.map().similar().toString());
        assertTrue(vm.map().similar().stream().allMatch(n -> n.distance() > 1e-6), vm.map().similar().toString());
        vm.selectedIndexProperty().set(0);
        assertTrue(vm.map().similar().isEmpty());
        assertTrue(vm.map().similarStatusProperty().get().contains("could not be read"));
        vm.generatorCountProperty().set(50);
        vm.useGenerator();
        assertEquals(50, vm.items().size());
        assertTrue(vm.statistics().failures().isEmpty());
    }

    @Test
    void testSettingsNeverReachThePlatformsPreferenceStore() throws Exception {
        java.util.prefs.Preferences root = java.util.prefs.Preferences.userRoot();
        List<String> before = List.of(root.childrenNames());
        boolean inkwellBefore = root.nodeExists("org/inkwell");
        List<String> underBefore = inkwellBefore ? List.of(root.node("org/inkwell").childrenNames()) : List.of();
        org.inkwell.ui.service.UserSettings s = TestContexts.settings();
        s.rememberWindow(900, 700);
        s.rememberModel(dir.resolve("m.zip"));
        assertEquals(900, s.windowWidth(), 1e-9, "the settings keep what they are told");
        assertEquals(before, List.of(root.childrenNames()));
        assertEquals(inkwellBefore, root.nodeExists("org/inkwell"));
        if (inkwellBefore) {
            assertEquals(underBefore, List.of(root.node("org/inkwell").childrenNames()));
        }
    }

    /** Issue #27 item 9: folders, checkpoints, CSV files and noisy scans are handled by tasks, not on the UI thread. */
    @Test
    void fileWorkAndScanNoiseGoThroughTheTaskExecutor() throws Exception {
        org.inkwell.ui.task.QueuedTaskExecutor ex = new org.inkwell.ui.task.QueuedTaskExecutor(true);
        org.inkwell.ui.service.ModelService models = new org.inkwell.ui.service.ModelService(ex);
        var used = models.use(TestContexts.tinyModel(), "tiny");
        ex.runQueued();
        used.get();
        AppContext ctx = new AppContext(ex, models, TestContexts.settings());
        Path scans = Files.createDirectories(dir.resolve("scans"));
        SignatureGenerator gen = new SignatureGenerator(8);
        for (int i = 0; i < 3; i++) {
            ImageFiles.writePng(gen.generate(i).toBufferedImage(), scans.resolve("s" + i + ".png"));
        }
        CompareViewModel compare = TestContexts.compare(ctx);
        ex.runQueued();
        compare.openFiles(List.of(scans));
        assertTrue(compare.files().isEmpty(), "the folder was listed on the calling thread");
        ex.runQueued();
        assertEquals(3, compare.files().size());

        TrainingViewModel training = TestContexts.training(ctx);
        ex.runQueued();
        Path notACheckpoint = Files.writeString(dir.resolve("fake.zip"), "not a zip");
        training.resumeFrom(notACheckpoint);
        assertTrue(training.statusProperty().get().startsWith("Reading fake.zip"), training.statusProperty().get());
        ex.runQueued();
        assertTrue(training.statusProperty().get().startsWith("Cannot resume: "), training.statusProperty().get());
        assertFalse(training.runningProperty().get());
        Path csv = dir.resolve("runs.csv");
        training.exportRuns(csv);
        assertFalse(Files.exists(csv), "written on the calling thread");
        ex.runQueued();
        assertTrue(Files.readString(csv).startsWith("started,"));

        // Without a model, the noise slider's noisy scan is made by a task too.
        AppContext noModel = new AppContext(ex, new org.inkwell.ui.service.ModelService(ex), TestContexts.settings());
        CompareViewModel bare = TestContexts.compare(noModel);
        ex.runQueued();
        GrayImage clean = gen.generate(5);
        bare.show(clean, "clean", null);
        bare.noiseLevelProperty().set(0.3);
        assertTrue(bare.inputProperty().get() == clean, "noise was added on the calling thread");
        ex.runQueued();
        assertTrue(bare.inputProperty().get() != clean && bare.inputProperty().get().inkFraction() > clean.inkFraction() + 0.1);
    }

    /** Issue #27 item 10: the question on closing during a run, answered without a toolkit. */
    @Test
    void closingDuringARunAsksAndOnlyAYesStopsItAndExitsAfterItsCheckpoint() throws Exception {
        QueuedTaskExecutor ex = new QueuedTaskExecutor(true);
        ModelService models = new ModelService(ex);
        var used = models.use(TestContexts.tinyModel(), "tiny");
        ex.runQueued();
        used.get();
        AppContext ctx = new AppContext(ex, models, TestContexts.settings());
        ctx.dataSourceProperty().set(new org.inkwell.data.SyntheticSignatures(5, 8));
        ScriptedDialogs dialogs = new ScriptedDialogs().answer(false, true);
        TrainingViewModel vm = TestContexts.training(ctx, dialogs);
        ex.runQueued();
        int[] exits = {0};
        vm.requestClose(() -> exits[0]++);
        assertEquals(1, exits[0], "nothing runs: the window closes at once");
        assertTrue(dialogs.asked.isEmpty());

        vm.settings().batchSizeProperty().set(2);
        vm.settings().stepsPerEpochProperty().set(3);
        vm.settings().epochsProperty().set(2);
        vm.settings().patchProperty().set(32);
        vm.startCommand().execute();
        assertTrue(vm.runningProperty().get() && vm.startCommand().runningProperty().get());
        vm.requestClose(() -> exits[0]++);
        assertEquals(List.of("Stop training and quit?"), dialogs.asked);
        assertEquals(1, exits[0], "answered no: training goes on");
        assertTrue(vm.runningProperty().get());
        vm.requestClose(() -> exits[0]++);
        assertEquals(1, exits[0], "answered yes: the run first writes its checkpoint");
        ex.runQueued();
        assertFalse(vm.runningProperty().get());
        assertFalse(vm.startCommand().runningProperty().get());
        assertEquals(2, exits[0]);
        assertEquals("cancelled", vm.runsTable().rows().get(0).outcome());
    }

    /** Issue #27 items 1 and 10: Preferences has its own view model, which goes back to the bundled model for good. */
    @Test
    void preferencesGoBackToTheBundledModelNowAndAtTheNextStart() throws Exception {
        AppContext ctx = TestContexts.direct();
        ctx.settings().rememberModel(dir.resolve("trained.zip"));
        ScriptedDialogs dialogs = new ScriptedDialogs();
        javafx.beans.property.BooleanProperty dark = new javafx.beans.property.SimpleBooleanProperty();
        var vm = new org.inkwell.ui.preferences.PreferencesViewModel(ctx.executor(), ctx.models(), ctx.settings(), dark, dialogs);
        assertEquals("tiny", vm.modelNameProperty().get());
        assertTrue(vm.useBundledCommand().isExecutable(), "another model is in use");
        assertTrue(vm.runsFolderProperty().get().endsWith(ctx.settings().runsFolder().toString()));
        vm.refreshBackend();
        assertTrue(vm.backendProperty().get().startsWith("ND4J backend: CPU"), vm.backendProperty().get());
        vm.useBundledCommand().execute();
        assertEquals("bundled model", vm.modelNameProperty().get());
        assertEquals(null, ctx.settings().lastModel(), "the next start opens the bundled model");
        assertFalse(vm.useBundledCommand().isExecutable(), "it is the model in use");
        assertTrue(vm.statusProperty().get().startsWith("Using the bundled model"), vm.statusProperty().get());
        assertTrue(dialogs.asked.isEmpty());
        vm.darkProperty().set(true);
        assertTrue(dark.get(), "the theme switch is the window's");
        // Issue #28: the engine setting, kept for the next start and applied to the model in use at once.
        String was = System.getProperty(org.inkwell.engine.EngineSetting.PROPERTY);
        try {
            assertEquals(org.inkwell.engine.EngineSetting.AUTO, vm.engineProperty().get());
            vm.engineProperty().set(org.inkwell.engine.EngineSetting.DL4J);
            assertEquals(org.inkwell.engine.EngineSetting.DL4J, ctx.settings().engine());
            assertEquals("dl4j", System.getProperty(org.inkwell.engine.EngineSetting.PROPERTY));
            assertTrue(vm.statusProperty().get().startsWith("Now on DL4J"), vm.statusProperty().get());
            vm.engineProperty().set(org.inkwell.engine.EngineSetting.AUTO);
            assertTrue(vm.statusProperty().get().startsWith("Now on oneDNN plan"), vm.statusProperty().get());
        } finally {
            if (was == null) {
                System.clearProperty(org.inkwell.engine.EngineSetting.PROPERTY);
            } else {
                System.setProperty(org.inkwell.engine.EngineSetting.PROPERTY, was);
            }
        }
        // The inference precision: the one in force shown (the tests run float32), kept for the next start.
        String precisionWas = System.getProperty(org.inkwell.engine.Precision.PROPERTY);
        try {
            assertEquals(org.inkwell.engine.Precision.parse(precisionWas), vm.precisionProperty().get());
            vm.precisionProperty().set(org.inkwell.engine.Precision.BFLOAT16);
            assertEquals(org.inkwell.engine.Precision.BFLOAT16, ctx.settings().precision());
            assertEquals("bfloat16", System.getProperty(org.inkwell.engine.Precision.PROPERTY));
            assertTrue(vm.statusProperty().get().startsWith("Inference precision bfloat16"), vm.statusProperty().get());
        } finally {
            if (precisionWas == null) {
                System.clearProperty(org.inkwell.engine.Precision.PROPERTY);
            } else {
                System.setProperty(org.inkwell.engine.Precision.PROPERTY, precisionWas);
            }
        }
    }

    /** Issue #27 item 6: the training form, the export options and an imported Keras model outlive a restart. */
    @Test
    void theTrainingFormAndTheExportOptionsAreRememberedAcrossARestart() throws Exception {
        AppContext ctx = TestContexts.direct();
        TrainingViewModel training = TestContexts.training(ctx);
        training.settings().optimizerProperty().set(TrainingConfig.SEED_SGD);
        training.settings().batchSizeProperty().set(7);
        training.settings().noiseProperty().set("pepper:0.3");
        CompareViewModel compare = TestContexts.compare(ctx);
        compare.transparentProperty().set(true);
        compare.inkColourProperty().set("#204080");
        compare.widthMmProperty().set(40);
        compare.dpiProperty().set(600);

        TrainingViewModel again = TestContexts.training(ctx); // a new session on the same preferences
        assertEquals(TrainingConfig.SEED_SGD, again.settings().optimizerProperty().get());
        assertEquals(7, again.settings().batchSizeProperty().get());
        assertEquals("pepper:0.3", again.settings().noiseProperty().get());
        CompareViewModel compareAgain = TestContexts.compare(ctx);
        assertTrue(compareAgain.transparentProperty().get());
        assertEquals("#204080", compareAgain.inkColourProperty().get());
        assertEquals(40, compareAgain.widthMmProperty().get(), 1e-9);
        assertEquals(600, compareAgain.dpiProperty().get());

        // A remembered line that is no longer valid leaves the defaults in place.
        ctx.settings().rememberText("training.form", "architecture=gone;batchSize=x");
        assertEquals("unet", TestContexts.training(ctx).settings().architectureProperty().get());

        // An imported Keras file is imported again at the next start, a zip opened as a model.
        Path notKeras = Files.writeString(dir.resolve("seed.hdf5"), "not HDF5");
        var keras = assertThrows(java.util.concurrent.ExecutionException.class, () -> ctx.models().reopen(notKeras).get());
        assertTrue(String.valueOf(keras.getCause().getMessage()).toLowerCase().contains("keras")
                || String.valueOf(keras.getCause().getMessage()).toLowerCase().contains("hdf5"), keras.getCause().getMessage());
        Path notZip = Files.writeString(dir.resolve("m.zip"), "not a zip");
        var zip = assertThrows(java.util.concurrent.ExecutionException.class, () -> ctx.models().reopen(notZip).get());
        assertFalse(String.valueOf(zip.getCause().getMessage()).toLowerCase().contains("keras"), zip.getCause().getMessage());
    }

    /** Issue #27 item 5: Clean a folder counts, can be stopped, leaves the result alone and names every failure. */
    @Test
    void cleanAFolderCountsStopsKeepsTheResultAndNamesEveryFailure() throws Exception {
        AppContext ctx = TestContexts.direct();
        CompareViewModel vm = TestContexts.compare(ctx);
        SignatureGenerator gen = new SignatureGenerator(6);
        vm.show(gen.generate(0), "shown", null);
        GrayImage shown = vm.resultProperty().get();
        Path in = Files.createDirectories(dir.resolve("batch-in"));
        for (int i = 0; i < 2; i++) {
            ImageFiles.writePng(gen.generate(i + 1).toBufferedImage(), in.resolve("good" + i + ".png"));
        }
        Files.writeString(in.resolve("corrupt.png"), "garbage");
        Files.write(in.resolve("empty.png"), new byte[0]);
        Files.writeString(in.resolve("text.jpg"), "not a jpeg");
        List<Boolean> dimmed = new java.util.ArrayList<>();
        vm.workingProperty().addListener((o, a, b) -> dimmed.add(b));
        List<String> counts = new java.util.ArrayList<>();
        vm.batchStatusProperty().addListener((o, a, b) -> counts.add(b));
        vm.batchClean(in, dir.resolve("batch-out"));
        assertFalse(vm.batchRunningProperty().get());
        assertTrue(counts.stream().anyMatch(c -> c.startsWith("Cleaned 5 of 5: ")), counts.toString());
        assertEquals(3, vm.batchFailures().size(), vm.batchFailures().toString());
        for (String bad : List.of("corrupt.png", "empty.png", "text.jpg")) {
            assertTrue(vm.batchFailures().stream().anyMatch(f -> f.contains(bad)), bad + " in " + vm.batchFailures());
        }
        assertTrue(vm.batchStatusProperty().get().startsWith("2 of 5 cleaned") && vm.batchStatusProperty().get().contains("3 failed"),
                vm.batchStatusProperty().get());
        assertTrue(dimmed.isEmpty(), "the result on screen was dimmed: " + dimmed);
        assertTrue(vm.resultProperty().get() == shown, "the result on screen stays");

        // Stopped after the first file: what was written stays, the rest is left.
        Path in2 = Files.createDirectories(dir.resolve("batch-in2"));
        for (int i = 0; i < 4; i++) {
            ImageFiles.writePng(gen.generate(i + 5).toBufferedImage(), in2.resolve("s" + i + ".png"));
        }
        vm.batchStatusProperty().addListener((o, a, b) -> {
            if (b.startsWith("Cleaned 1 of 4")) {
                vm.cancelBatch();
            }
        });
        vm.batchClean(in2, dir.resolve("batch-out2"));
        assertTrue(vm.batchStatusProperty().get().startsWith("1 of 4 cleaned") && vm.batchStatusProperty().get().contains("(stopped)"),
                vm.batchStatusProperty().get());
        try (var written = Files.list(dir.resolve("batch-out2"))) {
            assertEquals(1, written.count());
        }
    }

    /** Issue #27 item 2: a folder of scans is said to be no clean data, and cleaned copies become the data set. */
    @Test
    void aFolderOfScansIsFlaggedAndItsCleanedCopiesBecomeTheDataSet() throws Exception {
        AppContext ctx = TestContexts.direct();
        DatasetViewModel vm = TestContexts.dataset(ctx);
        SignatureGenerator gen = new SignatureGenerator(2);
        Path cleanDir = Files.createDirectories(dir.resolve("clean"));
        Path scanDir = Files.createDirectories(dir.resolve("scans"));
        org.inkwell.data.ScanDegradation device = org.inkwell.data.ScanDegradation.all(0.6, 1.0);
        for (int i = 0; i < 4; i++) {
            GrayImage g = gen.generate(i);
            ImageFiles.writePng(g.toBufferedImage(), cleanDir.resolve("c" + i + ".png"));
            ImageFiles.writePng(device.apply(g, new java.util.SplittableRandom(i)).toBufferedImage(), scanDir.resolve("s" + i + ".png"));
        }
        vm.openFolder(cleanDir);
        assertEquals("", vm.dataWarningProperty().get(), "clean signatures are clean data");
        vm.openFolder(scanDir);
        assertTrue(vm.dataWarningProperty().get().startsWith("This folder holds scans or photos"), vm.dataWarningProperty().get());
        byte[] before = Files.readAllBytes(scanDir.resolve("s0.png"));
        Path out = dir.resolve("cleaned");
        vm.cleanInto(out);
        assertEquals("", vm.dataWarningProperty().get(), "the cleaned copies are clean data");
        assertTrue(vm.source() instanceof org.inkwell.data.FolderDataset f && f.root().equals(out.toRealPath()), vm.source().description());
        assertEquals(4, vm.source().size());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(scanDir.resolve("s0.png"))), "the scans are only read");
        vm.useGenerator();
        assertEquals("", vm.dataWarningProperty().get());
    }

    /** Issue #27 item 7: what no code caught reaches the status bar (and the log) instead of vanishing. */
    @Test
    void anUncaughtFailureIsShownInTheStatusUntilNewWorkStarts() throws Exception {
        org.inkwell.ui.service.Activity activity = new org.inkwell.ui.service.Activity(new DirectTaskExecutor());
        assertEquals("Ready", activity.summaryProperty().get());
        Thread t = new Thread(() -> { }, "inkwell-thumbnails");
        activity.uncaughtHandler().uncaughtException(t, new StackOverflowError());
        assertEquals("Something failed on inkwell-thumbnails: StackOverflowError (details in the log)", activity.summaryProperty().get());
        var job = activity.begin("Cleaning scan.png");
        assertEquals("Cleaning scan.png...", activity.summaryProperty().get());
        job.end();
        assertEquals("Ready", activity.summaryProperty().get());
    }

    /** Issue #26 item 4: Save writes the result as vector outlines when the name ends in .svg or .pdf. */
    @Test
    void saveWritesSvgAndPdfOutlinesOfTheResult() throws Exception {
        AppContext ctx = TestContexts.direct();
        CompareViewModel vm = TestContexts.compare(ctx);
        vm.show(new SignatureGenerator(3).generate(2), "clean", null);
        vm.inkColourProperty().set("#204080");
        vm.widthMmProperty().set(50);
        vm.save(dir.resolve("sig.svg"), true);
        String svg = Files.readString(dir.resolve("sig.svg"));
        assertTrue(svg.startsWith("<?xml") && svg.contains("width=\"50.00mm\"") && svg.contains("fill=\"#204080\"")
                && svg.contains(" d=\"M"), svg.length() > 400 ? svg.substring(0, 400) : svg);
        vm.save(dir.resolve("sig.pdf"), true);
        try (var doc = org.apache.pdfbox.Loader.loadPDF(dir.resolve("sig.pdf").toFile())) {
            assertEquals(50 / 25.4 * 72, doc.getPage(0).getMediaBox().getWidth(), 0.5, "50 mm wide");
        }
        assertTrue(vm.statusProperty().get().startsWith("Saved "), vm.statusProperty().get());
        // Dragged out: a PNG of exactly the result shown, under the system's temporary folder, named as Save suggests.
        assertEquals(null, vm.preparedDragFile(), "nothing is written before the pointer reaches the drag handle");
        vm.prepareDragFile();
        Path ahead = vm.preparedDragFile();
        assertTrue(ahead != null, "the drag file is written before the drag, in the background");
        Path dragged = vm.dragFile();
        assertEquals(ahead, dragged);
        assertTrue(dragged.startsWith(Path.of(System.getProperty("java.io.tmpdir"))) && dragged.getFileName().toString().endsWith("-cleaned.png"));
        var img = ImageIO.read(dragged.toFile());
        var shown = vm.exportedProperty().get();
        assertEquals(shown.getWidth(), img.getWidth());
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                assertEquals(shown.getRGB(x, y), img.getRGB(x, y));
            }
        }
        Files.delete(dragged);
    }

    @Test
    void mapPlacesEverySignatureAndSelectionListsSimilarOnes() throws Exception {
        AppContext ctx = TestContexts.direct();
        ctx.dataSourceProperty().set(new org.inkwell.data.SyntheticSignatures(3, 12));
        DatasetViewModel vm = TestContexts.dataset(ctx);
        assertTrue(vm.map().points().isEmpty());
        vm.map().request();
        assertTrue(() -> vm.map().points().size() == 12);
        assertEquals(1.0, vm.map().progressProperty().get(), 1e-9);
        vm.selectedIndexProperty().set(4);
        assertEquals(8, vm.map().similar().size());
        assertFalse(vm.map().similar().stream().anyMatch(n -> n.index() == 4));
        for (int i = 1; i < 8; i++) {
            assertTrue(vm.map().similar().get(i - 1).distance() <= vm.map().similar().get(i).distance());
        }
        // A new data set clears and recomputes the map.
        ctx.dataSourceProperty().set(new org.inkwell.data.SyntheticSignatures(4, 9));
        assertTrue(() -> vm.map().points().size() == 9);
    }

    @Test
    void trainingRunsFillsTheChartsAndHistory() throws Exception {
        AppContext ctx = TestContexts.direct();
        ctx.dataSourceProperty().set(new org.inkwell.data.SyntheticSignatures(5, 8));
        TrainingViewModel vm = TestContexts.training(ctx);
        vm.settings().batchSizeProperty().set(2);
        vm.settings().stepsPerEpochProperty().set(3);
        vm.settings().epochsProperty().set(2);
        vm.settings().patchProperty().set(32);
        assertTrue(vm.startCommand().isExecutable());
        assertFalse(vm.useModelCommand().isExecutable(), "nothing trained yet");
        assertFalse(vm.cancelCommand().isExecutable(), "nothing to cancel");
        vm.startCommand().execute(); // synchronous with DirectTaskExecutor
        assertFalse(vm.runningProperty().get());
        assertEquals(1, vm.runsTable().rows().size());
        assertEquals("completed", vm.runsTable().rows().get(0).outcome());
        assertEquals(2, vm.valLoss().size());
        assertEquals(2, vm.valF().size());
        assertFalse(vm.trainLoss().isEmpty());
        assertEquals(1.0, vm.progressProperty().get(), 1e-9);
        assertNotNull(vm.previewOutputProperty().get());
        assertNotNull(vm.lastCheckpointProperty().get());
        assertTrue(vm.useModelCommand().isExecutable(), "the run's best epoch can be used");
        assertTrue(vm.startCommand().isExecutable(), "the run is over");
        // The charts follow the run, not the form edited after it.
        vm.settings().epochsProperty().set(9);
        assertEquals(2, vm.chartedEpochs());
        assertEquals(6, vm.chartedSteps());
        String csv = vm.runsTable().asCsv();
        assertTrue(csv.startsWith("started,architecture,optimizer,learning_rate,batch,steps_per_epoch,planned_epochs,image_size,"
                + "patch,shape,augment,noise,data,data_seed,validation_images,epochs,steps"), csv);
        assertEquals(2, csv.lines().count());
        TrainingConfig used = vm.lastResultProperty().get().metadata().training();
        String[] row = csv.lines().skip(1).findFirst().orElseThrow().split(",");
        assertEquals(used.learningRate(), Double.parseDouble(row[3]), 1e-12);
        assertEquals("2", row[4]);
        assertEquals("3", row[5]);
        assertEquals("2", row[6]);
        assertEquals(used.noise(), row[11]);
        // The run's details, its validation sample written beside its checkpoints, and using its model.
        RunRecord run = vm.runsTable().rows().get(0);
        List<String[]> details = TrainingViewModel.details(run);
        assertTrue(details.stream().anyMatch(d -> d[0].equals("Batch") && d[1].equals("2")));
        assertTrue(details.stream().anyMatch(d -> d[0].equals("Noise") && d[1].equals(used.noise())));
        assertEquals(2, run.history().epochs().size());
        GrayImage[] sample = new GrayImage[1];
        vm.loadSample(run, g -> sample[0] = g);
        assertNotNull(sample[0], "the run's validation sample was kept");
        assertEquals(vm.previewNoisyProperty().get().width() + 4 + vm.previewOutputProperty().get().width(), sample[0].width());
        ctx.models().use(TestContexts.tinyModel(), "another").get();
        vm.useRun(run);
        assertTrue(vm.statusProperty().get().startsWith("Now using the run started"), vm.statusProperty().get());
        assertFalse(ctx.models().modelNameProperty().get().contains("another"), ctx.models().modelNameProperty().get());
        // Read back from the runs folder after a restart: the same settings and epochs.
        RunRecord reread = TestContexts.training(ctx).runsTable().rows().get(0);
        assertEquals(used, reread.config());
        assertEquals(2, reread.history().epochs().size());
        vm.settings().resetDefaults();
        assertEquals(96, vm.settings().patchProperty().get());
    }

    /** Issue #26: "remove marks smaller than N px" changes the result, the crop and the saved file alike. */
    @Test
    void removingSmallMarksReachesTheResultTheExportAndTheSave() throws Exception {
        AppContext ctx = TestContexts.direct();
        CompareViewModel vm = TestContexts.compare(ctx);
        vm.show(new SignatureGenerator(1).generate(0), "first", null);
        assertTrue(vm.resultProperty().get() != null && vm.exportedProperty().get() != null);
        // The status says what ran it (the tests run the plans in float32).
        assertTrue(vm.statusProperty().get().matches("Cleaned in \\d+ ms with .+ \\((binary specialist, )?(oneDNN plan, float32|DL4J)\\)\\."),
                vm.statusProperty().get());
        long inkBefore = ink(vm.resultProperty().get());
        assertTrue(inkBefore > 0);
        vm.minMarkProperty().set(1_000_000); // every mark is smaller than that: nothing is left
        assertEquals(0, ink(vm.resultProperty().get()));
        Path out = dir.resolve("none.png");
        vm.save(out, false);
        var img = ImageIO.read(out.toFile());
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                assertEquals(0xFFFFFF, img.getRGB(x, y) & 0xFFFFFF, "the saved file lost the marks too");
            }
        }
        vm.minMarkProperty().set(0);
        assertEquals(inkBefore, ink(vm.resultProperty().get()));
    }

    /** Issue #26: the eraser removes what the model kept, Undo brings it back whole, and Save writes the preview. */
    @Test
    void theEraserTakesAMarkAwayAndUndoBringsItBack() throws Exception {
        CompareViewModel vm = TestContexts.compare(TestContexts.direct());
        vm.show(new SignatureGenerator(1).generate(0), "first", null);
        GrayImage before = vm.resultProperty().get();
        long inkBefore = ink(before);
        java.awt.image.BufferedImage shown = vm.exportedProperty().get();
        int[] at = firstInk(shown);
        assertFalse(vm.canUndoProperty().get());

        vm.eraseAt(at[0], at[1], 4, true);
        vm.eraseAt(at[0] + 3, at[1], 4, false);
        vm.endStroke();
        assertTrue(ink(vm.resultProperty().get()) < inkBefore, "the stroke removed ink");
        assertEquals(0xFFFFFF, vm.exportedProperty().get().getRGB(at[0], at[1]) & 0xFFFFFF, "erased in the preview");
        assertTrue(vm.canUndoProperty().get());
        Path out = dir.resolve("erased.png");
        vm.save(out, false);
        java.awt.image.BufferedImage saved = ImageIO.read(out.toFile());
        java.awt.image.BufferedImage preview = vm.exportedProperty().get();
        for (int y = 0; y < preview.getHeight(); y++) {
            for (int x = 0; x < preview.getWidth(); x++) {
                assertEquals(preview.getRGB(x, y), saved.getRGB(x, y), "saved = preview at " + x + "," + y);
            }
        }

        vm.undo(); // one stroke, two discs: both come back
        assertEquals(before, vm.resultProperty().get());
        assertFalse(vm.canUndoProperty().get());
        assertTrue(vm.canRedoProperty().get());
        vm.redo();
        assertTrue(ink(vm.resultProperty().get()) < inkBefore);
    }

    /** Issue #26: the crop box (the finder's, or moved by the user) is what the preview and the save keep. */
    @Test
    void theCropBoxIsWhatThePreviewKeeps() throws Exception {
        CompareViewModel vm = TestContexts.compare(TestContexts.direct());
        vm.show(new SignatureGenerator(1).generate(0), "first", null);
        assertNotNull(vm.cropRegionProperty().get(), "the finder ran on the result");
        vm.cropToInkProperty().set(true);
        GrayImage r = vm.resultProperty().get();
        vm.setCropRegion(new java.awt.Rectangle(0, 0, r.width() / 2, r.height()));
        java.awt.image.BufferedImage half = vm.exportedProperty().get();
        assertTrue(half.getWidth() <= r.width() / 2, half.getWidth() + " of " + r.width());
        vm.setCropRegion(new java.awt.Rectangle(-50, -50, 10_000, 10_000)); // clipped to the image
        assertEquals(new java.awt.Rectangle(0, 0, r.width(), r.height()), vm.cropRegionProperty().get());
    }

    /** Issue #27 (5): a scan is not scored against its own binarization; Save starts in the input's folder. */
    @Test
    void aScanIsNotScoredAndSaveStartsBesideIt() throws Exception {
        CompareViewModel vm = TestContexts.compare(TestContexts.direct());
        Path folder = Files.createDirectories(dir.resolve("photos"));
        FormPhotosHolder.write(folder.resolve("form.jpg"));
        vm.openFiles(List.of(folder.resolve("form.jpg")));
        assertTrue(vm.resultProperty().get() != null, vm.statusProperty().get());
        assertEquals(folder.toAbsolutePath(), vm.saveFolder());
        vm.noiseLevelProperty().set(0.2);
        assertTrue(vm.metricsProperty().get().startsWith("No score"), vm.metricsProperty().get());

        vm.show(new SignatureGenerator(1).generate(0), "clean", null); // a clean image is its own truth
        vm.noiseLevelProperty().set(0.2);
        assertTrue(vm.metricsProperty().get().startsWith("Model: F "), vm.metricsProperty().get());
    }

    /** Issue #26 (4): Save writes the signature at a physical size and records the dpi in the PNG. */
    @Test
    void saveWritesAPhysicalSize() throws Exception {
        CompareViewModel vm = TestContexts.compare(TestContexts.direct());
        vm.show(new SignatureGenerator(1).generate(0), "first", null);
        vm.widthMmProperty().set(40);
        vm.dpiProperty().set(300);
        Path out = dir.resolve("forty.png");
        vm.save(out, true);
        assertEquals(472, ImageIO.read(out.toFile()).getWidth()); // 40 mm / 25.4 * 300
        assertEquals(300, ImageFiles.pngDpi(out), 0.1);
        assertTrue(vm.statusProperty().get().contains("40 mm wide at 300 dpi"), vm.statusProperty().get());

        // No width asked for: a scan that records 600 dpi keeps it (its pixels, its size on paper); an image without
        // one (the generated example) records none.
        vm.widthMmProperty().set(0);
        Path scan = ImageFiles.writePng(new SignatureGenerator(1).generate(1).toBufferedImage(), dir.resolve("scan600.png"),
                org.inkwell.data.OutputPolicy.strict(), 600);
        vm.openFile(scan);
        Path kept = dir.resolve("kept.png");
        vm.save(kept, true);
        assertEquals(600, ImageFiles.pngDpi(kept), 0.1);
        assertTrue(vm.statusProperty().get().contains("the scan's 600 dpi"), vm.statusProperty().get());
        vm.show(new SignatureGenerator(1).generate(0), "example", null);
        Path none = dir.resolve("none.png");
        vm.save(none, true);
        assertEquals(0, ImageFiles.pngDpi(none));
    }

    private static final class FormPhotosHolder {
        static void write(Path target) throws java.io.IOException {
            Files.write(target, org.inkwell.data.FormPhotos.render(3, 5, 10, 600, 450).jpeg());
        }
    }

    private static int[] firstInk(java.awt.image.BufferedImage img) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFF) < 128) {
                    return new int[]{x, y};
                }
            }
        }
        throw new AssertionError("no ink in the preview");
    }

    private static long ink(GrayImage g) {
        long n = 0;
        for (float v : g.pixels()) {
            if (v < 0.5f) {
                n++;
            }
        }
        return n;
    }

    @Test
    void compareCleansScoresAndSavesWithoutTouchingTheInput() throws Exception {
        AppContext ctx = TestContexts.direct();
        CompareViewModel vm = TestContexts.compare(ctx);
        Path scan = dir.resolve("scan.png");
        ImageFiles.writePng(new SignatureGenerator(1).generate(0).toBufferedImage(), scan);
        byte[] original = Files.readAllBytes(scan);
        vm.openFiles(List.of(scan));
        assertTrue(() -> vm.resultProperty().get() != null && vm.metricsProperty().get().contains("Add noise"));
        assertEquals(0.0, vm.noiseLevelProperty().get()); // a user's scan is cleaned as it is
        vm.noiseLevelProperty().set(0.2);
        assertTrue(() -> vm.metricsProperty().get().startsWith("Model"));
        GrayImage input = vm.inputProperty().get();
        assertEquals(input.width(), vm.resultProperty().get().width());
        assertTrue(vm.metricsProperty().get().contains("F "), vm.metricsProperty().get());

        vm.save(scan, false);
        assertTrue(vm.statusProperty().get().contains("Refusing"));
        assertTrue(java.util.Arrays.equals(original, Files.readAllBytes(scan)));

        assertEquals("scan-cleaned.png", vm.suggestedFileName());
        Path out = dir.resolve("clean.png");
        vm.save(out, true);
        assertTrue(ImageIO.read(out.toFile()).getColorModel().hasAlpha());
        Path fifo = dir.resolve("fifo.png");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
        vm.save(fifo, false);
        assertTrue(vm.statusProperty().get().contains("special file"), vm.statusProperty().get());
        assertFalse(Files.isRegularFile(fifo, java.nio.file.LinkOption.NOFOLLOW_LINKS));

        GrayImage noisyResult = vm.resultProperty().get();
        vm.noiseLevelProperty().set(0.0);
        assertTrue(() -> vm.metricsProperty().get().contains("Add noise"));
        assertNotEquals(noisyResult, vm.resultProperty().get());
    }

    @Test
    void compareDropsOldResultsTheMomentTheInputChangesAndSaysWhatItIsDoing() throws Exception {
        QueuedTaskExecutor ex = new QueuedTaskExecutor();
        ModelService models = new ModelService(ex);
        models.use(TestContexts.tinyModel(), "tiny");
        AppContext ctx = new AppContext(ex, models, TestContexts.settings());
        ex.runQueued();
        CompareViewModel vm = TestContexts.compare(ctx);
        vm.show(new SignatureGenerator(1).generate(0), "first", null);
        ex.runQueued();
        assertTrue(vm.resultProperty().get() != null && !vm.workingProperty().get());
        assertEquals("Ready", ctx.models().activity().summaryProperty().get());

        // The model thread is busy with another image, so the next request has to wait its turn.
        var busy = ctx.models().reconstruct(GrayImage.blank(300, 200));
        vm.noiseLevelProperty().set(0.3);
        assertTrue(vm.workingProperty().get());
        assertEquals("", vm.metricsProperty().get(), "scores of the old result are gone at once");
        assertTrue(ctx.models().activity().busyProperty().get());
        assertTrue(vm.busyTextProperty().get().contains("30% pepper noise"), vm.busyTextProperty().get());
        vm.show(new SignatureGenerator(2).generate(1), "second", null);
        assertEquals(null, vm.resultProperty().get(), "the first image's result is not shown beside the second");
        assertTrue(ctx.models().activity().summaryProperty().get().startsWith("Cleaning"),
                ctx.models().activity().summaryProperty().get());
        assertFalse(busy.isDone());
        ex.runQueued();
        assertTrue(busy.isDone());
        assertTrue(vm.resultProperty().get() != null && !vm.workingProperty().get());
        assertEquals(vm.originalProperty().get().width(), vm.resultProperty().get().width());
        assertEquals("Ready", ctx.models().activity().summaryProperty().get());
    }

    @Test
    void cleanAFolderUsesTheTickedOptionsAndTheSharedOutputPolicy() throws Exception {
        CompareViewModel vm = TestContexts.compare(TestContexts.direct());
        Path in = Files.createDirectories(dir.resolve("scans"));
        java.awt.image.BufferedImage page = new java.awt.image.BufferedImage(400, 300, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        var g = page.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 400, 300);
        g.drawImage(new SignatureGenerator(2).generate(0).toBufferedImage(), 100, 100, 200, 100, null);
        g.dispose();
        ImageIO.write(page, "png", in.resolve("page.png").toFile());
        byte[] original = Files.readAllBytes(in.resolve("page.png"));
        vm.transparentProperty().set(true);
        vm.cropToInkProperty().set(true);
        // The output folder is the input folder reached through a link: the input must survive.
        Path link = Files.createSymbolicLink(dir.resolve("link"), in);
        vm.batchClean(in, link);
        assertTrue(() -> !vm.workingProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("1 of 1"), vm.statusProperty().get());
        assertTrue(java.util.Arrays.equals(original, Files.readAllBytes(in.resolve("page.png"))));
        java.awt.image.BufferedImage out = ImageIO.read(in.resolve("page-1.png").toFile());
        assertTrue(out.getColorModel().hasAlpha(), "Transparent was ticked");
        assertTrue(out.getWidth() < 400 && out.getHeight() < 300, "Crop to ink was ticked: " + out.getWidth() + "x" + out.getHeight());
    }

    @Test
    void compareReportsBadFilesAndKeepsGoing() throws Exception {
        CompareViewModel vm = TestContexts.compare(TestContexts.direct());
        Path bad = Files.writeString(dir.resolve("bad.png"), "not a png");
        vm.openFiles(List.of(bad));
        assertTrue(vm.statusProperty().get().contains("bad.png"), vm.statusProperty().get());
        assertFalse(vm.workingProperty().get());
    }

    @Test
    void modelServiceServesConcurrentCallersCorrectly() throws Exception {
        TaskExecutor threads = new TaskExecutor() { // a real model thread; "UI" actions serialised on this object
            private final java.util.concurrent.ExecutorService model = java.util.concurrent.Executors.newSingleThreadExecutor();

            @Override
            public <V> void execute(BackgroundTask<V> task, java.util.function.DoubleConsumer progress) {
                new DirectTaskExecutor().execute(task, progress);
            }

            @Override
            public synchronized void runOnUi(Runnable action) {
                action.run();
            }

            @Override
            public java.util.concurrent.Executor confinedThread(String name) {
                return model;
            }

            @Override
            public java.util.concurrent.Executor newestFirstThread(String name) {
                return model;
            }

            @Override
            public void shutdown() {
                model.shutdownNow();
            }
        };
        AppContext ctx = new AppContext(threads, new ModelService(threads), TestContexts.settings());
        ctx.models().use(TestContexts.tinyModel(), "tiny").get();
        GrayImage a = org.inkwell.data.Preprocess.resizeNearest(new SignatureGenerator(2).generate(0), 96, 64);
        GrayImage expected = ctx.models().reconstruct(a).get();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<GrayImage>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            futures.add(pool.submit(() -> ctx.models().reconstruct(a).get()));
        }
        for (var f : futures) {
            assertEquals(expected, f.get());
        }
        pool.shutdown();
        threads.shutdown();
    }

    /**
     * File > Export model as ONNX...: the model thread writes the current network; a file the save dialog confirmed
     * is replaced if it is an ONNX file, a file of another kind or a special file never.
     */
    @Test
    void theCurrentModelExportsAsOnnx() throws Exception {
        AppContext ctx = TestContexts.direct();
        Path onnx = dir.resolve("model.onnx");
        assertEquals(dir.toRealPath().resolve("model.onnx"), ctx.models().exportOnnx(onnx).get());
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(onnx), 2);
        assertEquals(0x08, head[0]); // ModelProto's ir_version first
        assertEquals(org.inkwell.model.OnnxExport.IR_VERSION, head[1]);
        // The dialog asked before replacing: an earlier ONNX file is replaced, a file of another kind never.
        ctx.models().exportOnnx(onnx).get();
        assertEquals(0x08, Files.readAllBytes(onnx)[0]);
        Path png = dir.resolve("taken.png");
        ImageFiles.writePng(GrayImage.blank(2, 2).toBufferedImage(), png);
        byte[] pngBytes = Files.readAllBytes(png);
        var other = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> ctx.models().exportOnnx(png).get());
        assertTrue(String.valueOf(other.getCause().getMessage()).contains("is a PNG image, not an ONNX model"), String.valueOf(other.getCause()));
        assertTrue(java.util.Arrays.equals(pngBytes, Files.readAllBytes(png)));
        Path fifo = dir.resolve("fifo.onnx");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> ctx.models().exportOnnx(fifo).get());
        assertTrue(e.getCause() instanceof org.inkwell.data.OutputRefusedException, String.valueOf(e.getCause()));
        assertEquals("Ready", ctx.models().activity().summaryProperty().get());
    }

    @Test
    void wrongModelFilesLeaveTheCurrentModelInPlace() throws Exception {
        AppContext ctx = TestContexts.direct();
        GrayImage a = org.inkwell.data.Preprocess.resizeNearest(new SignatureGenerator(2).generate(0), 96, 64);
        GrayImage before = ctx.models().reconstruct(a).get();
        Path notZip = Files.writeString(dir.resolve("model.zip"), "not a zip");
        Path otherKeras = dir.resolve("other.h5");
        org.inkwell.model.KerasFiles.writeConvNet(otherKeras, 32, 4, 1);
        for (var attempt : List.<java.util.concurrent.Callable<?>>of(() -> ctx.models().load(notZip).get(),
                () -> ctx.models().importKeras(otherKeras).get())) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class, attempt::call);
            assertTrue(e.getCause() instanceof org.inkwell.model.ModelLoadException, String.valueOf(e.getCause()));
        }
        assertEquals("tiny", ctx.models().modelNameProperty().get());
        assertEquals(before, ctx.models().reconstruct(a).get());
    }

    @Test
    void previewInputsAreMadeOnTheModelThreadNotTheCallers() throws Exception {
        QueuedTaskExecutor ex = new QueuedTaskExecutor();
        ModelService models = new ModelService(ex);
        models.use(TestContexts.tinyModel(), "tiny");
        ex.runQueued();
        GrayImage a = org.inkwell.data.Preprocess.resizeNearest(new SignatureGenerator(4).generate(0), 96, 64);
        var made = new java.util.concurrent.atomic.AtomicBoolean();
        var done = new java.util.concurrent.CompletableFuture<ModelService.Preview>();
        models.reconstructLatest(() -> {
            made.set(true);
            return a;
        }, done::complete, done::completeExceptionally);
        assertFalse(made.get(), "the caller did not make the input");
        assertEquals(1, ex.runQueued());
        assertTrue(made.get(), "the model thread made it");
        ModelService.Preview preview = done.getNow(null);
        org.junit.jupiter.api.Assertions.assertSame(a, preview.input());
        var direct = models.reconstruct(a);
        ex.runQueued();
        assertEquals(direct.get(), preview.probabilities());
    }
}
