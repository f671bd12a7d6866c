package org.inkwell.ui;

import org.inkwell.ui.service.AppContext;

import javafx.event.Event;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Slider;
import javafx.scene.control.TableView;
import javafx.scene.image.ImageView;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.stage.Stage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.GrayImage;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.ui.samples.SamplesViewModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Smoke tests of the real window, headless (Monocle). */
@ExtendWith(ApplicationExtension.class)
class WorkbenchUiTest {
    @TempDir
    Path dir;

    private MainWindow window;
    private AppContext context;

    @Start
    void start(Stage stage) {
        window = TestContexts.showWindow(stage, TestContexts.settings(), 40, 1280, 800, true);
        context = window.context();
    }

    @AfterEach
    void stop() throws Exception {
        javafx.application.Platform.runLater(() -> window.trainingViewModel().cancel());
        WaitForAsyncUtils.waitForFxEvents();
        waitUntil(() -> !window.trainingViewModel().runningProperty().get());
        context.executor().shutdown();
    }

    private static void waitUntil(java.util.concurrent.Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, c);
    }

    @Test
    void noiseSliderChangesTheNoisySamples(FxRobot robot) throws Exception {
        robot.clickOn("Samples");
        SamplesViewModel vm = window.samplesViewModel();
        waitUntil(() -> vm.pairs().size() == SamplesViewModel.PAIRS);
        var before = vm.pairs().get(0).noisy();
        ImageView firstImage = robot.from(window.tabs().getTabs().get(1).getContent()).lookup(".sample-image .image-view").queryAs(ImageView.class);
        var shownBefore = firstImage.getImage();
        Slider slider = robot.from(window.tabs().getTabs().get(1).getContent()).lookup(".slider").queryAs(Slider.class);
        robot.interact(() -> slider.setValue(0.45));
        waitUntil(() -> vm.pairs().get(0).noisy() != before && vm.statusProperty().get().contains("45%"));
        assertTrue(vm.pairs().get(0).noisy().inkFraction() > before.inkFraction());
        WaitForAsyncUtils.waitForFxEvents();
        ImageView after = robot.from(window.tabs().getTabs().get(1).getContent()).lookup(".sample-image .image-view").queryAs(ImageView.class);
        assertTrue(after.getImage() != shownBefore, "the grid shows the new images");
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainingUpdatesTheChartAndCanBeCancelled(FxRobot robot) throws Exception {
        robot.clickOn("Training");
        var vm = window.trainingViewModel();
        robot.interact(() -> {
            vm.settings().batchSizeProperty().set(2);
            vm.settings().patchProperty().set(32);
            vm.settings().stepsPerEpochProperty().set(5000);
            vm.settings().epochsProperty().set(1);
        });
        robot.clickOn("Start");
        LineChart<Number, Number> chart = robot.lookup("#lossChart").queryAs(LineChart.class);
        waitUntil(() -> chart.getData().get(0).getData().size() >= 3);
        robot.clickOn("Cancel");
        waitUntil(() -> !vm.runningProperty().get());
        assertEquals("", vm.etaProperty().get(), "no ETA left after Cancel");
        TableView<?> runs = robot.lookup("#runsTable").queryAs(TableView.class);
        assertEquals(1, runs.getItems().size());
        assertEquals("cancelled", vm.runsTable().rows().get(0).outcome());
        assertNotNull(vm.lastCheckpointProperty().get());
    }

    @Test
    void theStatusBarSaysWhatRunsAndReturnsToReady(FxRobot robot) throws Exception {
        var vm = window.compareViewModel();
        waitUntil(() -> context.models().readyProperty().get() && vm.resultProperty().get() != null && !vm.workingProperty().get());
        javafx.scene.control.Label activity = robot.lookup("#activityLabel").queryAs(javafx.scene.control.Label.class);
        waitUntil(() -> "Ready".equals(activity.getText()));
        robot.interact(() -> vm.noiseLevelProperty().set(0.35));
        robot.interact(() -> vm.noiseLevelProperty().set(0.3));
        waitUntil(() -> vm.resultProperty().get() != null && !vm.workingProperty().get());
        waitUntil(() -> "Ready".equals(activity.getText()));
    }

    @Test
    void compareRefitsAfterAResizeUntilTheUserZoomsAndTheWipeFollowsTheMouse(FxRobot robot) throws Exception {
        robot.clickOn("Compare");
        var vm = window.compareViewModel();
        waitUntil(() -> vm.resultProperty().get() != null);
        Slider zoom = robot.lookup("#zoomSlider").queryAs(Slider.class);
        WaitForAsyncUtils.waitForFxEvents();
        double fitted = zoom.getValue();
        Stage stage = (Stage) window.root().getScene().getWindow();
        robot.interact(() -> stage.setWidth(stage.getWidth() * 0.6));
        WaitForAsyncUtils.waitForFxEvents();
        waitUntil(() -> zoom.getValue() < fitted * 0.8);

        robot.clickOn("Before / after wipe");
        javafx.scene.layout.StackPane holder = robot.lookup("#wipeHolder").queryAs(javafx.scene.layout.StackPane.class);
        Slider wipe = robot.lookup("#wipeSlider").queryAs(Slider.class);
        robot.moveTo(holder).moveBy(-holder.getWidth() / 4, 0).press(javafx.scene.input.MouseButton.PRIMARY)
                .release(javafx.scene.input.MouseButton.PRIMARY);
        assertEquals(0.25, wipe.getValue(), 0.05);
        javafx.scene.layout.Region divider = robot.lookup("#wipeDivider").queryAs(javafx.scene.layout.Region.class);
        assertEquals(holder.getWidth() * wipe.getValue(), divider.getTranslateX() + 1, 1.0);

        robot.clickOn("Side by side");
        robot.interact(() -> zoom.setValue(2.0)); // the user zooms: resizes no longer refit
        robot.interact(() -> stage.setWidth(stage.getWidth() / 0.6));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2.0, zoom.getValue(), 1e-9);
        // Issue #26: View > Fit to window (Ctrl+0) and the Fit button return to the fitted zoom.
        robot.push(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.DIGIT0,
                javafx.scene.input.KeyCombination.SHORTCUT_DOWN));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(fitted, zoom.getValue(), fitted * 0.05);
        robot.interact(() -> zoom.setValue(3.0));
        robot.clickOn("#fitButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(fitted, zoom.getValue(), fitted * 0.05);
    }

    @Test
    void theClickedThumbnailIsHighlightedAndArrowKeysMoveIt(FxRobot robot) throws Exception {
        robot.clickOn("Dataset");
        var vm = window.datasetViewModel();
        WaitForAsyncUtils.waitForFxEvents();
        javafx.css.PseudoClass selected = javafx.css.PseudoClass.getPseudoClass("selected");
        var cells = robot.lookup(".thumbnail-cell").queryAll().stream()
                .filter(n -> n instanceof org.controlsfx.control.GridCell<?> c && c.getItem() != null).toList();
        javafx.scene.Node third = cells.stream().filter(n -> Integer.valueOf(2).equals(((org.controlsfx.control.GridCell<?>) n).getItem()))
                .findFirst().orElseThrow();
        robot.clickOn(third);
        assertEquals(2, vm.selectedIndexProperty().get());
        assertTrue(third.getPseudoClassStates().contains(selected));
        robot.type(javafx.scene.input.KeyCode.RIGHT);
        assertEquals(3, vm.selectedIndexProperty().get());
        assertFalse(third.getPseudoClassStates().contains(selected), "only the selected signature is highlighted");
        long highlighted = robot.lookup(".thumbnail-cell").queryAll().stream()
                .filter(n -> n.getPseudoClassStates().contains(selected)).count();
        assertEquals(1, highlighted);
    }

    /** Issue #27 item 6 / #29: Help > User guide (F1) opens the guide, keyboard shortcuts included. */
    @Test
    void theMapMarksOnlyTheSelectedSignatureAndEveryPointKeepsItsSize(FxRobot robot) throws Exception {
        robot.clickOn("Dataset");
        robot.clickOn("Map");
        waitUntil(() -> window.datasetViewModel().map().points().size() == 40);
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.chart.ScatterChart<?, ?> chart = robot.lookup(n -> n instanceof javafx.scene.chart.ScatterChart)
                .queryAs(javafx.scene.chart.ScatterChart.class);
        // In the order of the Map's points (the scene graph reorders them: the selected one is brought to the front).
        List<javafx.scene.Node> nodes = chart.getData().get(0).getData().stream().map(d -> (javafx.scene.Node) d.getNode()).toList();
        assertEquals(40, nodes.size());
        assertEquals(40, robot.lookup(".map-point").queryAll().size());
        javafx.css.PseudoClass selected = javafx.css.PseudoClass.getPseudoClass("selected");
        double size = nodes.get(0).getLayoutBounds().getWidth();
        // Two changes of selection through the real Map, then one from the thumbnails: each time exactly one marker.
        for (int step = 0; step < 3; step++) {
            if (step < 2) {
                javafx.scene.Node target = nodes.get(step * 17);
                robot.moveTo(target).clickOn(target);
            } else {
                robot.moveTo("Thumbnails"); // off the Map: a hovered point is drawn larger
                robot.interact(() -> window.datasetViewModel().selectedIndexProperty().set(33));
            }
            WaitForAsyncUtils.waitForFxEvents();
            int chosen = window.datasetViewModel().selectedIndexProperty().get();
            List<javafx.scene.Node> marked = nodes.stream().filter(n -> n.getPseudoClassStates().contains(selected)).toList();
            assertEquals(1, marked.size(), "one marker after change " + step);
            int k = window.datasetViewModel().map().points().stream().map(p -> p.index()).toList().indexOf(chosen);
            assertTrue(marked.get(0) == nodes.get(k), "the marker is on the selected signature " + chosen);
            for (javafx.scene.Node n : nodes) {
                assertEquals(n == marked.get(0) ? 2.0 : 1.0, n.getScaleX(), "scale after change " + step);
                assertEquals(size, n.getLayoutBounds().getWidth(), 1e-6, "every point keeps its size");
            }
        }
        assertTrue(size > 4, "points are visible: " + size);
    }

    @Test
    void f1OpensTheUserGuide(FxRobot robot) throws Exception {
        robot.push(javafx.scene.input.KeyCode.F1);
        waitUntil(() -> robot.listTargetWindows().stream().anyMatch(w -> w instanceof Stage s
                && "Inkwell user guide".equals(s.getTitle())));
        javafx.scene.control.TextArea guide = robot.lookup(".text-area").queryAs(javafx.scene.control.TextArea.class);
        assertTrue(guide.getText().contains("## Keyboard shortcuts") && guide.getText().contains("| F1 |"), "the guide is shown");
        robot.interact(() -> ((Stage) guide.getScene().getWindow()).close());
    }

    /** Issue #25: Compare says how uncertain a result is, and its noise menu offers each device family. */
    @Test
    void compareShowsTheUncertaintyAndOffersEachDeviceFamily(FxRobot robot) throws Exception {
        robot.clickOn("Compare");
        var vm = window.compareViewModel();
        waitUntil(() -> context.models().readyProperty().get() && vm.resultProperty().get() != null && !vm.workingProperty().get());
        javafx.scene.control.Label uncertainty = robot.lookup("#uncertaintyLabel").queryAs(javafx.scene.control.Label.class);
        waitUntil(() -> uncertainty.getText().startsWith("Uncertain: "));
        assertTrue(uncertainty.isVisible() && uncertainty.getText().contains("of the ink"), uncertainty.getText());
        @SuppressWarnings("unchecked")
        javafx.scene.control.ChoiceBox<String> noise = robot.lookup("#noiseTypeChoice").queryAs(javafx.scene.control.ChoiceBox.class);
        for (String family : List.of("pen", "paper", "photocopier", "camera", "pepper on a grey scan")) {
            assertTrue(noise.getItems().contains(family), family + " in " + noise.getItems());
        }
        var before = vm.inputProperty().get();
        robot.interact(() -> {
            vm.noiseLevelProperty().set(0.4);
            noise.setValue("photocopier");
        });
        waitUntil(() -> vm.inputProperty().get() != before && !vm.workingProperty().get() && vm.resultProperty().get() != null);
        waitUntil(() -> uncertainty.getText().startsWith("Uncertain: "));
    }

    /**
     * Issue #26: what the result view shows is what Save writes and Copy puts on the clipboard, pixel for pixel
     * (transparency, ink colour and crop included), and Ctrl+V cleans an image from the clipboard.
     */
    @Test
    void theResultShownIsWhatIsSavedAndCopiedAndPasteCleansAnImage(FxRobot robot) throws Exception {
        robot.clickOn("Compare");
        var vm = window.compareViewModel();
        waitUntil(() -> context.models().readyProperty().get() && vm.resultProperty().get() != null && !vm.workingProperty().get());
        robot.interact(() -> {
            vm.transparentProperty().set(true);
            vm.inkColourProperty().set("blue");
            vm.cropToInkProperty().set(true);
        });
        waitUntil(() -> vm.exportedProperty().get() != null && vm.exportedProperty().get().getColorModel().hasAlpha());
        java.awt.image.BufferedImage shown = vm.exportedProperty().get();
        assertTrue(shown.getWidth() <= vm.resultProperty().get().width(), "cropped to the ink");
        boolean blueInk = false;
        for (int y = 0; y < shown.getHeight() && !blueInk; y++) {
            for (int x = 0; x < shown.getWidth() && !blueInk; x++) {
                int v = shown.getRGB(x, y);
                blueInk = (v >>> 24) > 0 && (v & 0xFF) > ((v >> 16) & 0xFF) + 60;
            }
        }
        assertTrue(blueInk, "the chosen ink colour is in the preview: type " + shown.getType() + " " + shown.getWidth() + "x"
                + shown.getHeight() + " centre " + Integer.toHexString(shown.getRGB(shown.getWidth() / 2, shown.getHeight() / 2))
                + " ink " + vm.inkColourProperty().get());
        ImageView output = robot.lookup("#outputView").queryAs(ImageView.class);
        waitUntil(() -> output.getImage() != null && (int) output.getImage().getWidth() == shown.getWidth());
        // Through JavaFX's premultiplied images a half-transparent pixel's colour may move by a unit or two.
        assertTrue(maxDiff(shown, javafx.embed.swing.SwingFXUtils.fromFXImage(output.getImage(), null)) <= 3, "the view shows the export");

        Path saved = dir.resolve("saved.png");
        robot.interact(() -> vm.save(saved));
        waitUntil(() -> java.nio.file.Files.exists(saved));
        assertEquals(0, maxDiff(shown, javax.imageio.ImageIO.read(saved.toFile())), "the saved file is the preview, pixel for pixel");

        robot.interact(() -> window.tabs().requestFocus());
        robot.push(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.C, javafx.scene.input.KeyCombination.SHORTCUT_DOWN));
        java.awt.image.BufferedImage[] copied = new java.awt.image.BufferedImage[1];
        waitUntil(() -> {
            robot.interact(() -> {
                var cb = javafx.scene.input.Clipboard.getSystemClipboard();
                copied[0] = cb.hasImage() ? javafx.embed.swing.SwingFXUtils.fromFXImage(cb.getImage(), null) : null;
            });
            return copied[0] != null;
        });
        assertTrue(maxDiff(shown, copied[0]) <= 3, "the clipboard holds the result as saved, alpha included");

        java.awt.image.BufferedImage other = new SignatureGenerator(9).generate(4).toBufferedImage();
        robot.interact(() -> {
            ClipboardContent content = new ClipboardContent();
            content.putImage(javafx.embed.swing.SwingFXUtils.toFXImage(other, null));
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
        });
        robot.push(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.V, javafx.scene.input.KeyCombination.SHORTCUT_DOWN));
        waitUntil(() -> vm.inputNameProperty().get().startsWith("pasted image") && vm.originalProperty().get() != null
                && vm.originalProperty().get().width() == other.getWidth() && vm.exportedProperty().get() != null);
    }

    /** The largest difference of any channel, alpha included (a fully transparent pixel's colour ignored); 999 for another size. */
    /**
     * Issue #26: with Crop to signature ticked, the finder's box is drawn on the input; dragging its right edge on
     * screen narrows the crop the preview keeps; the eraser button erases on the result and Edit > Undo restores it.
     */
    @Test
    void theCropBoxIsDraggedOnTheInputAndTheEraserIsUndone(FxRobot robot) throws Exception {
        robot.clickOn("Compare");
        var vm = window.compareViewModel();
        waitUntil(() -> context.models().readyProperty().get() && vm.resultProperty().get() != null
                && !vm.workingProperty().get() && vm.cropRegionProperty().get() != null);
        robot.clickOn("Crop to signature");
        javafx.scene.shape.Rectangle box = robot.lookup("#cropOverlay").queryAs(javafx.scene.shape.Rectangle.class);
        waitUntil(box::isVisible);
        java.awt.Rectangle before = vm.cropRegionProperty().get();
        javafx.geometry.Bounds b = box.localToScreen(box.getBoundsInLocal());
        double edgeX = b.getMaxX() - 3;
        double midY = (b.getMinY() + b.getMaxY()) / 2;
        robot.moveTo(new javafx.geometry.Point2D(edgeX, midY)).press(javafx.scene.input.MouseButton.PRIMARY)
                .moveTo(new javafx.geometry.Point2D(edgeX - b.getWidth() / 3, midY)).release(javafx.scene.input.MouseButton.PRIMARY);
        waitUntil(() -> vm.cropRegionProperty().get().width < before.width);
        assertEquals(before.x, vm.cropRegionProperty().get().x, "the left edge stays");

        GrayImage shownResult = vm.resultProperty().get();
        robot.clickOn("#eraserButton");
        ImageView output = robot.lookup("#outputView").queryAs(ImageView.class);
        javafx.geometry.Bounds o = output.localToScreen(output.getBoundsInLocal());
        robot.moveTo(new javafx.geometry.Point2D(o.getMinX() + 4, o.getMinY() + 4)).press(javafx.scene.input.MouseButton.PRIMARY)
                .moveTo(new javafx.geometry.Point2D(o.getMaxX() - 4, o.getMaxY() - 4)).release(javafx.scene.input.MouseButton.PRIMARY);
        waitUntil(() -> vm.canUndoProperty().get() && vm.resultProperty().get() != shownResult);
        robot.interact(() -> window.tabs().requestFocus());
        robot.push(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.Z, javafx.scene.input.KeyCombination.SHORTCUT_DOWN));
        waitUntil(() -> !vm.canUndoProperty().get() && shownResult.equals(vm.resultProperty().get()));
    }

    /**
     * Issue #26 (6): the Sign pane shows a PDF's page with Compare's result on it; dragging the signature moves it,
     * dragging its corner widens it, an arrow key nudges it by a millimetre, and the page picker shows page 2.
     */
    @Test
    void aSignatureIsDraggedAndSizedOnAPdfPage(FxRobot robot) throws Exception {
        Path pdf = dir.resolve("form.pdf");
        try (var doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            doc.addPage(new org.apache.pdfbox.pdmodel.PDPage(org.apache.pdfbox.pdmodel.common.PDRectangle.A4));
            doc.addPage(new org.apache.pdfbox.pdmodel.PDPage(org.apache.pdfbox.pdmodel.common.PDRectangle.A4));
            doc.save(pdf.toFile());
        }
        var compare = window.compareViewModel();
        waitUntil(() -> context.models().readyProperty().get() && compare.exportedProperty().get() != null);
        robot.clickOn("Sign");
        var vm = window.placeViewModel();
        robot.interact(() -> vm.open(pdf));
        waitUntil(() -> vm.pageImageProperty().get() != null && vm.signatureProperty().get() != null
                && vm.widthMmProperty().get() > 0);
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.layout.Pane sig = robot.lookup(".placed-signature").queryAs(javafx.scene.layout.Pane.class);
        waitUntil(sig::isVisible);
        double x0 = vm.xMmProperty().get();
        double y0 = vm.yMmProperty().get();
        javafx.geometry.Bounds b = sig.localToScreen(sig.getBoundsInLocal());
        javafx.geometry.Point2D grab = new javafx.geometry.Point2D(b.getMinX() + b.getWidth() / 3, b.getMinY() + b.getHeight() / 2);
        robot.moveTo(grab).press(javafx.scene.input.MouseButton.PRIMARY)
                .moveTo(grab.add(-120, -150)).release(javafx.scene.input.MouseButton.PRIMARY);
        waitUntil(() -> vm.xMmProperty().get() < x0 - 10 && vm.yMmProperty().get() < y0 - 10);
        double w0 = vm.widthMmProperty().get();
        javafx.scene.shape.Rectangle handle = robot.lookup(".resize-handle").queryAs(javafx.scene.shape.Rectangle.class);
        javafx.geometry.Bounds h = handle.localToScreen(handle.getBoundsInLocal());
        javafx.geometry.Point2D corner = new javafx.geometry.Point2D((h.getMinX() + h.getMaxX()) / 2, (h.getMinY() + h.getMaxY()) / 2);
        robot.moveTo(corner).press(javafx.scene.input.MouseButton.PRIMARY)
                .moveTo(corner.add(60, 0)).release(javafx.scene.input.MouseButton.PRIMARY);
        waitUntil(() -> vm.widthMmProperty().get() > w0 + 5);
        javafx.scene.control.Spinner<?> width = robot.lookup("#widthSpinner").queryAs(javafx.scene.control.Spinner.class);
        assertEquals(Math.round(vm.widthMmProperty().get()), Math.round(((Number) width.getValue()).doubleValue()), "the spinner follows");
        double x1 = vm.xMmProperty().get();
        robot.type(javafx.scene.input.KeyCode.RIGHT);
        waitUntil(() -> Math.abs(vm.xMmProperty().get() - (x1 + 1)) < 1e-6);
        javafx.scene.control.Spinner<?> page = robot.lookup("#pageSpinner").queryAs(javafx.scene.control.Spinner.class);
        robot.interact(() -> page.increment());
        waitUntil(() -> vm.pageImageProperty().get().page() == 2);
        assertTrue(robot.lookup("#pagesLabel").queryAs(javafx.scene.control.Label.class).getText().equals("of 2"));
    }

    /** Issue #27 (1): File > Use bundled model goes back to it, now and at the next start; the status bar says so. */
    @Test
    void useBundledModelGoesBackToItForGood(FxRobot robot) throws Exception {
        waitUntil(() -> context.models().readyProperty().get());
        Path trained = dir.resolve("trained.zip");
        java.nio.file.Files.writeString(trained, "stands for a trained model the user opened");
        robot.interact(() -> context.settings().rememberModel(trained));
        assertEquals("tiny", context.models().modelNameProperty().get());
        robot.clickOn("File").clickOn("Use bundled model");
        waitUntil(() -> "bundled model".equals(context.models().modelNameProperty().get()) && context.models().readyProperty().get());
        waitUntil(() -> context.settings().lastModel() == null);
        javafx.scene.control.Label status = robot.lookup(n -> n instanceof javafx.scene.control.Label l
                && l.getText() != null && l.getText().startsWith("Model: bundled model")).queryAs(javafx.scene.control.Label.class);
        assertTrue(status.getText().contains("scan network, with black-and-white and pepper specialists"), status.getText());
        // Preferences shows the model in use and offers the way back only when another model is in use.
        robot.clickOn("File").clickOn("Preferences...");
        javafx.scene.control.Button back = robot.lookup("#bundledButton").queryAs(javafx.scene.control.Button.class);
        assertTrue(back.isDisabled(), "the bundled model is in use");
        assertEquals("bundled model", robot.lookup("#modelLabel").queryAs(javafx.scene.control.Label.class).getText());
        robot.interact(() -> context.models().use(TestContexts.tinyModel(), "tiny"));
        waitUntil(() -> !back.isDisabled());
        robot.clickOn(back);
        waitUntil(() -> "bundled model".equals(context.models().modelNameProperty().get()) && back.isDisabled());
        robot.clickOn("Close");
    }

    private static int maxDiff(java.awt.image.BufferedImage a, java.awt.image.BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return 999;
        }
        int max = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift < 32; shift += 8) {
                    if (shift < 24 && (p >>> 24) == 0 && (q >>> 24) == 0) {
                        continue;
                    }
                    max = Math.max(max, Math.abs(((p >>> shift) & 0xFF) - ((q >>> shift) & 0xFF)));
                }
            }
        }
        return max;
    }

    @Test
    void droppingAFileShowsItsReconstruction(FxRobot robot) throws Exception {
        Path scan = dir.resolve("dropped.png");
        ImageFiles.writePng(new SignatureGenerator(8).generate(2).toBufferedImage(), scan);
        var vm = window.compareViewModel();
        waitUntil(() -> context.models().readyProperty().get());
        robot.interact(() -> {
            Dragboard db = com.sun.javafx.scene.input.DragboardHelper.createDragboard(
                    com.sun.javafx.tk.Toolkit.getToolkit().createLocalClipboard());
            ClipboardContent content = new ClipboardContent();
            content.putFiles(List.of(scan.toFile()));
            db.setContent(content);
            Event.fireEvent(window.root(), new DragEvent(DragEvent.DRAG_DROPPED, db, 10, 10, 10, 10,
                    TransferMode.COPY, null, null, null));
        });
        waitUntil(() -> vm.inputNameProperty().get().startsWith("dropped.png") && vm.resultProperty().get() != null
                && vm.resultProperty().get().width() == vm.originalProperty().get().width()
                && vm.originalProperty().get().width() != 301);
        assertEquals("Compare", window.tabs().getSelectionModel().getSelectedItem().getText());
        ImageView reconstruction = robot.lookup("#outputView").queryAs(ImageView.class);
        waitUntil(() -> reconstruction.getImage() != null
                && (int) reconstruction.getImage().getWidth() == vm.originalProperty().get().width());
        assertFalse(vm.statusProperty().get().startsWith("Cannot"));
    }
}
