package org.inkwell.ui.training;

import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.stage.FileChooser;
import javafx.util.converter.DoubleStringConverter;
import org.inkwell.ui.FxImages;

import java.io.File;
import java.util.Locale;

/** Binds the Training pane to {@link TrainingViewModel}. */
public final class TrainingView {
    @FXML
    private ChoiceBox<String> archChoice;
    @FXML
    private ChoiceBox<String> optimizerChoice;
    @FXML
    private TextField lrField;
    @FXML
    private Spinner<Integer> batchSpinner;
    @FXML
    private Spinner<Integer> stepsSpinner;
    @FXML
    private Spinner<Integer> epochsSpinner;
    @FXML
    private Spinner<Integer> patchSpinner;
    @FXML
    private TextField noiseField;
    @FXML
    private Label archHelp;
    @FXML
    private Label optimizerHelp;
    @FXML
    private Label lrHelp;
    @FXML
    private Label batchHelp;
    @FXML
    private Label stepsHelp;
    @FXML
    private Label epochsHelp;
    @FXML
    private Label patchHelp;
    @FXML
    private Label noiseHelp;
    @FXML
    private Button startButton;
    @FXML
    private Button pauseButton;
    @FXML
    private Button cancelButton;
    @FXML
    private Button resumeButton;
    @FXML
    private Button useButton;
    @FXML
    private ProgressBar progressBar;
    @FXML
    private Label etaLabel;
    @FXML
    private Label throughputLabel;
    @FXML
    private Label statusLabel;
    @FXML
    private LineChart<Number, Number> lossChart;
    @FXML
    private LineChart<Number, Number> valChart;
    @FXML
    private LineChart<Number, Number> fChart;
    @FXML
    private ImageView previewNoisy;
    @FXML
    private ImageView previewOutput;
    @FXML
    private TableView<RunRecord> runsTable;

    private TrainingViewModel viewModel;

    public void bind(TrainingViewModel vm) {
        this.viewModel = vm;
        archChoice.getItems().setAll(TrainingViewModel.ARCHITECTURES);
        archChoice.valueProperty().bindBidirectional(vm.architectureProperty());
        optimizerChoice.getItems().setAll(TrainingViewModel.OPTIMIZERS);
        optimizerChoice.valueProperty().bindBidirectional(vm.optimizerProperty());
        javafx.scene.control.TextFormatter<Double> lrFormat = new javafx.scene.control.TextFormatter<>(new DoubleStringConverter());
        lrField.setTextFormatter(lrFormat);
        lrFormat.valueProperty().bindBidirectional(vm.learningRateProperty().asObject());
        spinner(batchSpinner, 1, 256, 1, vm.batchSizeProperty());
        spinner(stepsSpinner, 1, 100_000, 50, vm.stepsPerEpochProperty());
        spinner(epochsSpinner, 1, 1000, 1, vm.epochsProperty());
        spinner(patchSpinner, 0, 224, 32, vm.patchProperty());
        noiseField.textProperty().bindBidirectional(vm.noiseProperty());
        help(archHelp, "architecture");
        help(optimizerHelp, "optimizer");
        help(lrHelp, "learningRate");
        help(batchHelp, "batchSize");
        help(stepsHelp, "stepsPerEpoch");
        help(epochsHelp, "epochs");
        help(patchHelp, "patch");
        help(noiseHelp, "noise");

        startButton.disableProperty().bind(vm.runningProperty());
        resumeButton.disableProperty().bind(vm.runningProperty());
        pauseButton.disableProperty().bind(vm.runningProperty().not());
        cancelButton.disableProperty().bind(vm.runningProperty().not());
        useButton.disableProperty().bind(vm.runningProperty().or(vm.lastCheckpointProperty().isNull().and(vm.lastResultProperty().isNull())));
        pauseButton.textProperty().bind(javafx.beans.binding.Bindings.when(vm.pausedProperty()).then("Continue").otherwise("Pause"));
        progressBar.progressProperty().bind(vm.progressProperty());
        etaLabel.textProperty().bind(vm.etaProperty());
        throughputLabel.textProperty().bind(vm.throughputProperty());
        statusLabel.textProperty().bind(vm.statusProperty());

        mirror(vm.trainLoss(), lossChart, "training BCE (smoothed)");
        mirror(vm.valLoss(), valChart, "validation BCE");
        mirror(vm.valF(), fChart, "validation F-measure %");
        vm.previewNoisyProperty().addListener((o, a, g) -> previewNoisy.setImage(FxImages.toImage(g)));
        vm.previewOutputProperty().addListener((o, a, g) -> previewOutput.setImage(FxImages.toImage(g)));

        runsTable.setItems(vm.runs());
        column("Started", RunRecord::started);
        column("Network", RunRecord::architecture);
        column("Optimizer", RunRecord::optimizer);
        column("Epochs", RunRecord::epochs);
        column("Steps", RunRecord::steps);
        TableColumn<RunRecord, Double> f = new TableColumn<>("Best F %");
        f.setCellValueFactory(c -> new javafx.beans.property.SimpleObjectProperty<>(c.getValue().bestValF()));
        f.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Double v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.1f", v));
            }
        });
        runsTable.getColumns().add(f);
        column("Outcome", RunRecord::outcome);
    }

    private static void spinner(Spinner<Integer> s, int min, int max, int step, javafx.beans.property.IntegerProperty p) {
        s.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(min, max, p.get(), step));
        s.getValueFactory().valueProperty().bindBidirectional(p.asObject());
    }

    private static void help(Label l, String key) {
        String text = TrainingViewModel.explain(key);
        l.setText(text);
        l.setTooltip(new Tooltip(text));
    }

    private void column(String title, java.util.function.Function<RunRecord, Object> value) {
        TableColumn<RunRecord, Object> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new javafx.beans.property.SimpleObjectProperty<>(value.apply(cd.getValue())));
        runsTable.getColumns().add(c);
    }

    /** Keeps one chart series in step with a view-model list of points. */
    private static void mirror(ObservableList<ChartPoint> points, LineChart<Number, Number> chart, String name) {
        XYChart.Series<Number, Number> series = new XYChart.Series<>();
        series.setName(name);
        chart.getData().add(series);
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        points.addListener((ListChangeListener<ChartPoint>) c -> {
            while (c.next()) {
                if (c.wasRemoved() && !c.wasAdded()) {
                    series.getData().clear();
                    points.forEach(p -> series.getData().add(new XYChart.Data<>(p.x(), p.y())));
                    return;
                }
                if (c.wasReplaced() || c.getFrom() == 0) {
                    series.getData().clear();
                    points.forEach(p -> series.getData().add(new XYChart.Data<>(p.x(), p.y())));
                    return;
                }
                for (ChartPoint p : c.getAddedSubList()) {
                    series.getData().add(new XYChart.Data<>(p.x(), p.y()));
                }
            }
        });
    }

    @FXML
    private void onStart() {
        viewModel.start();
    }

    @FXML
    private void onPause() {
        viewModel.togglePause();
    }

    @FXML
    private void onCancel() {
        viewModel.cancel();
    }

    @FXML
    private void onResume() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Resume from a checkpoint");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Inkwell checkpoints", "*.zip"));
        File dir = org.inkwell.ui.UserSettings.dataFolder().resolve("runs").toFile();
        if (dir.isDirectory()) {
            chooser.setInitialDirectory(dir);
        }
        File f = chooser.showOpenDialog(runsTable.getScene().getWindow());
        if (f != null) {
            viewModel.resumeFrom(f.toPath());
        }
    }

    @FXML
    private void onReset() {
        viewModel.resetDefaults();
    }

    @FXML
    private void onSeedSettings() {
        viewModel.seedSettings();
    }

    @FXML
    private void onUseModel() {
        viewModel.useTrainedModel();
    }

    @FXML
    private void onExportRuns() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export runs as CSV");
        chooser.setInitialFileName("inkwell-runs.csv");
        File f = chooser.showSaveDialog(runsTable.getScene().getWindow());
        if (f != null) {
            try {
                viewModel.exportRuns(f.toPath());
            } catch (java.io.IOException e) {
                viewModel.statusProperty().set("Cannot export: " + e.getMessage());
            }
        }
    }
}
