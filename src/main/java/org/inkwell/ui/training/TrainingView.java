package org.inkwell.ui.training;

import org.inkwell.ui.service.DialogService;
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
    private DialogService dialogs;
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

    private TrainingViewModel viewModel;

    public void bind(TrainingViewModel vm, DialogService dialogs) {
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
            ChartAxes.steps((NumberAxis) lossChart.getXAxis(), vm.trainLoss(), (long) vm.settings().stepsPerEpochProperty().get() * vm.settings().epochsProperty().get());
            ChartAxes.values((NumberAxis) lossChart.getYAxis(), vm.trainLoss(), 0, Double.MAX_VALUE, 0, 1);
        });
        mirror(vm.valLoss(), valChart, "validation BCE", () -> {
            ChartAxes.epochs((NumberAxis) valChart.getXAxis(), vm.valLoss(), vm.settings().epochsProperty().get());
            ChartAxes.values((NumberAxis) valChart.getYAxis(), vm.valLoss(), 0, Double.MAX_VALUE, 0, 1);
        });
        mirror(vm.valF(), fChart, "validation F-measure %", () -> {
            ChartAxes.epochs((NumberAxis) fChart.getXAxis(), vm.valF(), vm.settings().epochsProperty().get());
            ChartAxes.values((NumberAxis) fChart.getYAxis(), vm.valF(), 0, 100, 0, 100);
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
        dialogs.saveFile("Export runs as CSV", DialogService.FileKind.CSV, null, "inkwell-runs.csv").ifPresent(f -> {
            try {
                viewModel.runsTable().export(f);
            } catch (java.io.IOException e) {
                viewModel.statusProperty().set("Cannot export: " + e.getMessage());
            }
        });
    }
}
