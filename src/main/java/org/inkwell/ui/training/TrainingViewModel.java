package org.inkwell.ui.training;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
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
import org.inkwell.model.ModelStore;
import org.inkwell.model.TrainingConfig;
import org.inkwell.model.TrainingHistory;
import org.inkwell.train.RunProgress;
import org.inkwell.train.TrainingListener;
import org.inkwell.train.TrainingResult;
import org.inkwell.ui.service.AppContext;
import org.inkwell.ui.task.BackgroundTask;
import org.inkwell.ui.task.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Training pane's run launcher: starts, pauses, cancels and resumes a run on a background task through the
 * model service, and brings its events to the UI thread as live curves, progress, ETA and a preview per epoch.
 * The form is {@link TrainingSettings}, the history {@link RunsTable}.
 * <p>Longer than most classes: a run's events and their coalescing onto the UI thread stay with the run they come
 * from; the form, the loss curve and the runs table are classes of their own.
 */
public final class TrainingViewModel {
    private final org.inkwell.ui.task.TaskExecutor executor;
    private final org.inkwell.ui.service.ModelService models;
    private final org.inkwell.ui.service.UserSettings userSettings;
    private final javafx.beans.property.ReadOnlyObjectProperty<org.inkwell.data.SignatureSource> dataSource;
    private final org.inkwell.ui.service.DialogService dialogs;
    private final TrainingSettings settings = new TrainingSettings();
    /** Where the form is remembered between sessions. */
    static final String FORM_KEY = "training.form";
    private final RunsTable runs = new RunsTable();
    private final LossCurve trainLoss = new LossCurve();

    private final javafx.beans.property.ReadOnlyBooleanWrapper running = new javafx.beans.property.ReadOnlyBooleanWrapper(false);
    private final javafx.beans.property.ReadOnlyBooleanWrapper paused = new javafx.beans.property.ReadOnlyBooleanWrapper(false);
    private final javafx.beans.property.ReadOnlyDoubleWrapper progress = new javafx.beans.property.ReadOnlyDoubleWrapper(0);
    private final javafx.beans.property.ReadOnlyStringWrapper eta = new javafx.beans.property.ReadOnlyStringWrapper("");
    private final javafx.beans.property.ReadOnlyStringWrapper throughput = new javafx.beans.property.ReadOnlyStringWrapper("");
    private final javafx.beans.property.ReadOnlyStringWrapper status = new javafx.beans.property.ReadOnlyStringWrapper("Ready. The defaults train a useful model in a few minutes.");
    private final ObservableList<ChartPoint> valLoss = FXCollections.observableArrayList();
    /** Read-only to the view; one instance, so listeners on it live as long as the view model. */
    private final ObservableList<ChartPoint> valLossView = javafx.collections.FXCollections.unmodifiableObservableList(valLoss);
    private final ObservableList<ChartPoint> valF = FXCollections.observableArrayList();
    /** Read-only to the view; one instance, so listeners on it live as long as the view model. */
    private final ObservableList<ChartPoint> valFView = javafx.collections.FXCollections.unmodifiableObservableList(valF);
    private final javafx.beans.property.ReadOnlyObjectWrapper<GrayImage> previewNoisy = new javafx.beans.property.ReadOnlyObjectWrapper<>();
    private final javafx.beans.property.ReadOnlyObjectWrapper<GrayImage> previewOutput = new javafx.beans.property.ReadOnlyObjectWrapper<>();
    private final javafx.beans.property.ReadOnlyObjectWrapper<Path> lastCheckpoint = new javafx.beans.property.ReadOnlyObjectWrapper<>();
    private final javafx.beans.property.ReadOnlyObjectWrapper<TrainingResult> lastResult = new javafx.beans.property.ReadOnlyObjectWrapper<>();
    /** The settings of the run the charts show (the running one, else the last); null before the first run. */
    private final javafx.beans.property.ReadOnlyObjectWrapper<TrainingConfig> chartedRun = new javafx.beans.property.ReadOnlyObjectWrapper<>();

    private final AtomicBoolean cancelRequested = new AtomicBoolean();
    private final AtomicBoolean pauseRequested = new AtomicBoolean();
    private final ConcurrentLinkedQueue<double[]> pendingIterations = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicReference<double[]> pendingProgress = new AtomicReference<>();

    private final Command startCommand = new Command(running.not(), this::start, running);
    private final Command pauseCommand = new Command(running, this::togglePause);
    private final Command cancelCommand = new Command(running, this::cancel);
    private final Command useModelCommand = new Command(running.not().and(lastCheckpoint.isNotNull().or(lastResult.isNotNull())),
            this::useTrainedModel);

    /**
     * @param dataSource the data set the Dataset pane shows, which a new run trains on
     * @param dialogs    asks before closing during a run
     */
    public TrainingViewModel(org.inkwell.ui.task.TaskExecutor executor, org.inkwell.ui.service.ModelService models,
                             org.inkwell.ui.service.UserSettings userSettings,
                             javafx.beans.property.ReadOnlyObjectProperty<org.inkwell.data.SignatureSource> dataSource,
                             org.inkwell.ui.service.DialogService dialogs) {
        this.executor = executor;
        this.models = models;
        this.userSettings = userSettings;
        this.dataSource = dataSource;
        this.dialogs = dialogs;
        // The form as the user left it last time, kept as it changes.
        settings.decode(userSettings.text(FORM_KEY, null));
        settings.onChange(() -> userSettings.rememberText(FORM_KEY, settings.encode()));
        // Every run is on disk: the table shows them all again after a restart (newest first).
        Path folder = runsFolder();
        BackgroundTask<List<RunRecord>> history = BackgroundTask.of(() -> RunHistory.read(folder));
        history.onSuccess(runs.rows()::addAll);
        executor.execute(history);
    }

    public TrainingSettings settings() {
        return settings;
    }

    /** Starts a run with the form's settings; not while one runs. */
    public Command startCommand() {
        return startCommand;
    }

    /** Pauses or continues the run. */
    public Command pauseCommand() {
        return pauseCommand;
    }

    public Command cancelCommand() {
        return cancelCommand;
    }

    /** Makes the finished run's best epoch the model every pane uses; once a run has a result. */
    public Command useModelCommand() {
        return useModelCommand;
    }

    /** Whether a run may be started or resumed now. */
    public boolean canStart() {
        return startCommand.isExecutable();
    }

    public RunsTable runsTable() {
        return runs;
    }

    /** The run the form describes on the current data set; a new run is launched with exactly this. */
    public TrainingConfig config() {
        return settings.config(dataSource.get());
    }

    public Path runsFolder() {
        return userSettings.runsFolder();
    }

    /** A checkpoint's own settings, shown in the form too: a resumed run continues exactly as it was started. */
    private static TrainingConfig savedConfig(Path checkpoint) throws IOException {
        var d = ModelStore.describe(checkpoint);
        if (d.metadata() == null || d.metadata().training() == null) {
            throw new IllegalArgumentException(checkpoint.getFileName() + " has no training settings to resume from");
        }
        return d.metadata().training();
    }

    /** Writes the runs table as CSV off the UI thread; the status says where it went or why not. */
    public void exportRuns(Path csv) {
        String text = runs.asCsv();
        BackgroundTask<Path> write = BackgroundTask.of(() -> {
            org.inkwell.data.OutputPolicy.replacing().write(csv, org.inkwell.data.OutputPolicy.Kind.CSV,
                    out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return csv;
        });
        write.onSuccess(p -> status.set("Exported " + runs.rows().size() + " runs to " + p));
        write.onFailure(e -> status.set("Cannot export: " + e.getMessage()));
        executor.execute(write);
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
        if (resumeFrom != null) {
            // The checkpoint zip is read off the UI thread; the run starts once its settings are known.
            status.set("Reading " + resumeFrom.getFileName() + "...");
            BackgroundTask<TrainingConfig> read = BackgroundTask.of(() -> savedConfig(resumeFrom));
            read.onSuccess(c -> {
                if (!running.get()) {
                    settings.show(c);
                    launch(c, resumeFrom);
                }
            });
            read.onFailure(e -> status.set("Cannot resume: " + e.getMessage()));
            executor.execute(read);
            return;
        }
        TrainingConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            status.set("Check the settings: " + e.getMessage());
            return;
        }
        launch(config, null);
    }

    private void launch(TrainingConfig config, Path resumeFrom) {
        SignatureSource chosen = dataSource.get();
        // Resuming reads the data the run was started on, whatever the Dataset pane shows now.
        Callable<SignatureSource[]> sources = resumeFrom != null
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
        chartedRun.set(config);
        status.set(resumeFrom == null ? "Starting: preparing data and network..." : "Resuming from " + resumeFrom.getFileName() + "...");
        String started = LocalDateTime.now().format(RunHistory.SHOWN);
        lastCheckpoint.set(null);
        lastResult.set(null);
        long t0 = System.nanoTime();
        BackgroundTask<TrainingResult> task = models.trainingTask(config, sources, dir, resumeFrom,
                new Listener(), cancelRequested::get);
        task.onSuccess(r -> finished(r, config, started, t0, null));
        task.onFailure(e -> finished(null, config, started, t0, e));
        executor.execute(task, p -> { });
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
            runs.rows().add(0, new RunRecord(started, c.architecture(), c.optimizer(), 0, 0, Double.NaN, Double.NaN, minutes, "failed", "",
                    c, new TrainingHistory()));
            return;
        }
        lastResult.set(r);
        // "Use trained model" loads the best epoch (lowest validation BCE); the scores shown are that epoch's.
        Path cp = r.bestCheckpoint() != null ? r.bestCheckpoint() : r.lastCheckpoint();
        lastCheckpoint.set(cp);
        TrainingHistory.Epoch best = RunHistory.bestEpoch(r.history());
        String outcome = r.status() == TrainingResult.Status.COMPLETED ? "completed" : "cancelled";
        runs.rows().add(0, new RunRecord(started, c.architecture(), c.optimizer(), r.metadata().epochs(), r.metadata().step(),
                best == null ? Double.NaN : best.valLoss(), best == null ? Double.NaN : best.valFmeasure(), minutes, outcome,
                cp == null ? "" : cp.toString(), c, r.history().copy()));
        saveSample(cp == null ? null : cp.getParent());
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
        if (cp == null || !Files.isRegularFile(cp)) {
            TrainingResult r = lastResult.get();
            if (r == null) {
                status.set("No trained model yet.");
                return;
            }
            // No checkpoint could be written: use the best epoch held in memory (File > Save model keeps it).
            // Copied on the model thread, not here; the status says what happened only once it has.
            status.set("Loading the trained network's best epoch...");
            models.use(r::bestModel, "trained (not saved)").whenComplete((m, e) -> executor.runOnUi(() ->
                    status.set(e == null ? "Now using the trained network's best epoch; save it with File > Save model."
                            : "Cannot use it: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()))));
            return;
        }
        models.load(cp).whenComplete((m, e) -> executor.runOnUi(() -> {
            if (e == null) {
                userSettings.rememberModel(cp); // the next start opens it again
            }
            status.set(e == null ? "Now using " + cp.getFileName() + " (the best epoch) everywhere." : "Cannot use it: " + e.getMessage());
        }));
    }

    /**
     * The settings of the run the charts show, so their axes follow the run and not the form (which is locked
     * while a run is active, and may be edited after it).
     */
    public javafx.beans.property.ReadOnlyObjectProperty<TrainingConfig> chartedRunProperty() {
        return chartedRun.getReadOnlyProperty();
    }

    /** Epochs the charts span: the charted run's, else the form's. */
    public int chartedEpochs() {
        return chartedRun.get() != null ? chartedRun.get().epochs() : settings.epochsProperty().get();
    }

    /** Steps the loss chart spans: the charted run's, else the form's. */
    public long chartedSteps() {
        TrainingConfig c = chartedRun.get();
        return c != null ? (long) c.stepsPerEpoch() * c.epochs()
                : (long) settings.stepsPerEpochProperty().get() * settings.epochsProperty().get();
    }

    /** Writes the last validation sample (noisy | output) beside the run's checkpoints, off the UI thread. */
    private void saveSample(Path runFolder) {
        GrayImage n = previewNoisy.get();
        GrayImage o = previewOutput.get();
        if (runFolder == null || n == null || o == null || n.height() != o.height()) {
            return;
        }
        executor.execute(BackgroundTask.of(() -> {
            GrayImage both = GrayImage.blank(n.width() + 4 + o.width(), n.height());
            for (int y = 0; y < n.height(); y++) {
                for (int x = 0; x < n.width(); x++) {
                    both.set(x, y, n.get(x, y));
                }
                for (int x = 0; x < o.width(); x++) {
                    both.set(n.width() + 4 + x, y, o.get(x, y));
                }
            }
            return org.inkwell.data.ImageFiles.writePng(both.toBufferedImage(), runFolder.resolve(RunRecord.SAMPLE),
                    org.inkwell.data.OutputPolicy.replacing(), 0);
        }));
    }

    /** A run's settings and scores as label/value rows, for the run's details. */
    public static List<String[]> details(RunRecord r) {
        List<String[]> rows = new java.util.ArrayList<>();
        TrainingConfig c = r.config();
        rows.add(new String[]{"Started", r.started()});
        rows.add(new String[]{"Outcome", r.outcome()});
        rows.add(new String[]{"Network", r.architecture()});
        rows.add(new String[]{"Optimizer", r.optimizer() + (c == null ? "" : String.format(Locale.ROOT, ", learning rate %s", c.learningRate()))});
        if (c != null) {
            rows.add(new String[]{"Batch", String.valueOf(c.batchSize())});
            rows.add(new String[]{"Epochs", r.epochs() + " of " + c.epochs() + " (" + c.stepsPerEpoch() + " steps each)"});
            rows.add(new String[]{"Images", c.inputSize() + " px, " + (c.patch() > 0 ? c.patch() + " px patches" : "whole images")
                    + ", shape " + c.preprocess() + (c.augment() ? ", augmented" : "")});
            rows.add(new String[]{"Noise", c.noise()});
            rows.add(new String[]{"Data", (c.dataSource() == null ? "built-in generator" : c.dataSource())
                    + ", seed " + c.dataSeed() + ", " + c.validationCount() + " validation images"});
        }
        rows.add(new String[]{"Best epoch", Double.isNaN(r.bestValBce()) ? "none"
                : String.format(Locale.ROOT, "validation BCE %.4f, F %.1f %%", r.bestValBce(), r.bestValF())});
        rows.add(new String[]{"Time", String.format(Locale.ROOT, "%.1f min", r.minutes())});
        rows.add(new String[]{"Model", r.checkpoint().isEmpty() ? "none written" : r.checkpoint()});
        return rows;
    }

    /** Reads a run's validation sample ({@link RunRecord#SAMPLE}) off the UI thread; null when it has none. */
    public void loadSample(RunRecord r, java.util.function.Consumer<GrayImage> done) {
        Path sample = r.checkpoint().isEmpty() ? null : Path.of(r.checkpoint()).resolveSibling(RunRecord.SAMPLE);
        BackgroundTask<GrayImage> task = BackgroundTask.of(() -> sample != null && Files.isRegularFile(sample)
                ? org.inkwell.data.ImageFiles.readGray(sample) : null);
        task.onSuccess(done::accept);
        task.onFailure(e -> done.accept(null));
        executor.execute(task);
    }

    /** Makes a run of the table the model every pane uses (its best epoch), as "Use trained model" does for the last. */
    public void useRun(RunRecord r) {
        if (running.get()) {
            status.set("A run is active: use a model once it has finished.");
            return;
        }
        if (r.checkpoint().isEmpty()) {
            status.set("That run wrote no model.");
            return;
        }
        Path cp = Path.of(r.checkpoint());
        status.set("Loading " + cp.getFileName() + " of the run started " + r.started() + "...");
        models.load(cp).whenComplete((m, e) -> executor.runOnUi(() -> {
            if (e == null) {
                userSettings.rememberModel(cp);
            }
            status.set(e == null ? "Now using the run started " + r.started() + " (" + cp.getFileName() + ") everywhere."
                    : "Cannot use it: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }));
    }

    /**
     * The window is closing: without a run, {@code exit} runs at once; during one, the user is asked, and a yes
     * cancels the run (which writes its checkpoint) and runs {@code exit} once it has ended. A no keeps training.
     */
    public void requestClose(Runnable exit) {
        if (!running.get()) {
            exit.run();
            return;
        }
        if (dialogs.confirm("Stop training and quit?",
                "A training run is in progress. Stop it now? Inkwell writes a checkpoint you can resume from.")) {
            running.addListener(new javafx.beans.value.ChangeListener<>() {
                @Override
                public void changed(javafx.beans.value.ObservableValue<? extends Boolean> o, Boolean was, Boolean now) {
                    if (!now) {
                        running.removeListener(this);
                        exit.run();
                    }
                }
            });
            cancel();
        }
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

    /** Receives trainer events on the training thread and hands them to the UI in coalesced batches. */
    private final class Listener implements TrainingListener {
        private RunProgress run;

        @Override
        public void started(TrainingConfig config, long startStep, long totalSteps, TrainingHistory history) {
            this.run = new RunProgress(startStep, totalSteps);
            List<Float> earlier = history.iterationLoss();
            for (int i = 0; i < earlier.size(); i++) {
                pendingIterations.add(new double[]{i + 1, earlier.get(i)});
            }
            List<TrainingHistory.Epoch> epochsSoFar = history.epochs();
            executor.runOnUi(() -> {
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
            pendingProgress.set(new double[]{run.fraction(step), run.etaSeconds(step), samplesPerSecond, epoch});
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
            executor.runOnUi(() -> {
                valLoss.add(new ChartPoint(e.epoch(), e.valLoss()));
                valF.add(new ChartPoint(e.epoch(), e.valFmeasure()));
            });
        }

        @Override
        public void preview(GrayImage noisy, GrayImage clean, GrayImage output) {
            GrayImage n = noisy.copy();
            GrayImage o = output.copy();
            executor.runOnUi(() -> {
                previewNoisy.set(n);
                previewOutput.set(o);
            });
        }

        @Override
        public void message(String text) {
            executor.runOnUi(() -> status.set(text));
        }
    }

    private void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            executor.runOnUi(this::flush);
        }
    }

    /** On the UI thread: drains queued iterations into the loss curve and updates progress and ETA. */
    void flush() {
        flushScheduled.set(false);
        List<double[]> steps = new ArrayList<>();
        for (double[] it; (it = pendingIterations.poll()) != null; ) {
            steps.add(it);
        }
        trainLoss.addAll(steps);
        double[] p = pendingProgress.getAndSet(null);
        if (p != null) {
            progress.set(p[0]);
            eta.set(Double.isNaN(p[1]) ? "" : "ETA " + RunProgress.formatDuration(p[1]));
            throughput.set(String.format(Locale.ROOT, "epoch %d, %.1f samples/s", (int) p[3], p[2]));
        }
    }

    // ---- properties

    public javafx.beans.property.ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyBooleanProperty pausedProperty() {
        return paused.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyStringProperty etaProperty() {
        return eta.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyStringProperty throughputProperty() {
        return throughput.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ObservableList<ChartPoint> trainLoss() {
        return trainLoss.points();
    }

    public ObservableList<ChartPoint> valLoss() {
        return valLossView;
    }

    public ObservableList<ChartPoint> valF() {
        return valFView;
    }

    public javafx.beans.property.ReadOnlyObjectProperty<GrayImage> previewNoisyProperty() {
        return previewNoisy.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyObjectProperty<GrayImage> previewOutputProperty() {
        return previewOutput.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyObjectProperty<Path> lastCheckpointProperty() {
        return lastCheckpoint.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyObjectProperty<TrainingResult> lastResultProperty() {
        return lastResult.getReadOnlyProperty();
    }
}
