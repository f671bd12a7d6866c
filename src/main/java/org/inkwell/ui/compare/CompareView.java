package org.inkwell.ui.compare;

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
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.inkwell.data.GrayImage;
import org.inkwell.ui.FxImages;

import java.io.File;
import java.nio.file.Path;
import java.util.Locale;

/** Binds the Compare pane to {@link CompareViewModel}: synced zoom and pan, a wipe view, drag and drop. */
public final class CompareView {
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
    private Label statusLabel;
    @FXML
    private ProgressBar batchProgress;
    @FXML
    private CheckBox transparentBox;
    @FXML
    private Label dropHint;

    private CompareViewModel viewModel;
    private boolean fitting = true;
    private boolean settingZoom;

    public void bind(CompareViewModel vm) {
        this.viewModel = vm;
        noiseSlider.valueProperty().bindBidirectional(vm.noiseLevelProperty());
        noiseLabel.textProperty().bind(vm.noiseLevelProperty().multiply(100).asString(Locale.ROOT, "%.0f%%"));
        thresholdSlider.valueProperty().bindBidirectional(vm.thresholdProperty());
        thresholdLabel.textProperty().bind(vm.thresholdProperty().asString(Locale.ROOT, "%.2f"));
        cropBox.selectedProperty().bindBidirectional(vm.cropToInkProperty());
        transparentBox.selectedProperty().bindBidirectional(vm.transparentProperty());
        inputLabel.textProperty().bind(vm.inputNameProperty());
        metricsLabel.textProperty().bind(vm.metricsProperty());
        statusLabel.textProperty().bind(vm.statusProperty());
        batchProgress.progressProperty().bind(vm.batchProgressProperty());
        batchProgress.visibleProperty().bind(vm.batchProgressProperty().greaterThanOrEqualTo(0));

        vm.inputProperty().addListener((o, a, g) -> show(g, inputView, wipeBefore));
        // A new image starts fitted to the view; the zoom slider takes over from there.
        vm.originalProperty().addListener((o, a, g) -> javafx.application.Platform.runLater(() -> fit(g))); // after layout
        vm.resultProperty().addListener((o, a, g) -> show(g, outputView, wipeAfter));
        zoomSlider.valueProperty().addListener((o, a, b) -> applyZoom());
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

        root.setOnDragOver(this::onDragOver);
        root.setOnDragDropped(this::onDragDropped);
        show(vm.inputProperty().get(), inputView, wipeBefore);
        fit(vm.originalProperty().get());
        show(vm.resultProperty().get(), outputView, wipeAfter);
    }

    private void show(GrayImage g, ImageView side, ImageView wipe) {
        Image img = FxImages.toImage(g);
        side.setImage(img);
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
                v.setFitWidth(v.getImage().getWidth() * z);
                v.setFitHeight(v.getImage().getHeight() * z);
            }
        }
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

    @FXML
    private void onOpen() {
        FileChooser chooser = imageChooser("Open a scan");
        java.util.List<File> fs = chooser.showOpenMultipleDialog(root.getScene().getWindow());
        if (fs != null && !fs.isEmpty()) {
            viewModel.openFiles(fs.stream().map(File::toPath).toList());
        }
    }

    @FXML
    public void onSave() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(viewModel.transparentProperty().get() ? "Save as transparent PNG" : "Save cleaned image as PNG");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
        chooser.setInitialFileName(viewModel.suggestedFileName());
        Path last = viewModel.lastFolder("export");
        if (last != null) {
            chooser.setInitialDirectory(last.toFile());
        }
        File f = chooser.showSaveDialog(root.getScene().getWindow());
        if (f != null) {
            Path p = f.toPath();
            if (!p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
                p = p.resolveSibling(p.getFileName() + ".png");
            }
            viewModel.save(p);
        }
    }

    @FXML
    private void onBatch() {
        DirectoryChooser in = new DirectoryChooser();
        in.setTitle("Folder of scans to clean");
        File inDir = in.showDialog(root.getScene().getWindow());
        if (inDir == null) {
            return;
        }
        DirectoryChooser out = new DirectoryChooser();
        out.setTitle("Folder for the cleaned images");
        File outDir = out.showDialog(root.getScene().getWindow());
        if (outDir != null) {
            viewModel.batchClean(inDir.toPath(), outDir.toPath());
        }
    }

    private FileChooser imageChooser(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Images", "*.png", "*.jpg", "*.jpeg", "*.bmp",
                "*.gif", "*.tif", "*.tiff"));
        Path last = viewModel.lastFolder("images");
        if (last != null) {
            chooser.setInitialDirectory(last.toFile());
        }
        return chooser;
    }
}
