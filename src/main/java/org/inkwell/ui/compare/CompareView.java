package org.inkwell.ui.compare;

import org.inkwell.ui.service.DialogService;
import org.inkwell.ui.service.FxDialogService;
import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Rectangle;
import org.inkwell.data.GrayImage;
import org.inkwell.ui.util.FxImages;

import java.io.File;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Binds the Compare pane to {@link CompareViewModel}: synced zoom and pan, a wipe view, drag and drop.
 * <p>Longer than most classes: zoom at the cursor, pan, the wipe divider and drag and drop are all pointer handling
 * on the same two image views.
 */
public final class CompareView {
    private FxDialogService dialogs;
    @FXML
    private StackPane root;
    @FXML
    private Slider noiseSlider;
    @FXML
    private Label noiseLabel;
    @FXML
    private Slider thresholdSlider;
    @FXML
    private Label thresholdLabel;
    @FXML
    private Slider zoomSlider;
    @FXML
    private CheckBox cropBox;
    @FXML
    private ScrollPane inputScroll;
    @FXML
    private ScrollPane outputScroll;
    @FXML
    private ImageView inputView;
    @FXML
    private ImageView outputView;
    @FXML
    private ImageView wipeBefore;
    @FXML
    private ImageView wipeAfter;
    @FXML
    private StackPane wipeHolder;
    @FXML
    private Slider wipeSlider;
    @FXML
    private Label inputLabel;
    @FXML
    private Label metricsLabel;
    @FXML
    private Label uncertaintyLabel;
    @FXML
    private Label findingLabel;
    @FXML
    private javafx.scene.control.ListView<LibraryViewModel.Kept> libraryList;
    @FXML
    private javafx.scene.control.Button libraryExportButton;
    @FXML
    private javafx.scene.control.Button libraryDeleteButton;
    @FXML
    private Label libraryStatus;
    @FXML
    private javafx.scene.control.TitledPane libraryPane;
    private LibraryViewModel library;
    @FXML
    private javafx.scene.control.TextField keepName;
    @FXML
    private javafx.scene.control.Spinner<Double> widthMmSpinner;
    @FXML
    private javafx.scene.control.ChoiceBox<Integer> dpiChoice;
    @FXML
    private CheckBox straightenBox;
    @FXML
    private javafx.scene.control.ToggleButton eraserButton;
    @FXML
    private javafx.scene.layout.Pane inputHolder;
    @FXML
    private javafx.scene.shape.Rectangle cropOverlay;
    /** The crop box being dragged, in image pixels, and how: "move" or the edges held (n, s, e, w). */
    private java.awt.Rectangle dragStart;
    private String dragMode = "";
    private double dragX;
    private double dragY;
    @FXML
    private StackPane outputBacking;
    @FXML
    private Label statusLabel;
    @FXML
    private ProgressBar batchProgress;
    @FXML
    private javafx.scene.layout.HBox batchBox;
    @FXML
    private javafx.scene.control.Label dragHandle;
    @FXML
    private javafx.scene.control.Label batchStatus;
    @FXML
    private javafx.scene.control.Button batchButton;
    @FXML
    private javafx.scene.control.Button batchStop;
    @FXML
    private javafx.scene.control.Button batchFailuresButton;
    @FXML
    private CheckBox transparentBox;
    @FXML
    private javafx.scene.control.ColorPicker inkPicker;
    @FXML
    private javafx.scene.control.Spinner<Integer> minMarkSpinner;
    @FXML
    private javafx.scene.control.ChoiceBox<String> noiseTypeChoice;
    @FXML
    private javafx.scene.layout.HBox busyOverlay;
    @FXML
    private Label busyLabel;
    @FXML
    private javafx.scene.layout.Region wipeDivider;
    /** True once the user zooms: until then a new image or a resized window refits the view. */
    private boolean userZoomed;
    @FXML
    private Label dropHint;

    private CompareViewModel viewModel;
    private boolean fitting = true;
    private boolean settingZoom;

    public void bind(CompareViewModel vm, FxDialogService dialogs) {
        this.dialogs = dialogs;
        this.viewModel = vm;
        noiseSlider.valueProperty().bindBidirectional(vm.noiseLevelProperty());
        noiseLabel.textProperty().bind(vm.noiseLevelProperty().multiply(100).asString(Locale.ROOT, "%.0f%%"));
        thresholdSlider.valueProperty().bindBidirectional(vm.thresholdProperty());
        thresholdLabel.textProperty().bind(vm.thresholdProperty().asString(Locale.ROOT, "%.2f"));
        cropBox.selectedProperty().bindBidirectional(vm.cropToInkProperty());
        straightenBox.selectedProperty().bindBidirectional(vm.straightenProperty());
        straightenBox.setTooltip(new javafx.scene.control.Tooltip("Turn the result upright by the page's measured tilt"));
        vm.tiltProperty().addListener((o, a, t) -> straightenBox.setText(
                String.format(Locale.ROOT, "Straighten (%.1f\u00b0)", t.doubleValue())));
        findingLabel.textProperty().bind(vm.findingProperty());
        cropBox.setTooltip(new javafx.scene.control.Tooltip(
                "Keep just the signature: drag the box on the input to move it, its edges to resize it"));
        // Physical size: 0 mm saves the result as cleaned; a width resizes it and records the dpi in the PNG.
        var mm = new javafx.scene.control.SpinnerValueFactory.DoubleSpinnerValueFactory(0, 2000, vm.widthMmProperty().get(), 5);
        widthMmSpinner.setValueFactory(mm);
        mm.valueProperty().addListener((o, a, n) -> vm.widthMmProperty().set(n == null ? 0 : n));
        widthMmSpinner.setTooltip(new javafx.scene.control.Tooltip(
                "Width of the saved signature on paper (0: as cleaned); the PNG records the dpi"));
        dpiChoice.getItems().setAll(150, 200, 300, 600);
        dpiChoice.setValue(vm.dpiProperty().get());
        dpiChoice.valueProperty().addListener((o, a, n) -> vm.dpiProperty().set(n == null ? 300 : n));
        bindCropOverlay(vm);
        bindEraser(vm);
        transparentBox.selectedProperty().bindBidirectional(vm.transparentProperty());
        // Any ink colour; black and Inkwell's blue are offered first.
        inkPicker.getCustomColors().setAll(javafx.scene.paint.Color.BLACK, inkColour("blue"));
        inkPicker.setValue(inkColour(vm.inkColourProperty().get()));
        inkPicker.valueProperty().addListener((o, a, c) -> vm.inkColourProperty().set(String.format(Locale.ROOT, "#%02x%02x%02x",
                Math.round(c.getRed() * 255), Math.round(c.getGreen() * 255), Math.round(c.getBlue() * 255))));
        vm.inkColourProperty().addListener((o, a, c) -> {
            if (!inkColour(c).equals(inkPicker.getValue())) {
                inkPicker.setValue(inkColour(c));
            }
        });
        javafx.scene.control.SpinnerValueFactory.IntegerSpinnerValueFactory marks =
                new javafx.scene.control.SpinnerValueFactory.IntegerSpinnerValueFactory(0, 5000, vm.minMarkProperty().get(), 5);
        minMarkSpinner.setValueFactory(marks);
        marks.valueProperty().addListener((o, a, n) -> vm.minMarkProperty().set(n == null ? 0 : n));
        vm.minMarkProperty().addListener((o, a, n) -> marks.setValue(n.intValue()));
        // A typed number applies as it is typed, not only on Enter.
        minMarkSpinner.getEditor().textProperty().addListener((o, a, text) -> {
            if (text.matches("\\d{1,4}")) {
                marks.setValue(Integer.parseInt(text));
            }
        });
        noiseTypeChoice.getItems().setAll(CompareViewModel.NOISE_TYPES);
        noiseTypeChoice.valueProperty().bindBidirectional(vm.noiseTypeProperty());
        inputLabel.textProperty().bind(vm.inputNameProperty());
        metricsLabel.textProperty().bind(vm.metricsProperty());
        uncertaintyLabel.textProperty().bind(vm.uncertaintyProperty());
        vm.uncertainProperty().addListener((o, a, flagged) ->
                uncertaintyLabel.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("warning"), flagged));
        statusLabel.textProperty().bind(vm.statusProperty());
        // Drag the result out of the window: a PNG file (for folders and most programs) and the image itself.
        dragHandle.disableProperty().bind(vm.exportedProperty().isNull());
        dragHandle.setOnMouseEntered(e -> vm.prepareDragFile());
        dragHandle.setOnDragDetected(e -> {
            try {
                Path file = vm.dragFile();
                if (file == null) {
                    return;
                }
                javafx.scene.input.Dragboard db = dragHandle.startDragAndDrop(javafx.scene.input.TransferMode.COPY);
                javafx.scene.input.ClipboardContent content = new javafx.scene.input.ClipboardContent();
                content.putFiles(java.util.List.of(file.toFile()));
                content.putImage(javafx.embed.swing.SwingFXUtils.toFXImage(vm.exportedProperty().get(), null));
                db.setContent(content);
                e.consume();
            } catch (java.io.IOException ex) {
                vm.tell("Cannot drag the result: " + ex.getMessage());
            }
        });
        batchProgress.progressProperty().bind(vm.batchProgressProperty());
        batchProgress.visibleProperty().bind(vm.batchRunningProperty());
        batchProgress.managedProperty().bind(vm.batchRunningProperty());
        batchStop.visibleProperty().bind(vm.batchRunningProperty());
        batchStop.managedProperty().bind(vm.batchRunningProperty());
        batchButton.disableProperty().bind(vm.batchRunningProperty());
        batchStatus.textProperty().bind(vm.batchStatusProperty());
        batchStatus.setTooltip(new javafx.scene.control.Tooltip());
        batchStatus.getTooltip().textProperty().bind(vm.batchStatusProperty());
        javafx.beans.binding.BooleanBinding failures = javafx.beans.binding.Bindings.isNotEmpty(vm.batchFailures());
        batchFailuresButton.visibleProperty().bind(failures);
        batchFailuresButton.managedProperty().bind(failures);
        batchFailuresButton.textProperty().bind(javafx.beans.binding.Bindings.size(vm.batchFailures()).asString("Failures (%d)..."));

        vm.inputProperty().addListener((o, a, g) -> showInput());
        vm.scanImageProperty().addListener((o, a, g) -> showInput());
        // A new image starts fitted to the view; the zoom slider takes over from there.
        vm.originalProperty().addListener((o, a, g) -> {
            userZoomed = false;
            javafx.application.Platform.runLater(() -> fit(g)); // after layout
        });
        vm.resultProperty().addListener((o, a, g) -> show(g, null, wipeAfter));
        // The cleaned side shows the export itself: ink colour, crop, and transparency over a checkerboard.
        vm.exportedProperty().addListener((o, a, img) -> showExport(img));
        vm.transparentProperty().addListener((o, a, t) -> outputBacking.setBackground(t ? checkerboard() : null));
        outputBacking.setBackground(vm.transparentProperty().get() ? checkerboard() : null);
        zoomSlider.valueProperty().addListener((o, a, b) -> {
            if (!settingZoom) {
                userZoomed = true;
            }
            applyZoom();
        });
        root.widthProperty().addListener((o, a, b) -> refitUnlessZoomed());
        root.heightProperty().addListener((o, a, b) -> refitUnlessZoomed());
        inputScroll.addEventFilter(javafx.scene.input.ScrollEvent.SCROLL, e -> zoomAtCursor(e, inputScroll));
        outputScroll.addEventFilter(javafx.scene.input.ScrollEvent.SCROLL, e -> zoomAtCursor(e, outputScroll));
        bindBusy(vm);
        // Zoom and pan stay in step between the two sides.
        inputScroll.hvalueProperty().bindBidirectional(outputScroll.hvalueProperty());
        inputScroll.vvalueProperty().bindBidirectional(outputScroll.vvalueProperty());

        // Before/after wipe: the input is drawn over the result, clipped at the slider.
        Rectangle clip = new Rectangle();
        clip.heightProperty().bind(wipeHolder.heightProperty());
        clip.widthProperty().bind(wipeHolder.widthProperty().multiply(wipeSlider.valueProperty()));
        wipeBefore.setClip(clip);
        wipeBefore.fitWidthProperty().bind(wipeHolder.widthProperty());
        wipeBefore.fitHeightProperty().bind(wipeHolder.heightProperty());
        wipeAfter.fitWidthProperty().bind(wipeHolder.widthProperty());
        wipeAfter.fitHeightProperty().bind(wipeHolder.heightProperty());
        wipeDivider.prefHeightProperty().bind(wipeHolder.heightProperty());
        wipeDivider.translateXProperty().bind(wipeHolder.widthProperty().multiply(wipeSlider.valueProperty()).subtract(1));
        wipeHolder.setOnMousePressed(e -> moveWipe(e.getX()));
        wipeHolder.setOnMouseDragged(e -> moveWipe(e.getX()));
        wipeHolder.setCursor(javafx.scene.Cursor.H_RESIZE);

        root.setOnDragOver(this::onDragOver);
        root.setOnDragDropped(this::onDragDropped);
        showInput();
        fit(vm.originalProperty().get());
        show(vm.resultProperty().get(), null, wipeAfter);
        showExport(vm.exportedProperty().get());
    }

    /** The colour InkExport writes for "black", "blue" or "#rrggbb". */
    private static javafx.scene.paint.Color inkColour(String name) {
        int rgb = org.inkwell.model.InkExport.parseColour(name);
        return javafx.scene.paint.Color.rgb((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
    }

    private void showExport(java.awt.image.BufferedImage img) {
        outputView.setImage(img == null ? null : javafx.embed.swing.SwingFXUtils.toFXImage(img, null));
        applyZoom();
    }

    /** Light and mid grey squares of 8 px, as image editors show transparency. */
    private static javafx.scene.layout.Background checkerboard() {
        javafx.scene.image.WritableImage tile = new javafx.scene.image.WritableImage(16, 16);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                tile.getPixelWriter().setArgb(x, y, ((x / 8 + y / 8) % 2 == 0) ? 0xFFFFFFFF : 0xFFD0D0D0);
            }
        }
        return new javafx.scene.layout.Background(new javafx.scene.layout.BackgroundImage(tile,
                javafx.scene.layout.BackgroundRepeat.REPEAT, javafx.scene.layout.BackgroundRepeat.REPEAT,
                javafx.scene.layout.BackgroundPosition.DEFAULT, javafx.scene.layout.BackgroundSize.DEFAULT));
    }

    /**
     * Copies the result exactly as Save writes it to the system clipboard: as an image (with its alpha where the
     * target takes it) and as PNG bytes for applications that read only files of that type.
     */
    public boolean copyResult() {
        java.awt.image.BufferedImage img = viewModel.exportedProperty().get();
        if (img == null) {
            return false;
        }
        javafx.scene.input.ClipboardContent content = new javafx.scene.input.ClipboardContent();
        content.putImage(javafx.embed.swing.SwingFXUtils.toFXImage(img, null));
        try {
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(img, "png", png);
            content.put(PNG, java.nio.ByteBuffer.wrap(png.toByteArray()));
        } catch (java.io.IOException e) {
            // The image alone still goes.
        }
        javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
        viewModel.tell("Copied the result (" + img.getWidth() + " x " + img.getHeight() + ") to the clipboard.");
        return true;
    }

    /** Cleans an image from the clipboard (or the files on it); false when it holds neither. */
    public boolean paste() {
        javafx.scene.input.Clipboard cb = javafx.scene.input.Clipboard.getSystemClipboard();
        if (cb.hasFiles()) {
            viewModel.openFiles(cb.getFiles().stream().map(File::toPath).toList());
            return true;
        }
        if (cb.hasImage() && cb.getImage() != null) {
            viewModel.openImage(javafx.embed.swing.SwingFXUtils.fromFXImage(cb.getImage(), null), "pasted image");
            return true;
        }
        viewModel.tell("The clipboard holds no image to clean.");
        return false;
    }

    private static final javafx.scene.input.DataFormat PNG = javafx.scene.input.DataFormat.lookupMimeType("image/png") != null
            ? javafx.scene.input.DataFormat.lookupMimeType("image/png") : new javafx.scene.input.DataFormat("image/png");

    private void moveWipe(double x) {
        double w = wipeHolder.getWidth();
        if (w > 0) {
            wipeSlider.setValue(Math.max(0, Math.min(1, x / w)));
        }
    }

    /**
     * The result on screen is dimmed the moment it is out of date, and after 200 ms of work a spinner says what
     * is being computed (short updates do not flicker).
     */
    private void bindBusy(CompareViewModel vm) {
        busyOverlay.setVisible(false);
        javafx.animation.PauseTransition delay = new javafx.animation.PauseTransition(javafx.util.Duration.millis(200));
        delay.setOnFinished(e -> busyOverlay.setVisible(vm.workingProperty().get()));
        vm.workingProperty().addListener((o, was, is) -> {
            outputView.setOpacity(is ? 0.35 : 1);
            wipeAfter.setOpacity(is ? 0.35 : 1);
            if (is) {
                delay.playFromStart();
            } else {
                delay.stop();
                busyOverlay.setVisible(false);
            }
        });
        busyLabel.textProperty().bind(vm.busyTextProperty());
        // A large scan is cleaned tile by tile: the spinner shows how far it is.
        javafx.scene.control.ProgressIndicator spinner = (javafx.scene.control.ProgressIndicator) busyOverlay.getChildren().get(0);
        vm.tileProgressProperty().addListener((o, a, b) -> spinner.setProgress(b.doubleValue() < 0 ? -1 : b.doubleValue()));
    }

    private void refitUnlessZoomed() {
        if (!userZoomed) {
            fit(viewModel.originalProperty().get());
        }
    }

    /** Ctrl + wheel zooms about the point under the cursor (plain wheel scrolls, as everywhere). */
    private void zoomAtCursor(javafx.scene.input.ScrollEvent e, ScrollPane pane) {
        if (!e.isControlDown() || e.getDeltaY() == 0) {
            return;
        }
        e.consume();
        ImageView view = pane == inputScroll ? inputView : outputView;
        if (view.getImage() == null) {
            return;
        }
        javafx.geometry.Bounds viewport = pane.getViewportBounds();
        // The image point under the cursor, in image pixels.
        javafx.geometry.Point2D inView = view.sceneToLocal(e.getSceneX(), e.getSceneY());
        double z = zoomSlider.getValue();
        double px = inView.getX() / z;
        double py = inView.getY() / z;
        double cursorX = pane.sceneToLocal(e.getSceneX(), e.getSceneY()).getX();
        double cursorY = pane.sceneToLocal(e.getSceneX(), e.getSceneY()).getY();
        double nz = Math.max(zoomSlider.getMin(), Math.min(zoomSlider.getMax(), z * (e.getDeltaY() > 0 ? 1.15 : 1 / 1.15)));
        zoomSlider.setValue(nz); // marks the view as zoomed by the user
        pane.layout();
        double newW = view.getImage().getWidth() * nz;
        double newH = view.getImage().getHeight() * nz;
        double extraW = newW - viewport.getWidth();
        double extraH = newH - viewport.getHeight();
        if (extraW > 0) {
            pane.setHvalue(Math.max(0, Math.min(1, (px * nz - cursorX) / extraW)));
        }
        if (extraH > 0) {
            pane.setVvalue(Math.max(0, Math.min(1, (py * nz - cursorY) / extraH)));
        }
    }

    /** The user's own scan (colour, as read) while no noise is added; otherwise the noisy grey input. */
    private void showInput() {
        java.awt.image.BufferedImage scan = viewModel.scanImageProperty().get();
        GrayImage g = viewModel.inputProperty().get();
        if (scan != null && viewModel.noiseLevelProperty().get() == 0 && g != null
                && scan.getWidth() == g.width() && scan.getHeight() == g.height()) {
            Image img = javafx.embed.swing.SwingFXUtils.toFXImage(scan, null);
            inputView.setImage(img);
            wipeBefore.setImage(img);
            applyZoom();
            return;
        }
        show(g, inputView, wipeBefore);
    }

    private void show(GrayImage g, ImageView side, ImageView wipe) {
        Image img = FxImages.toImage(g);
        if (side != null) {
            side.setImage(img);
        }
        wipe.setImage(img);
        applyZoom();
    }

    private void fit(GrayImage g) {
        if (g == null) {
            return;
        }
        // Half the pane's width (two sides) rather than the scroll viewport, which grows with its content.
        double w = (root.getWidth() - 30) / 2;
        double h = inputScroll.getHeight() - 16;
        if (w <= 0 || h <= 0) {
            w = 600;
            h = 450;
        }
        double z = Math.min((w - 4) / g.width(), (h - 4) / g.height());
        settingZoom = true;
        zoomSlider.setValue(Math.max(zoomSlider.getMin(), Math.min(zoomSlider.getMax(), z)));
        settingZoom = false;
    }

    private void applyZoom() {
        double z = zoomSlider.getValue();
        for (ImageView v : new ImageView[]{inputView, outputView}) {
            if (v.getImage() != null) {
                double vz = z;
                if (v == outputView && viewModel != null && viewModel.cropToInkProperty().get()) {
                    // A cropped signature is shown as large as its side allows (up to 4x), not at the page's zoom.
                    javafx.geometry.Bounds port = outputScroll.getViewportBounds();
                    double fit = Math.min((port.getWidth() - 4) / v.getImage().getWidth(), (port.getHeight() - 4) / v.getImage().getHeight());
                    vz = port.getWidth() > 0 && fit > 0 ? Math.min(4, fit) : z;
                }
                v.setFitWidth(v.getImage().getWidth() * vz);
                v.setFitHeight(v.getImage().getHeight() * vz);
            }
        }
        placeCropOverlay();
    }

    /** The crop box drawn on the input, where the user moves and resizes it. */
    private void bindCropOverlay(CompareViewModel vm) {
        vm.cropRegionProperty().addListener((o, a, b) -> placeCropOverlay());
        vm.cropToInkProperty().addListener((o, a, b) -> applyZoom());
        cropOverlay.setOnMouseMoved(e -> cropOverlay.setCursor(cursorFor(edgesAt(e.getX(), e.getY()))));
        cropOverlay.setOnMousePressed(e -> {
            dragStart = vm.cropRegionProperty().get();
            dragMode = edgesAt(e.getX(), e.getY());
            dragX = e.getSceneX();
            dragY = e.getSceneY();
            e.consume(); // not a pan of the scroll pane
        });
        cropOverlay.setOnMouseDragged(e -> {
            if (dragStart == null) {
                return;
            }
            java.awt.Rectangle r = dragged(e.getSceneX(), e.getSceneY());
            double z = zoomSlider.getValue();
            cropOverlay.setX(r.x * z);
            cropOverlay.setY(r.y * z);
            cropOverlay.setWidth(r.width * z);
            cropOverlay.setHeight(r.height * z);
            e.consume();
        });
        cropOverlay.setOnMouseReleased(e -> {
            if (dragStart != null) {
                viewModel.setCropRegion(dragged(e.getSceneX(), e.getSceneY()));
                dragStart = null;
                placeCropOverlay();
            }
            e.consume();
        });
    }

    private java.awt.Rectangle dragged(double sceneX, double sceneY) {
        double z = zoomSlider.getValue();
        int dx = (int) Math.round((sceneX - dragX) / z);
        int dy = (int) Math.round((sceneY - dragY) / z);
        int x0 = dragStart.x;
        int y0 = dragStart.y;
        int x1 = dragStart.x + dragStart.width;
        int y1 = dragStart.y + dragStart.height;
        if (dragMode.isEmpty()) {
            return new java.awt.Rectangle(x0 + dx, y0 + dy, dragStart.width, dragStart.height);
        }
        if (dragMode.contains("w")) {
            x0 = Math.min(x1 - 2, x0 + dx);
        }
        if (dragMode.contains("e")) {
            x1 = Math.max(x0 + 2, x1 + dx);
        }
        if (dragMode.contains("n")) {
            y0 = Math.min(y1 - 2, y0 + dy);
        }
        if (dragMode.contains("s")) {
            y1 = Math.max(y0 + 2, y1 + dy);
        }
        return new java.awt.Rectangle(x0, y0, x1 - x0, y1 - y0);
    }

    /** Which edges of the crop box a point on it holds (within 8 px on screen); empty in the middle: a move. */
    private String edgesAt(double x, double y) {
        double grip = 8;
        String v = y - cropOverlay.getY() < grip ? "n" : cropOverlay.getY() + cropOverlay.getHeight() - y < grip ? "s" : "";
        String h = x - cropOverlay.getX() < grip ? "w" : cropOverlay.getX() + cropOverlay.getWidth() - x < grip ? "e" : "";
        return v + h;
    }

    private static javafx.scene.Cursor cursorFor(String edges) {
        return switch (edges) {
            case "n", "s" -> javafx.scene.Cursor.V_RESIZE;
            case "e", "w" -> javafx.scene.Cursor.H_RESIZE;
            case "nw", "se" -> javafx.scene.Cursor.NW_RESIZE;
            case "ne", "sw" -> javafx.scene.Cursor.NE_RESIZE;
            default -> javafx.scene.Cursor.MOVE;
        };
    }

    private void placeCropOverlay() {
        if (viewModel == null || cropOverlay == null) {
            return;
        }
        java.awt.Rectangle r = viewModel.cropRegionProperty().get();
        GrayImage in = viewModel.inputProperty().get();
        boolean show = viewModel.cropToInkProperty().get() && r != null && in != null && inputView.getImage() != null
                && inputView.getImage().getWidth() == in.width();
        cropOverlay.setVisible(show);
        if (show) {
            double z = zoomSlider.getValue();
            cropOverlay.setX(r.x * z);
            cropOverlay.setY(r.y * z);
            cropOverlay.setWidth(r.width * z);
            cropOverlay.setHeight(r.height * z);
        }
    }

    /** The eraser: drag on the result to paint paper over what the model kept; Edit > Undo takes a stroke back. */
    private void bindEraser(CompareViewModel vm) {
        eraserButton.setTooltip(new javafx.scene.control.Tooltip("Drag on the result to erase; Ctrl+Z undoes a stroke"));
        eraserButton.selectedProperty().addListener((o, a, on) -> {
            outputScroll.setPannable(!on);
            outputView.setCursor(on ? javafx.scene.Cursor.CROSSHAIR : null);
        });
        outputView.setOnMousePressed(e -> {
            if (eraserButton.isSelected()) {
                erase(e, true);
            }
        });
        outputView.setOnMouseDragged(e -> {
            if (eraserButton.isSelected()) {
                erase(e, false);
            }
        });
        outputView.setOnMouseReleased(e -> {
            if (eraserButton.isSelected()) {
                vm.endStroke();
                e.consume();
            }
        });
    }

    private void erase(javafx.scene.input.MouseEvent e, boolean newStroke) {
        double z = outputView.getImage() == null ? zoomSlider.getValue() : outputView.getFitWidth() / outputView.getImage().getWidth();
        // Ten screen pixels across at any zoom, at least a pixel of the image.
        viewModel.eraseAt(e.getX() / z, e.getY() / z, Math.max(1, 5 / z), newStroke);
        e.consume();
    }

    /** Accepts files dragged from the desktop; the main window forwards drops from the other panes here. */
    public void onDragOver(DragEvent e) {
        if (e.getDragboard().hasFiles()) {
            e.acceptTransferModes(TransferMode.COPY);
        }
        e.consume();
    }

    public void onDragDropped(DragEvent e) {
        boolean ok = e.getDragboard().hasFiles();
        if (ok) {
            viewModel.openFiles(e.getDragboard().getFiles().stream().map(File::toPath).toList());
        }
        e.setDropCompleted(ok);
        e.consume();
    }

    /** Fits the image to the view again (the Fit button, View > Fit to window); the zoom slider takes over after. */
    @FXML
    public void onFit() {
        userZoomed = false;
        fit(viewModel.originalProperty().get());
    }

    @FXML
    private void onOpen() {
        java.util.List<Path> files = dialogs.openFiles("Open a scan", DialogService.FileKind.IMAGES, viewModel.lastFolder("images"));
        if (!files.isEmpty()) {
            viewModel.openFiles(files);
        }
    }

    /** The signature library strip: thumbnails of the kept signatures, keep, export, delete. */
    public void bindLibrary(LibraryViewModel vm) {
        this.library = vm;
        libraryList.setItems(vm.entries());
        libraryList.setCellFactory(list -> new javafx.scene.control.ListCell<>() {
            private final ImageView view = new ImageView();

            @Override
            protected void updateItem(LibraryViewModel.Kept item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setGraphic(null);
                    setText(null);
                    return;
                }
                view.setImage(javafx.embed.swing.SwingFXUtils.toFXImage(item.image(), null));
                view.setPreserveRatio(true);
                view.setFitHeight(56);
                view.setFitWidth(140);
                setGraphic(view);
                setText(item.name());
                setContentDisplay(javafx.scene.control.ContentDisplay.TOP);
            }
        });
        libraryExportButton.disableProperty().bind(libraryList.getSelectionModel().selectedItemProperty().isNull());
        libraryDeleteButton.disableProperty().bind(libraryList.getSelectionModel().selectedItemProperty().isNull());
        libraryStatus.textProperty().bind(vm.statusProperty());
        vm.refresh();
    }

    /** Keeps the result under the name typed beside the button (the input's name when none is typed). */
    @FXML
    private void onKeep() {
        String typed = keepName.getText() == null ? "" : keepName.getText().trim();
        String name = typed.isEmpty() ? viewModel.suggestedFileName().replace("-cleaned.png", "") : typed;
        boolean replace = library.has(name);
        if (replace && !dialogs.confirm("Replace '" + name.trim() + "'?", "A signature of that name is already kept.")) {
            return;
        }
        libraryPane.setExpanded(true);
        library.keep(name, replace);
        keepName.clear();
    }

    @FXML
    private void onLibraryExport() {
        LibraryViewModel.Kept kept = libraryList.getSelectionModel().getSelectedItem();
        if (kept != null) {
            dialogs.saveFile("Export signature as PNG", DialogService.FileKind.PNG, viewModel.saveFolder(), kept.name() + ".png")
                    .ifPresent(target -> library.export(kept, target));
        }
    }

    @FXML
    private void onLibraryDelete() {
        LibraryViewModel.Kept kept = libraryList.getSelectionModel().getSelectedItem();
        if (kept != null && dialogs.confirm("Delete '" + kept.name() + "'?", "It is removed from the library folder.")) {
            library.delete(kept);
        }
    }

    @FXML
    public void onSave() {
        dialogs.saveFile(viewModel.transparentProperty().get() ? "Save as transparent PNG, or SVG or PDF (vector)"
                        : "Save cleaned image as PNG, or SVG or PDF (vector)",
                DialogService.FileKind.EXPORT, viewModel.saveFolder(), viewModel.suggestedFileName()).ifPresent(viewModel::save);
    }

    @FXML
    private void onBatchStop() {
        viewModel.cancelBatch();
    }

    @FXML
    private void onBatchFailures() {
        dialogs.showText("Files Clean a folder could not clean", String.join("\n", viewModel.batchFailures()));
    }

    @FXML
    private void onBatch() {
        dialogs.chooseFolder("Folder of scans to clean", viewModel.lastFolder("images")).ifPresent(in ->
                dialogs.chooseFolder("Folder for the cleaned images", in).ifPresent(out -> viewModel.batchClean(in, out)));
    }
}
