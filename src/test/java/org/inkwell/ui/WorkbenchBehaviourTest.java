package org.inkwell.ui;

import org.inkwell.ui.service.AppContext;

import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.data.SyntheticSignatures;
import org.inkwell.data.TrainingPair;
import org.inkwell.model.ModelStore;
import org.inkwell.model.TrainingHistory;
import org.inkwell.ui.dataset.DatasetViewModel;
import org.inkwell.ui.samples.SamplesViewModel;
import org.inkwell.ui.training.RunRecord;
import org.inkwell.ui.training.TrainingViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the workbench shows is what the user gets: view models driven synchronously, without a toolkit. */
class WorkbenchBehaviourTest {
    @TempDir
    Path dir;

    private static TrainingViewModel tinyTraining(AppContext ctx, int epochs) {
        TrainingViewModel vm = TestContexts.training(ctx);
        vm.settings().batchSizeProperty().set(2);
        vm.settings().stepsPerEpochProperty().set(2);
        vm.settings().epochsProperty().set(epochs);
        vm.settings().patchProperty().set(32);
        return vm;
    }

    @Test
    void theScoresShownAreThoseOfTheEpochUseTrainedModelLoads() throws Exception {
        AppContext ctx = TestContexts.direct();
        ctx.dataSourceProperty().set(new SyntheticSignatures(5, 8));
        TrainingViewModel vm = tinyTraining(ctx, 3);
        vm.start();
        TrainingHistory h = vm.lastResultProperty().get().history();
        TrainingHistory.Epoch best = h.epochs().stream().min(Comparator.comparingDouble(TrainingHistory.Epoch::valLoss)).orElseThrow();
        RunRecord shown = vm.runsTable().rows().get(0);
        assertEquals(best.valFmeasure(), shown.bestValF(), 1e-9);
        assertEquals(best.valLoss(), shown.bestValBce(), 1e-9);
        assertTrue(vm.statusProperty().get().contains(String.format(java.util.Locale.ROOT, "%.1f%%", best.valFmeasure())),
                vm.statusProperty().get());
        Path loaded = vm.lastCheckpointProperty().get();
        assertEquals("best.zip", loaded.getFileName().toString());
        assertEquals(best.valFmeasure(), ModelStore.describe(loaded).metadata().metrics().get("val_fmeasure"), 1e-9);
        assertEquals("", vm.etaProperty().get(), "no ETA left once the run has ended");
        assertEquals("", vm.throughputProperty().get());
    }

    @Test
    void theRunRecordKeepsTheSettingsTheRunWasLaunchedWith() throws Exception {
        AppContext ctx = TestContexts.direct();
        ctx.dataSourceProperty().set(new SyntheticSignatures(5, 8));
        TrainingViewModel vm = tinyTraining(ctx, 1);
        // The form stays editable during a run: edit it (to something invalid, too) once training has started.
        vm.statusProperty().addListener((o, a, b) -> {
            if ("Training...".equals(b)) {
                vm.settings().architectureProperty().set("seed");
                vm.settings().optimizerProperty().set("seed-sgd");
                vm.settings().noiseProperty().set("not a noise");
            }
        });
        vm.start();
        assertEquals(1, vm.runsTable().rows().size());
        assertEquals("unet", vm.runsTable().rows().get(0).architecture());
        assertEquals("adam", vm.runsTable().rows().get(0).optimizer());
        assertEquals("completed", vm.runsTable().rows().get(0).outcome());
    }

    @Test
    void everyRunStartsWithFreshChartsAndRunsComeBackAfterARestartNewestFirst() throws Exception {
        AppContext ctx = TestContexts.direct();
        ctx.dataSourceProperty().set(new SyntheticSignatures(5, 8));
        TrainingViewModel vm = tinyTraining(ctx, 2);
        vm.start();
        assertEquals(2, vm.valLoss().size());
        vm.settings().epochsProperty().set(1);
        vm.start();
        assertEquals(1, vm.valLoss().size(), "the previous run's validation points are gone");
        assertEquals(1, vm.valF().size());
        assertEquals(2, vm.runsTable().rows().size());
        assertEquals(1, vm.runsTable().rows().get(0).epochs(), "the newest run is on top");

        TrainingViewModel afterRestart = TestContexts.training(ctx);
        assertEquals(2, afterRestart.runsTable().rows().size(), "both runs are read back from the runs folder");
        assertEquals(1, afterRestart.runsTable().rows().get(0).epochs());
        assertEquals(2, afterRestart.runsTable().rows().get(1).epochs());
        assertEquals("completed", afterRestart.runsTable().rows().get(1).outcome());
        assertNotEquals(afterRestart.runsTable().rows().get(0).checkpoint(), afterRestart.runsTable().rows().get(1).checkpoint(),
                "two runs in the same second get folders of their own");
    }

    @Test
    void theNoiseLevelChangesOnlyTheNoiseAndFitKeepsTheAspect() throws Exception {
        AppContext ctx = TestContexts.direct();
        SamplesViewModel vm = TestContexts.samples(ctx);
        List<GrayImage> cleanBefore = vm.pairs().stream().map(TrainingPair::clean).toList();
        vm.noiseLevelProperty().set(0.45);
        List<GrayImage> cleanAfter = vm.pairs().stream().map(TrainingPair::clean).toList();
        assertEquals(cleanBefore, cleanAfter, "same signatures, crops, flips and rotations at every level");

        vm.noiseTypeProperty().set("scan");
        assertTrue(vm.pairs().stream().anyMatch(p -> !org.inkwell.data.Binarizer.isBinary(p.noisy())), "scans are grey");
        vm.noiseTypeProperty().set("pepper");
        vm.augmentProperty().set(false);
        assertEquals("fit", vm.shapeProperty().get());
        // A generated signature is wider than tall: kept in aspect, paper fills the top and bottom rows.
        GrayImage fit = vm.pairs().get(0).clean();
        assertTrue(rowIsPaper(fit, 0) && rowIsPaper(fit, fit.height() - 1), "fit pads instead of stretching");
        vm.shapeProperty().set("seed");
        GrayImage squashed = vm.pairs().get(0).clean();
        assertTrue(inkRows(squashed) > inkRows(fit), "seed stretches the signature over the square");
    }

    private static boolean rowIsPaper(GrayImage g, int y) {
        for (int x = 0; x < g.width(); x++) {
            if (g.get(x, y) < 0.5f) {
                return false;
            }
        }
        return true;
    }

    private static int inkRows(GrayImage g) {
        int n = 0;
        for (int y = 0; y < g.height(); y++) {
            n += rowIsPaper(g, y) ? 0 : 1;
        }
        return n;
    }

    @Test
    void aTypedSeedAppliesAtOnceAndArrowKeysMoveTheSelection() throws Exception {
        AppContext ctx = TestContexts.direct();
        DatasetViewModel vm = TestContexts.dataset(ctx);
        vm.generatorSeedProperty().set(7);
        assertTrue(vm.sourceDescriptionProperty().get().contains("seed 7"), vm.sourceDescriptionProperty().get());
        assertEquals(7, ((SyntheticSignatures) ctx.dataSourceProperty().get()).generator().seed());
        vm.generatorCountProperty().set(30);
        assertEquals(30, ctx.dataSourceProperty().get().size());

        assertEquals(0, vm.selectedIndexProperty().get());
        vm.moveSelection(1);
        vm.moveSelection(5);
        assertEquals(6, vm.selectedIndexProperty().get());
        vm.moveSelection(-100);
        assertEquals(0, vm.selectedIndexProperty().get());
        vm.moveSelection(1000);
        assertEquals(29, vm.selectedIndexProperty().get());
    }

    @Test
    void theLastDataFolderAndModelAreRemembered() throws Exception {
        AppContext ctx = TestContexts.direct();
        Path folder = java.nio.file.Files.createDirectories(dir.resolve("scans"));
        ImageFiles.writePng(new SignatureGenerator(2).generate(0).toBufferedImage(), folder.resolve("a.png"));
        DatasetViewModel vm = TestContexts.dataset(ctx);
        vm.openFolder(folder);
        assertEquals(folder.toAbsolutePath(), ctx.settings().lastDataFolder());
        vm.useGenerator();
        assertEquals(null, ctx.settings().lastDataFolder());
    }
}
