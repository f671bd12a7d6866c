package org.inkwell.ui.samples;

import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;
import org.inkwell.data.TrainingPair;
import org.inkwell.ui.util.FxImages;

import java.util.Locale;

/** Binds the Samples pane to {@link SamplesViewModel}. */
public final class SamplesView {
    /** Images are at least this wide; the cards grow so that whole columns fill the pane. */
    private static final double MIN_SIDE = 170;
    private double side = 200;

    @FXML
    private ChoiceBox<String> noiseType;
    @FXML
    private ChoiceBox<String> shapeChoice;
    @FXML
    private javafx.scene.control.ScrollPane tilesScroll;
    @FXML
    private Slider noiseSlider;
    @FXML
    private Label noiseLabel;
    @FXML
    private CheckBox augmentBox;
    @FXML
    private Spinner<Integer> seedSpinner;
    @FXML
    private TilePane tiles;
    @FXML
    private Label statusLabel;

    private SamplesViewModel viewModel;

    public void bind(SamplesViewModel vm) {
        this.viewModel = vm;
        noiseType.getItems().setAll(SamplesViewModel.NOISE_TYPES);
        noiseType.valueProperty().bindBidirectional(vm.noiseTypeProperty());
        shapeChoice.getItems().setAll(SamplesViewModel.SHAPES);
        shapeChoice.valueProperty().bindBidirectional(vm.shapeProperty());
        // As many pairs per row as the window holds.
        tilesScroll.viewportBoundsProperty().addListener((o, a, b) -> {
            tiles.setPrefWidth(b.getWidth());
            fitColumns(b.getWidth());
        });
        noiseSlider.setMin(0);
        noiseSlider.setMax(0.5);
        noiseSlider.valueProperty().bindBidirectional(vm.noiseLevelProperty());
        noiseLabel.textProperty().bind(vm.noiseLevelProperty().multiply(100).asString(Locale.ROOT, "%.0f%%"));
        augmentBox.selectedProperty().bindBidirectional(vm.augmentProperty());
        seedSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, Integer.MAX_VALUE, vm.seedProperty().get()));
        seedSpinner.valueProperty().addListener((o, a, b) -> vm.seedProperty().set(b));
        statusLabel.textProperty().bind(vm.statusProperty());
        vm.pairs().addListener((ListChangeListener<TrainingPair>) c -> render());
        render();
    }

    /** As many pairs per row as fit at the smallest size, then each image scaled up to use the whole width. */
    private void fitColumns(double width) {
        double card = 2 * MIN_SIDE + 6 + 2 * 8 + 2; // two images, their gap, padding and border
        double usable = width - 20; // the grid's own padding
        int columns = Math.max(1, (int) ((usable + tiles.getHgap()) / (card + tiles.getHgap())));
        double perCard = (usable - (columns - 1) * tiles.getHgap()) / columns;
        double newSide = Math.floor((perCard - 6 - 16 - 2) / 2);
        if (Math.abs(newSide - side) >= 1) {
            side = Math.max(MIN_SIDE, newSide);
            tiles.getChildren().forEach(n -> n.lookupAll(".image-view").forEach(v -> {
                ((ImageView) v).setFitWidth(side);
                ((ImageView) v).setFitHeight(side);
            }));
        }
    }

    private void render() {
        tiles.getChildren().clear();
        for (TrainingPair p : viewModel.pairs()) {
            VBox card = new VBox(4, new HBox(6, image(p.noisy(), "noisy input"), image(p.clean(), "clean target")));
            card.getStyleClass().add("pair-card");
            card.setAlignment(Pos.CENTER);
            tiles.getChildren().add(card);
        }
    }

    private VBox image(org.inkwell.data.GrayImage g, String caption) {
        ImageView v = new ImageView(FxImages.toImage(g));
        v.setFitWidth(side);
        v.setFitHeight(side);
        v.setPreserveRatio(true);
        v.setSmooth(false);
        Label l = new Label(caption);
        l.getStyleClass().add("muted");
        VBox box = new VBox(2, v, l);
        box.setAlignment(Pos.CENTER);
        box.getStyleClass().add("sample-image");
        return box;
    }

    @FXML
    private void onNewBatch() {
        viewModel.newBatch();
    }
}
