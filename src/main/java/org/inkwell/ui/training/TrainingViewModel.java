package org.inkwell.ui.training;

import org.inkwell.train.TrainingStep;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.inkwell.data.DataSources;
import org.inkwell.data.FolderDataset;
import org.inkwell.data.GrayImage;
import org.inkwell.data.SignatureSource;
import org.inkwell.data.SyntheticSignatures;
import org.inkwell.model.TrainingConfig;
import org.inkwell.model.TrainingHistory;
import org.inkwell.train.TrainingListener;
import org.inkwell.train.TrainingResult;
import org.inkwell.ui.service.AppContext;
import org.inkwell.ui.task.BackgroundTask;
import org.inkwell.ui.service.UserSettings;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Training pane: settings with explained defaults, a run on a background task through the model service,
 * live curves, a preview per epoch, pause/cancel/resume, and the history of runs.
 */
public final class TrainingViewModel {
    public static final List<String> ARCHITECTURES = List.of("unet", "seed", "vgg16");
    public static final List<String> OPTIMIZERS = List.of(TrainingConfig.ADAM, TrainingConfig.SEED_SGD);
    /** Keeps the iteration chart light: beyond this many points, neighbours are averaged. */
    static final int MAX_CHART_POINTS = 1500;

    private final AppContext context;
    private final StringProperty architecture = new SimpleStringProperty();
    private final StringProperty optimizer = new SimpleStringProperty();
    // Object properties, not IntegerProperty.asObject(): controls bind to these directly, so no adapter exists
    // that only a weak binding holds (a garbage collection used to cut the form off from the run).
    private final ObjectProperty<Double> learningRate = new SimpleObjectProperty<>(1e-3);
    private final ObjectProperty<Integer> batchSize = new SimpleObjectProperty<>(16);
    private final ObjectProperty<Integer> stepsPerEpoch = new SimpleObjectProperty<>(100);
    private final ObjectProperty<Integer> epochs = new SimpleObjectProperty<>(5);
    private final ObjectProperty<Integer> patch = new SimpleObjectProperty<>(96);
    private final StringProperty noise = new SimpleStringProperty();
    private final StringProperty preprocess = new SimpleStringProperty("fit");

    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final BooleanProperty paused = new SimpleBooleanProperty(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty eta = new SimpleStringProperty("");
    private final StringProperty throughput = new SimpleStringProperty("");
    private final StringProperty status = new SimpleStringProperty("Ready. The defaults train a useful model in a few minutes.");
    private final ObservableList<ChartPoint> trainLoss = FXCollections.observableArrayList();
    private final ObservableList<ChartPoint> valLoss = FXCollections.observableArrayList();
    private final ObservableList<ChartPoint> valF = FXCollections.observableArrayList();
    private final ObjectProperty<GrayImage> previewNoisy = new SimpleObjectProperty<>();
    private final ObjectProperty<GrayImage> previewOutput = new SimpleObjectProperty<>();
    private final ObservableList<RunRecord> runs = FXCollections.observableArrayList();
    private final ObjectProperty<Path> lastCheckpoint = new SimpleObjectProperty<>();
    private final ObjectProperty<TrainingResult> lastResult = new SimpleObjectProperty<>();

    private final AtomicBoolean cancelRequested = new AtomicBoolean();
    private final AtomicBoolean pauseRequested = new AtomicBoolean();
    private final ConcurrentLinkedQueue<double[]> pendingIterations = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicReference<double[]> pendingProgress = new AtomicReference<>();
    private double smoothed = Double.NaN;
    private int stride = 1;
    private double strideSum;
    private int strideCount;

    public TrainingViewModel(AppContext context) {
        this.context = context;
        resetDefaults();
        // Every run is on disk: the table shows them all again after a restart (newest first).
        Path folder = runsFolder();
        BackgroundTask<List<RunRecord>> history = BackgroundTask.of(() -> RunHistory.read(folder));
        history.onSuccess(runs::addAll);
        context.executor().execute(history);
    }

    public Path runsFolder() {
        return context.settings().runsFolder();
    }

    /** Defaults that give a useful model on a laptop CPU in minutes; the seed's own settings are one click away. */
    public void resetDefaults() {
        architecture.set("unet");
        optimizer.set(TrainingConfig.ADAM);
        learningRate.set(1e-3);
        batchSize.set(16);
        stepsPerEpoch.set(100);
        epochs.set(5);
        patch.set(96);
        noise.set("pepper:0.05-0.45");
        preprocess.set("fit");
    }

    /** The seed experiment's settings: 224x224 images, SGD with Nesterov momentum, pepper 0.2, batch 32. */
    public void seedSettings() {
        TrainingConfig s = TrainingConfig.seedDefaults();
        architecture.set(s.architecture());
        optimizer.set(s.optimizer());
        learningRate.set(s.learningRate());
        batchSize.set(s.batchSize());
        stepsPerEpoch.set(s.stepsPerEpoch());
        epochs.set(s.epochs());
        patch.set(s.patch());
        noise.set(s.noise());
        preprocess.set(s.preprocess());
    }

    /** One sentence per setting, shown beside it. */
    public static String explain(String setting) {
        return switch (setting) {
            case "architecture" -> "unet keeps thin strokes; seed is the original 308,593-parameter network.";
            case "optimizer" -> "adam converges fast; seed-sgd is the seed's Nesterov SGD.";
            case "learningRate" -> "In Keras units (per-pixel mean loss); 1e-3 suits both.";
            case "batchSize" -> "Pairs per step; larger is smoother, needs more memory.";
            case "stepsPerEpoch" -> "Steps between validations and checkpoints (seed: 10,000).";
            case "epochs" -> "A checkpoint is written after each epoch.";
            case "patch" -> "Random crops of this side (0 = whole 224x224); 96 is ~5x faster.";
            case "preprocess" -> "fit keeps the aspect (padded); seed squashes to 224x224.";
            case "noise" -> "pepper:0.2 as the seed; a range like pepper:0.05-0.45 covers every level.";
            default -> "";
        };
    }

    /** A checkpoint's own settings, shown in the form too: a resumed run continues exactly as it was started. */
    private TrainingConfig savedConfig(Path checkpoint) throws java.io.IOException {
        var d = org.inkwell.model.ModelStore.describe(checkpoint);
        if (d.metadata() == null || d.metadata().training() == null) {
            throw new IllegalArgumentException(checkpoint.getFileName() + " has no training settings to resume from");
        }
        TrainingConfig c = d.metadata().training();
        architecture.set(c.architecture());
        optimizer.set(c.optimizer());
        learningRate.set(c.learningRate());
        batchSize.set(c.batchSize());
        stepsPerEpoch.set(c.stepsPerEpoch());
        epochs.set(c.epochs());
        patch.set(c.patch());
        noise.set(c.noise());
        preprocess.set(c.preprocess());
        return c;
    }

    /** The run these settings describe; the workbench always trains in cache-sized passes (recorded in the config). */
    public TrainingConfig config() {
        TrainingConfig c = new TrainingConfig(architecture.get(), optimizer.get(), learningRate.get(), batchSize.get(),
                stepsPerEpoch.get(), epochs.get(), preprocess.get(), 224, patch.get(), true, noise.get(),
                dataSeed(), 32, 1);
        String source;
        try {
            source = DataSources.specOf(context.dataSourceProperty().get());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the data folder cannot be read (" + e.getMessage() + ")");
        }
        return c.withMicroBatch(TrainingStep.autoMicroBatch(c.pairSpec().sampleSide())).withDataSource(source);
    }

    private long dataSeed() {
        SignatureSource s = context.dataSourceProperty().get();
        return s instanceof SyntheticSignatures syn ? syn.generator().seed() : AppContext.DEFAULT_SEED;
    }

    public void start() {
        launch(null);
    }

    /** Continues a run from a checkpoint zip written by Inkwell. */
    public void resumeFrom(Path checkpoint) {
        launch(checkpoint);
    }

    private void launch(Path resumeFrom) {
        if (running.get()) {
            return;
        }
        TrainingConfig config;
        try {
            config = resumeFrom == null ? config() : savedConfig(resumeFrom);
        } catch (IllegalArgumentException | java.io.IOException e) {
            status.set((resumeFrom == null ? "Check the settings: " : "Cannot resume: ") + e.getMessage());
            return;
        }
        SignatureSource chosen = context.dataSourceProperty().get();
        // Resuming reads the data the run was started on, whatever the Dataset pane shows now.
        java.util.concurrent.Callable<SignatureSource[]> sources = resumeFrom != null
                ? () -> DataSources.trainAndValidation(config.dataSource(), config.dataSeed(), config.validationCount(), why -> { })
                : () -> chosen instanceof FolderDataset folder ? folder.split(0.1)
                : new SignatureSource[]{chosen, SyntheticSignatures.validationFor(config.dataSeed(), config.validationCount())};
        Path dir = RunHistory.newRunFolder(runsFolder(), LocalDateTime.now());
        cancelRequested.set(false);
        pauseRequested.set(false);
        paused.set(false);
        running.set(true);
        progress.set(0);
        eta.set("");
        // Fresh charts for every run; a resumed run's earlier epochs come back from its checkpoint.
        pendingIterations.clear();
        trainLoss.clear();
        valLoss.clear();
        valF.clear();
        smoothed = Double.NaN;
        stride = 1;
        strideSum = 0;
        strideCount = 0;
        status.set(resumeFrom == null ? "Starting: preparing data and network..." : "Resuming from " + resumeFrom.getFileName() + "...");
        String started = LocalDateTime.now().format(RunHistory.SHOWN);
        lastCheckpoint.set(null);
        lastResult.set(null);
        long t0 = System.nanoTime();
        BackgroundTask<TrainingResult> task = context.models().trainingTask(config, sources, dir, resumeFrom,
                new Listener(), cancelRequested::get);
        task.onSuccess(r -> finished(r, config, started, t0, null));
        task.onFailure(e -> finished(null, config, started, t0, e));
        context.executor().execute(task, p -> { });
    }

    private void finished(TrainingResult r, TrainingConfig config, String started, long t0, Throwable error) {
        flush();
        try {
            eta.set("");
            throughput.set("");
            record(r, config, started, t0, error);
        } finally {
            // Last, so whoever waits for the end sees the run's record and status already in place.
            paused.set(false);
            running.set(false);
        }
    }

    /** Records the run with the settings it was launched with (the form may have been edited since). */
    private void record(TrainingResult r, TrainingConfig c, String started, long t0, Throwable error) {
        double minutes = (System.nanoTime() - t0) / 60e9;
        if (r == null) {
            status.set("Training failed: " + (error == null ? "unknown error" : error.getMessage()));
            runs.add(0, new RunRecord(started, c.architecture(), c.optimizer(), 0, 0, Double.NaN, Double.NaN, minutes, "failed", ""));
            return;
        }
        lastResult.set(r);
        // "Use trained model" loads the best epoch (lowest validation BCE); the scores shown are that epoch's.
        Path cp = r.bestCheckpoint() != null ? r.bestCheckpoint() : r.lastCheckpoint();
        lastCheckpoint.set(cp);
        TrainingHistory.Epoch best = RunHistory.bestEpoch(r.history());
        String outcome = r.status() == TrainingResult.Status.COMPLETED ? "completed" : "cancelled";
        runs.add(0, new RunRecord(started, c.architecture(), c.optimizer(), r.metadata().epochs(), r.metadata().step(),
                best == null ? Double.NaN : best.valLoss(), best == null ? Double.NaN : best.valFmeasure(), minutes, outcome,
                cp == null ? "" : cp.toString()));
        String bestText = best == null ? "" : String.format(Locale.ROOT,
                "the best epoch (%d of %d, lowest validation BCE) has validation F %.1f%%", best.epoch(),
                r.history().epochs().size(), best.valFmeasure());
        status.set(r.status() == TrainingResult.Status.COMPLETED
                ? "Done: " + bestText + ". \"Use trained model\" loads that epoch."
                : "Cancelled at step " + r.metadata().step() + (best == null ? "" : "; " + bestText)
                + (r.lastCheckpoint() == null ? "" : ". Resume from " + r.lastCheckpoint()));
    }

    /** Makes the finished run's best network the model every pane uses. */
    public void useTrainedModel() {
        Path cp = lastCheckpoint.get();
        if (cp == null || !java.nio.file.Files.isRegularFile(cp)) {
            TrainingResult r = lastResult.get();
            if (r == null) {
                status.set("No trained model yet.");
                return;
            }
            // No checkpoint could be written: use the best epoch held in memory (File > Save model keeps it).
            context.models().use(r::bestModel, "trained (not saved)"); // copied on the model thread, not here
            status.set("Now using the trained network's best epoch; save it with File > Save model.");
            return;
        }
        context.models().load(cp).whenComplete((m, e) -> context.executor().runOnUi(() -> {
            if (e == null) {
                context.settings().rememberModel(cp); // the next start opens it again
            }
            status.set(e == null ? "Now using " + cp.getFileName() + " (the best epoch) everywhere." : "Cannot use it: " + e.getMessage());
        }));
    }

    public void togglePause() {
        boolean p = !pauseRequested.get();
        pauseRequested.set(p);
        paused.set(p);
        status.set(p ? "Paused (the network waits between steps)." : "Training...");
    }

    public void cancel() {
        cancelRequested.set(true);
        pauseRequested.set(false);
        status.set("Cancelling: writing a checkpoint...");
    }

    public String runsAsCsv() {
        StringColumn started = StringColumn.create("started");
        StringColumn arch = StringColumn.create("architecture");
        StringColumn opt = StringColumn.create("optimizer");
        IntColumn ep = IntColumn.create("epochs");
        LongColumn steps = LongColumn.create("steps");
        DoubleColumn bce = DoubleColumn.create("best_val_bce");
        DoubleColumn f = DoubleColumn.create("best_val_fmeasure");
        DoubleColumn min = DoubleColumn.create("minutes");
        StringColumn outcome = StringColumn.create("outcome");
        StringColumn cp = StringColumn.create("checkpoint");
        for (RunRecord r : runs) {
            started.append(r.started());
            arch.append(r.architecture());
            opt.append(r.optimizer());
            ep.append(r.epochs());
            steps.append(r.steps());
            bce.append(r.bestValBce());
            f.append(r.bestValF());
            min.append(r.minutes());
            outcome.append(r.outcome());
            cp.append(r.checkpoint());
        }
        return org.inkwell.data.CsvText.of(Table.create("runs", started, arch, opt, ep, steps, bce, f, min, outcome, cp));
    }

    public void exportRuns(Path csv) throws java.io.IOException {
        String text = runsAsCsv();
        org.inkwell.data.OutputPolicy.strict().write(csv, org.inkwell.data.OutputPolicy.Kind.CSV,
                out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Receives trainer events on the training thread and hands them to the UI in coalesced batches. */
    private final class Listener implements TrainingListener {
        private long totalSteps;
        private long startStep;
        private long startNanos;

        @Override
        public void started(TrainingConfig config, long startStep, long totalSteps, TrainingHistory history) {
            this.totalSteps = totalSteps;
            this.startStep = startStep;
            this.startNanos = System.nanoTime();
            List<Float> earlier = history.iterationLoss();
            for (int i = 0; i < earlier.size(); i++) {
                pendingIterations.add(new double[]{i + 1, earlier.get(i)});
            }
            List<TrainingHistory.Epoch> epochsSoFar = history.epochs();
            context.executor().runOnUi(() -> {
                epochsSoFar.forEach(e -> {
                    valLoss.add(new ChartPoint(e.epoch(), e.valLoss()));
                    valF.add(new ChartPoint(e.epoch(), e.valFmeasure()));
                });
                status.set("Training...");
            });
            scheduleFlush();
        }

        @Override
        public void iteration(int epoch, long step, double loss, double samplesPerSecond) {
            pendingIterations.add(new double[]{step, loss});
            double done = (step - startStep) / (double) Math.max(1, totalSteps - startStep);
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            pendingProgress.set(new double[]{step / (double) Math.max(1, totalSteps), done > 0 ? elapsed * (1 - done) / done : -1,
                    samplesPerSecond, epoch});
            scheduleFlush();
            while (pauseRequested.get() && !cancelRequested.get()) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        @Override
        public void epochFinished(TrainingHistory.Epoch e, Path checkpoint) {
            context.executor().runOnUi(() -> {
                valLoss.add(new ChartPoint(e.epoch(), e.valLoss()));
                valF.add(new ChartPoint(e.epoch(), e.valFmeasure()));
            });
        }

        @Override
        public void preview(GrayImage noisy, GrayImage clean, GrayImage output) {
            GrayImage n = noisy.copy();
            GrayImage o = output.copy();
            context.executor().runOnUi(() -> {
                previewNoisy.set(n);
                previewOutput.set(o);
            });
        }

        @Override
        public void message(String text) {
            context.executor().runOnUi(() -> status.set(text));
        }
    }

    private void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            context.executor().runOnUi(this::flush);
        }
    }

    /** On the UI thread: drains queued iterations into the smoothed curve and updates progress and ETA. */
    void flush() {
        flushScheduled.set(false);
        List<ChartPoint> add = new ArrayList<>();
        double[] it;
        while ((it = pendingIterations.poll()) != null) {
            smoothed = Double.isNaN(smoothed) ? it[1] : 0.9 * smoothed + 0.1 * it[1];
            strideSum += smoothed;
            strideCount++;
            if (strideCount >= stride) {
                add.add(new ChartPoint(it[0], strideSum / strideCount));
                strideSum = 0;
                strideCount = 0;
            }
        }
        trainLoss.addAll(add);
        if (trainLoss.size() > MAX_CHART_POINTS) {
            List<ChartPoint> halved = new ArrayList<>();
            for (int i = 0; i + 1 < trainLoss.size(); i += 2) {
                ChartPoint a = trainLoss.get(i);
                ChartPoint b = trainLoss.get(i + 1);
                halved.add(new ChartPoint(b.x(), (a.y() + b.y()) / 2));
            }
            trainLoss.setAll(halved);
            stride *= 2;
        }
        double[] p = pendingProgress.getAndSet(null);
        if (p != null) {
            progress.set(p[0]);
            eta.set(p[1] < 0 ? "" : "ETA " + formatDuration(p[1]));
            throughput.set(String.format(Locale.ROOT, "epoch %d, %.1f samples/s", (int) p[3], p[2]));
        }
    }

    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh %02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }

    // ---- properties

    public StringProperty architectureProperty() {
        return architecture;
    }

    public StringProperty optimizerProperty() {
        return optimizer;
    }

    public ObjectProperty<Double> learningRateProperty() {
        return learningRate;
    }

    public ObjectProperty<Integer> batchSizeProperty() {
        return batchSize;
    }

    public ObjectProperty<Integer> stepsPerEpochProperty() {
        return stepsPerEpoch;
    }

    public ObjectProperty<Integer> epochsProperty() {
        return epochs;
    }

    public ObjectProperty<Integer> patchProperty() {
        return patch;
    }

    /** "fit" keeps a signature's aspect (padded), "seed" squashes it to the square as the seed did. */
    public StringProperty preprocessProperty() {
        return preprocess;
    }

    public StringProperty noiseProperty() {
        return noise;
    }

    public BooleanProperty runningProperty() {
        return running;
    }

    public BooleanProperty pausedProperty() {
        return paused;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty etaProperty() {
        return eta;
    }

    public StringProperty throughputProperty() {
        return throughput;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public ObservableList<ChartPoint> trainLoss() {
        return trainLoss;
    }

    public ObservableList<ChartPoint> valLoss() {
        return valLoss;
    }

    public ObservableList<ChartPoint> valF() {
        return valF;
    }

    public ObjectProperty<GrayImage> previewNoisyProperty() {
        return previewNoisy;
    }

    public ObjectProperty<GrayImage> previewOutputProperty() {
        return previewOutput;
    }

    public ObservableList<RunRecord> runs() {
        return runs;
    }

    public ObjectProperty<Path> lastCheckpointProperty() {
        return lastCheckpoint;
    }

    public ObjectProperty<TrainingResult> lastResultProperty() {
        return lastResult;
    }
}
