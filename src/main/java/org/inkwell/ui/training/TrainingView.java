package org.inkwell.ui.training;

import org.inkwell.model.TrainingHistory;

import org.inkwell.ui.service.DialogService;
import org.inkwell.ui.service.FxDialogService;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
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
import javafx.util.converter.DoubleStringConverter;
import org.inkwell.ui.util.FxImages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Binds the Training pane to {@link TrainingViewModel}.
 * <p>Longer than most classes: a long form, two charts and a table to bind; no logic beyond layout.
 */
public final class TrainingView {
    private FxDialogService dialogs;
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
    private ChoiceBox<String> shapeChoice;
    @FXML
    private Label shapeHelp;
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
    @FXML
    private javafx.scene.layout.GridPane settingsForm;
    @FXML
    private Button resetButton;
    @FXML
    private Button seedButton;

    private TrainingViewModel viewModel;

    public void bind(TrainingViewModel vm, FxDialogService dialogs) {
        this.dialogs = dialogs;
        this.viewModel = vm;
        archChoice.getItems().setAll(TrainingSettings.ARCHITECTURES);
        archChoice.valueProperty().bindBidirectional(vm.settings().architectureProperty());
        optimizerChoice.getItems().setAll(TrainingSettings.OPTIMIZERS);
        optimizerChoice.valueProperty().bindBidirectional(vm.settings().optimizerProperty());
        javafx.scene.control.TextFormatter<Double> lrFormat = new javafx.scene.control.TextFormatter<>(new DoubleStringConverter());
        lrField.setTextFormatter(lrFormat);
        lrFormat.valueProperty().bindBidirectional(vm.settings().learningRateProperty());
        lrField.focusedProperty().addListener((o, was, is) -> {
            if (!is) {
                lrField.commitValue();
            }
        });
        spinner(batchSpinner, 1, 256, 1, vm.settings().batchSizeProperty());
        spinner(stepsSpinner, 1, 100_000, 50, vm.settings().stepsPerEpochProperty());
        spinner(epochsSpinner, 1, 1000, 1, vm.settings().epochsProperty());
        spinner(patchSpinner, 0, 224, 32, vm.settings().patchProperty());
        noiseField.textProperty().bindBidirectional(vm.settings().noiseProperty());
        shapeChoice.getItems().setAll(org.inkwell.ui.samples.SamplesViewModel.SHAPES);
        shapeChoice.valueProperty().bindBidirectional(vm.settings().preprocessProperty());
        help(shapeHelp, "preprocess");
        help(archHelp, "architecture");
        help(optimizerHelp, "optimizer");
        help(lrHelp, "learningRate");
        help(batchHelp, "batchSize");
        help(stepsHelp, "stepsPerEpoch");
        help(epochsHelp, "epochs");
        help(patchHelp, "patch");
        help(noiseHelp, "noise");

        // The form describes the next run: locked while one is active, whose settings are fixed at its start.
        settingsForm.disableProperty().bind(vm.runningProperty());
        resetButton.disableProperty().bind(vm.runningProperty());
        seedButton.disableProperty().bind(vm.runningProperty());
        startButton.disableProperty().bind(vm.startCommand().executableProperty().not());
        resumeButton.disableProperty().bind(vm.startCommand().executableProperty().not());
        pauseButton.disableProperty().bind(vm.pauseCommand().executableProperty().not());
        cancelButton.disableProperty().bind(vm.cancelCommand().executableProperty().not());
        useButton.disableProperty().bind(vm.useModelCommand().executableProperty().not());
        pauseButton.textProperty().bind(javafx.beans.binding.Bindings.when(vm.pausedProperty()).then("Continue").otherwise("Pause"));
        progressBar.progressProperty().bind(vm.progressProperty());
        etaLabel.textProperty().bind(vm.etaProperty());
        throughputLabel.textProperty().bind(vm.throughputProperty());
        statusLabel.textProperty().bind(vm.statusProperty());

        mirror(vm.trainLoss(), lossChart, "training BCE (smoothed)", () -> {
            ChartAxes.steps((NumberAxis) lossChart.getXAxis(), vm.trainLoss(), vm.chartedSteps());
            ChartAxes.values((NumberAxis) lossChart.getYAxis(), vm.trainLoss(), 0, Double.MAX_VALUE, 0, 1, 0.01);
        });
        mirror(vm.valLoss(), valChart, "validation BCE", () -> {
            ChartAxes.epochs((NumberAxis) valChart.getXAxis(), vm.valLoss(), vm.chartedEpochs());
            ChartAxes.values((NumberAxis) valChart.getYAxis(), vm.valLoss(), 0, Double.MAX_VALUE, 0, 1, 0.01);
        });
        mirror(vm.valF(), fChart, "validation F-measure %", () -> {
            ChartAxes.epochs((NumberAxis) fChart.getXAxis(), vm.valF(), vm.chartedEpochs());
            ChartAxes.values((NumberAxis) fChart.getYAxis(), vm.valF(), 0, 100, 0, 100, 10);
        });
        vm.previewNoisyProperty().addListener((o, a, g) -> previewNoisy.setImage(FxImages.toImage(g)));
        vm.previewOutputProperty().addListener((o, a, g) -> previewOutput.setImage(FxImages.toImage(g)));

        runsTable.setItems(vm.runsTable().rows());
        column("Started", RunRecord::started);
        column("Network", RunRecord::architecture);
        column("Optimizer", RunRecord::optimizer);
        column("Epochs", RunRecord::epochs);
        column("Steps", RunRecord::steps);
        TableColumn<RunRecord, Double> f = new TableColumn<>("Best F %");
        f.setMinWidth(70);
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
        runsTable.setRowFactory(t -> {
            javafx.scene.control.TableRow<RunRecord> row = new javafx.scene.control.TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    showRun(row.getItem());
                }
            });
            return row;
        });
    }

    /** A run's settings, its epoch curves and its last validation sample, with "Use this model". */
    private void showRun(RunRecord r) {
        javafx.scene.control.Dialog<javafx.scene.control.ButtonType> d = dialogs.styled(new javafx.scene.control.Dialog<>());
        d.setTitle("Run started " + r.started());
        d.setHeaderText(r.architecture() + " with " + r.optimizer() + ", " + r.outcome());
        javafx.scene.layout.GridPane grid = new javafx.scene.layout.GridPane();
        grid.setHgap(10);
        grid.setVgap(3);
        List<String[]> rows = TrainingViewModel.details(r);
        for (int i = 0; i < rows.size(); i++) {
            Label value = new Label(rows.get(i)[1]);
            value.setWrapText(true);
            value.setMaxWidth(460);
            grid.addRow(i, new Label(rows.get(i)[0]), value);
        }
        LineChart<Number, Number> bce = runChart("Validation BCE", r, TrainingHistory.Epoch::valLoss);
        LineChart<Number, Number> fm = runChart("Validation F %", r, TrainingHistory.Epoch::valFmeasure);
        ImageView sample = new ImageView();
        sample.setFitHeight(110);
        sample.setPreserveRatio(true);
        Label sampleNote = new Label("Loading the validation sample...");
        sampleNote.getStyleClass().add("muted");
        viewModel.loadSample(r, g -> {
            sample.setImage(g == null ? null : FxImages.toImage(g));
            sampleNote.setText(g == null ? "No validation sample was kept for this run." : "Validation sample: noisy / network output");
        });
        javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(8, grid, new javafx.scene.layout.HBox(8, bce, fm), sampleNote, sample);
        d.getDialogPane().setContent(box);
        javafx.scene.control.ButtonType use = new javafx.scene.control.ButtonType("Use this model",
                javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().setAll(use, javafx.scene.control.ButtonType.CLOSE);
        d.getDialogPane().lookupButton(use).setDisable(r.checkpoint().isEmpty() || viewModel.runningProperty().get());
        d.showAndWait().filter(b -> b == use).ifPresent(b -> viewModel.useRun(r));
    }

    private static LineChart<Number, Number> runChart(String title, RunRecord r,
                                                      java.util.function.ToDoubleFunction<TrainingHistory.Epoch> value) {
        NumberAxis x = new NumberAxis();
        x.setLabel("epoch");
        NumberAxis y = new NumberAxis();
        y.setForceZeroInRange(false);
        LineChart<Number, Number> chart = new LineChart<>(x, y);
        chart.setTitle(title);
        chart.setLegendVisible(false);
        chart.setAnimated(false);
        chart.setPrefSize(260, 180);
        List<ChartPoint> points = new ArrayList<>();
        XYChart.Series<Number, Number> series = new XYChart.Series<>();
        for (TrainingHistory.Epoch e : r.history().epochs()) {
            double v = value.applyAsDouble(e);
            points.add(new ChartPoint(e.epoch(), v));
            series.getData().add(new XYChart.Data<>(e.epoch(), v));
        }
        chart.getData().add(series);
        ChartAxes.epochs(x, points, r.config() == null ? points.size() : r.config().epochs());
        boolean f = title.contains("F");
        ChartAxes.values(y, points, 0, f ? 100 : Double.MAX_VALUE, 0, f ? 100 : 1, f ? 10 : 0.01);
        return chart;
    }

    /** Binds a spinner straight to the view model's property; typed text counts when focus leaves the field. */
    private static void spinner(Spinner<Integer> s, int min, int max, int step, javafx.beans.property.ObjectProperty<Integer> p) {
        s.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(min, max, p.get(), step));
        s.getValueFactory().valueProperty().bindBidirectional(p);
        s.focusedProperty().addListener((o, was, is) -> {
            if (!is) {
                s.commitValue();
            }
        });
    }

    /** Typed but not yet committed text reaches the view model before a run reads the settings. */
    private void commitEdits() {
        for (Spinner<Integer> s : java.util.List.of(batchSpinner, stepsSpinner, epochsSpinner, patchSpinner)) {
            try {
                s.commitValue();
            } catch (RuntimeException e) {
                s.cancelEdit(); // not a number: the field goes back to the value in use
            }
        }
        lrField.commitValue();
    }

    private static void help(Label l, String key) {
        String text = TrainingSettings.explain(key);
        l.setText(text);
        l.setTooltip(new Tooltip(text));
    }

    private void column(String title, java.util.function.Function<RunRecord, Object> value) {
        TableColumn<RunRecord, Object> c = new TableColumn<>(title);
        // Headers and values stay readable in a narrow window; the table scrolls sideways instead.
        c.setMinWidth(title.equals("Started") ? 118 : Math.max(64, title.length() * 8 + 18));
        c.setCellValueFactory(cd -> new javafx.beans.property.SimpleObjectProperty<>(value.apply(cd.getValue())));
        runsTable.getColumns().add(c);
    }

    /** Keeps one chart series equal to a view-model list of points and refits its axes after every change. */
    private static void mirror(ObservableList<ChartPoint> points, LineChart<Number, Number> chart, String name, Runnable fitAxes) {
        XYChart.Series<Number, Number> series = new XYChart.Series<>();
        series.setName(name);
        chart.getData().add(series);
        chart.setAnimated(false);
        chart.setCreateSymbols(!name.startsWith("training")); // one point per epoch: a single epoch must show
        points.addListener((ListChangeListener<ChartPoint>) c -> {
            List<XYChart.Data<Number, Number>> data = new ArrayList<>(points.size());
            points.forEach(p -> data.add(new XYChart.Data<>(p.x(), p.y())));
            series.getData().setAll(data);
            fitAxes.run();
        });
        fitAxes.run();
    }

    @FXML
    private void onStart() {
        commitEdits();
        viewModel.startCommand().execute();
    }

    @FXML
    private void onPause() {
        viewModel.pauseCommand().execute();
    }

    @FXML
    private void onCancel() {
        viewModel.cancelCommand().execute();
    }

    @FXML
    private void onResume() {
        if (!viewModel.canStart()) {
            return;
        }
        dialogs.openFile("Resume from a checkpoint", DialogService.FileKind.MODEL, viewModel.runsFolder())
                .ifPresent(viewModel::resumeFrom);
    }

    @FXML
    private void onReset() {
        viewModel.settings().resetDefaults();
    }

    @FXML
    private void onSeedSettings() {
        viewModel.settings().seedSettings();
    }

    @FXML
    private void onUseModel() {
        viewModel.useModelCommand().execute();
    }

    @FXML
    private void onExportRuns() {
        dialogs.saveFile("Export runs as CSV", DialogService.FileKind.CSV, null, "inkwell-runs.csv").ifPresent(viewModel::exportRuns);
    }
}
