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
import org.inkwell.ui.FxImages;

import java.util.Locale;

/** Binds the Samples pane to {@link SamplesViewModel}. */
public final class SamplesView {
    private static final double SIDE = 200;

    @FXML
    private ChoiceBox<String> noiseType;
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
        v.setFitWidth(SIDE);
        v.setFitHeight(SIDE);
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
