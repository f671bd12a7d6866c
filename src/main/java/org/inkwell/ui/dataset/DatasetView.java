package org.inkwell.ui.dataset;

import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;
import javafx.stage.DirectoryChooser;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;
import org.inkwell.ui.FxImages;

import java.io.File;

/** Binds the Dataset pane's controls to {@link DatasetViewModel}; no logic of its own. */
public final class DatasetView {
    @FXML
    private Spinner<Integer> seedSpinner;
    @FXML
    private Spinner<Integer> countSpinner;
    @FXML
    private Label sourceLabel;
    @FXML
    private StackPane gridHolder;
    @FXML
    private ImageView largeImage;
    @FXML
    private StackPane largeHolder;
    @FXML
    private Label infoLabel;
    @FXML
    private Label summaryLabel;
    @FXML
    private ProgressBar statsProgress;
    @FXML
    private ListView<String> failuresList;

    private DatasetViewModel viewModel;
    private GridView<Integer> grid;

    public void bind(DatasetViewModel vm) {
        this.viewModel = vm;
        seedSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, Integer.MAX_VALUE, vm.generatorSeedProperty().get()));
        countSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 100_000, vm.generatorCountProperty().get(), 100));
        seedSpinner.valueProperty().addListener((o, a, b) -> vm.generatorSeedProperty().set(b));
        countSpinner.valueProperty().addListener((o, a, b) -> vm.generatorCountProperty().set(b));
        sourceLabel.textProperty().bind(vm.sourceDescriptionProperty());
        infoLabel.textProperty().bind(vm.selectedInfoProperty());
        summaryLabel.textProperty().bind(vm.summaryProperty());
        statsProgress.progressProperty().bind(vm.statsProgressProperty());
        statsProgress.visibleProperty().bind(vm.statsProgressProperty().lessThan(1));
        failuresList.setItems(vm.failures());
        failuresList.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(vm.failures()));
        failuresList.managedProperty().bind(failuresList.visibleProperty());
        vm.selectedImageProperty().addListener((o, a, img) -> largeImage.setImage(FxImages.toImage(img)));
        largeImage.fitWidthProperty().bind(largeHolder.widthProperty().subtract(16));
        largeImage.fitHeightProperty().bind(largeHolder.heightProperty().subtract(16));

        grid = new GridView<>(vm.items());
        grid.setId("thumbnailGrid");
        grid.setCellWidth(DatasetViewModel.THUMB_W);
        grid.setCellHeight(DatasetViewModel.THUMB_H + 18);
        grid.setHorizontalCellSpacing(6);
        grid.setVerticalCellSpacing(6);
        grid.setCellFactory(g -> new ThumbnailCell());
        gridHolder.getChildren().add(grid);
    }

    @FXML
    private void onUseGenerator() {
        seedSpinner.increment(0);
        countSpinner.increment(0);
        viewModel.useGenerator();
    }

    @FXML
    private void onOpenFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open a folder of signatures");
        java.nio.file.Path last = viewModel.lastFolder();
        if (last != null) {
            chooser.setInitialDirectory(last.toFile());
        }
        File dir = chooser.showDialog(gridHolder.getScene().getWindow());
        if (dir != null) {
            viewModel.openFolder(dir.toPath());
        }
    }

    /** One thumbnail: loads lazily and ignores answers for an index it no longer shows. */
    private final class ThumbnailCell extends GridCell<Integer> {
        private final ImageView view = new ImageView();
        private final Label caption = new Label();
        private final javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(2, view, caption);

        ThumbnailCell() {
            getStyleClass().add("thumbnail-cell");
            caption.getStyleClass().add("thumbnail-caption");
            view.setFitWidth(DatasetViewModel.THUMB_W - 4);
            view.setFitHeight(DatasetViewModel.THUMB_H - 4);
            view.setPreserveRatio(true);
            box.setAlignment(javafx.geometry.Pos.CENTER);
            setOnMouseClicked(e -> {
                if (getItem() != null) {
                    viewModel.selectedIndexProperty().set(getItem());
                }
            });
        }

        @Override
        protected void updateItem(Integer index, boolean empty) {
            super.updateItem(index, empty);
            if (empty || index == null) {
                setGraphic(null);
                return;
            }
            view.setImage(null);
            caption.setText(shortName(viewModel.source().name(index)));
            setGraphic(box);
            viewModel.requestThumbnail(index, img -> {
                if (index.equals(getItem())) {
                    view.setImage(img == null ? null : FxImages.toImage(img));
                    if (img == null) {
                        caption.setText("unreadable");
                    }
                }
            });
        }
    }

    static String shortName(String name) {
        String n = name.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1);
        return n.length() > 24 ? n.substring(0, 11) + "..." + n.substring(n.length() - 10) : n;
    }
}
