package org.inkwell.ui.dataset;

import org.inkwell.ui.service.DialogService;
import org.inkwell.ui.service.FxDialogService;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;
import org.inkwell.ui.util.FxImages;


/** Binds the Dataset pane's controls to {@link DatasetViewModel}; no logic of its own. */
public final class DatasetView {
    private FxDialogService dialogs;
    @FXML
    private javafx.scene.layout.HBox warningBar;
    @FXML
    private javafx.scene.control.Label warningLabel;
    @FXML
    private javafx.scene.control.Button cleanButton;
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
    @FXML
    private javafx.scene.control.TabPane viewTabs;
    @FXML
    private javafx.scene.control.Tab mapTab;
    @FXML
    private ProgressBar mapProgress;
    @FXML
    private Label mapStatus;
    @FXML
    private javafx.scene.chart.ScatterChart<Number, Number> mapChart;
    @FXML
    private Label similarStatus;
    @FXML
    private javafx.scene.layout.FlowPane similarStrip;

    private DatasetViewModel viewModel;
    private GridView<Integer> grid;

    public void bind(DatasetViewModel vm, FxDialogService dialogs) {
        this.dialogs = dialogs;
        this.viewModel = vm;
        javafx.beans.binding.BooleanBinding warned = vm.dataWarningProperty().isNotEmpty();
        warningBar.visibleProperty().bind(warned);
        warningBar.managedProperty().bind(warned);
        warningLabel.textProperty().bind(vm.dataWarningProperty());
        cleanButton.disableProperty().bind(vm.cleaningProperty());
        seedSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, Integer.MAX_VALUE, vm.generatorSeedProperty().get()));
        countSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 100_000, vm.generatorCountProperty().get(), 100));
        seedSpinner.valueProperty().addListener((o, a, b) -> vm.generatorSeedProperty().set(b));
        countSpinner.valueProperty().addListener((o, a, b) -> vm.generatorCountProperty().set(b));
        sourceLabel.textProperty().bind(vm.sourceDescriptionProperty());
        infoLabel.textProperty().bind(vm.selectedInfoProperty());
        summaryLabel.textProperty().bind(vm.statistics().summaryProperty());
        statsProgress.progressProperty().bind(vm.statistics().progressProperty());
        statsProgress.visibleProperty().bind(vm.statistics().progressProperty().lessThan(1));
        failuresList.setItems(vm.statistics().failures());
        // Whole lines, wrapped to the list's width (a path and its reason are long), each with its tooltip.
        failuresList.setCellFactory(list -> new javafx.scene.control.ListCell<>() {
            {
                setWrapText(true);
                prefWidthProperty().bind(list.widthProperty().subtract(24));
            }

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null ? null : new javafx.scene.control.Tooltip(item));
            }
        });
        failuresList.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(vm.statistics().failures()));
        failuresList.managedProperty().bind(failuresList.visibleProperty());
        vm.selectedImageProperty().addListener((o, a, img) -> largeImage.setImage(FxImages.toImage(img)));
        largeImage.fitWidthProperty().bind(largeHolder.widthProperty().subtract(16));
        largeImage.fitHeightProperty().bind(largeHolder.heightProperty().subtract(16));

        mapTab.selectedProperty().addListener((o, a, selected) -> {
            if (selected) {
                vm.map().request();
            }
        });
        mapProgress.progressProperty().bind(vm.map().progressProperty());
        mapProgress.visibleProperty().bind(vm.map().progressProperty().greaterThanOrEqualTo(0).and(vm.map().progressProperty().lessThan(1)));
        mapStatus.textProperty().bind(vm.map().statusProperty());
        similarStatus.textProperty().bind(vm.map().similarStatusProperty());
        vm.map().points().addListener((javafx.collections.ListChangeListener<SignatureMap.Point>) c -> drawMap());
        vm.map().similar().addListener((javafx.collections.ListChangeListener<org.inkwell.model.Embeddings.Neighbour>) c -> drawSimilar());

        grid = new GridView<>(vm.items());
        grid.setId("thumbnailGrid");
        grid.setCellWidth(Thumbnails.WIDTH);
        grid.setCellHeight(Thumbnails.HEIGHT + 18);
        grid.setHorizontalCellSpacing(6);
        grid.setVerticalCellSpacing(6);
        grid.setCellFactory(g -> new ThumbnailCell());
        grid.setFocusTraversable(true);
        grid.setOnKeyPressed(e -> {
            int columns = Math.max(1, (int) ((grid.getWidth() - 16) / (grid.getCellWidth() + grid.getHorizontalCellSpacing() * 2)));
            switch (e.getCode()) {
                case LEFT -> vm.moveSelection(-1);
                case RIGHT -> vm.moveSelection(1);
                case UP -> vm.moveSelection(-columns);
                case DOWN -> vm.moveSelection(columns);
                default -> {
                    return;
                }
            }
            e.consume();
        });
        gridHolder.getChildren().add(grid);
        vm.selectedIndexProperty().addListener((o, a, b) -> markSelectedOnMap());
    }

    private final java.util.Map<Integer, javafx.scene.Node> mapNodes = new java.util.HashMap<>();
    private static final javafx.css.PseudoClass SELECTED = javafx.css.PseudoClass.getPseudoClass("selected");

    private void markSelectedOnMap() {
        mapNodes.forEach((index, node) -> {
            boolean on = index == viewModel.selectedIndexProperty().get();
            node.pseudoClassStateChanged(SELECTED, on);
            if (on) {
                node.toFront();
            }
        });
    }

    private void drawMap() {
        javafx.scene.chart.XYChart.Series<Number, Number> series = new javafx.scene.chart.XYChart.Series<>();
        for (SignatureMap.Point p : viewModel.map().points()) {
            series.getData().add(new javafx.scene.chart.XYChart.Data<>(p.x(), p.y()));
        }
        mapChart.getData().setAll(java.util.List.of(series));
        mapNodes.clear();
        for (int k = 0; k < series.getData().size(); k++) {
            int index = viewModel.map().points().get(k).index();
            javafx.scene.Node node = series.getData().get(k).getNode();
            mapNodes.put(index, node);
            node.getStyleClass().add("map-point");
            node.setOnMouseClicked(e -> viewModel.selectedIndexProperty().set(index));
            javafx.scene.control.Tooltip tip = new javafx.scene.control.Tooltip(viewModel.source().name(index));
            tip.setOnShowing(e -> viewModel.requestThumbnail(index,
                    img -> tip.setGraphic(img == null ? null : new ImageView(FxImages.toImage(img)))));
            javafx.scene.control.Tooltip.install(node, tip);
        }
        markSelectedOnMap();
    }

    private void drawSimilar() {
        similarStrip.getChildren().clear();
        for (org.inkwell.model.Embeddings.Neighbour n : viewModel.map().similar()) {
            ImageView v = new ImageView();
            v.setFitWidth(84);
            v.setFitHeight(42);
            v.setPreserveRatio(true);
            Label d = new Label(String.format(java.util.Locale.ROOT, "%.3f", n.distance()));
            d.getStyleClass().add("thumbnail-caption");
            javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(1, v, d);
            box.setAlignment(javafx.geometry.Pos.CENTER);
            box.getStyleClass().add("thumbnail-cell");
            box.setOnMouseClicked(e -> viewModel.selectedIndexProperty().set(n.index()));
            similarStrip.getChildren().add(box);
            viewModel.requestThumbnail(n.index(), img -> v.setImage(img == null ? null : FxImages.toImage(img)));
        }
    }

    @FXML
    private void onUseGenerator() {
        seedSpinner.increment(0);
        countSpinner.increment(0);
        viewModel.useGenerator();
    }

    @FXML
    private void onOpenFolder() {
        dialogs.chooseFolder("Open a folder of signatures", viewModel.lastFolder()).ifPresent(viewModel::openFolder);
    }

    @FXML
    private void onCleanScans() {
        dialogs.chooseFolder("Folder for the cleaned signatures (not inside the scans' folder)", viewModel.lastFolder())
                .ifPresent(viewModel::cleanInto);
    }

    /** One thumbnail: loads lazily and ignores answers for an index it no longer shows. */
    private final class ThumbnailCell extends GridCell<Integer> {
        private final ImageView view = new ImageView();
        private final Label caption = new Label();
        private final javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(2, view, caption);

        /** Highlights the cell that shows the selected signature, whichever item it holds now. */
        private final javafx.beans.value.ChangeListener<Number> selection = (o, a, b) -> updateSelected();

        ThumbnailCell() {
            getStyleClass().add("thumbnail-cell");
            viewModel.selectedIndexProperty().addListener(new javafx.beans.value.WeakChangeListener<>(selection));
            caption.getStyleClass().add("thumbnail-caption");
            view.setFitWidth(Thumbnails.WIDTH - 4);
            view.setFitHeight(Thumbnails.HEIGHT - 4);
            view.setPreserveRatio(true);
            box.setAlignment(javafx.geometry.Pos.CENTER);
            setOnMouseClicked(e -> {
                if (getItem() != null) {
                    viewModel.selectedIndexProperty().set(getItem());
                    grid.requestFocus(); // arrow keys move on from here
                }
            });
        }

        private void updateSelected() {
            pseudoClassStateChanged(SELECTED, getItem() != null && getItem() == viewModel.selectedIndexProperty().get());
        }

        @Override
        protected void updateItem(Integer index, boolean empty) {
            super.updateItem(index, empty);
            updateSelected();
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
