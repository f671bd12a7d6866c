package org.inkwell.ui.service;

import org.inkwell.ui.task.BackgroundTask;
import org.inkwell.ui.task.LatestOnly;
import org.inkwell.ui.task.TaskExecutor;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.inkwell.data.GrayImage;
import org.inkwell.data.SignatureSource;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.model.KerasImport;
import org.inkwell.model.ModelStore;
import org.inkwell.train.Trainer;
import org.inkwell.model.TrainingConfig;
import org.inkwell.train.TrainingListener;
import org.inkwell.train.TrainingResult;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * The one owner of the current network. Every DL4J call on it runs on this service's single model thread
 * (networks are not thread-safe); training builds its own network on a separate training thread, so cleaning
 * images in Compare keeps working while a run is in progress. Results cross threads only as copied images.
 * <p>Longer than most classes: every operation on the one network (load, clean, preview, embed, save) must go
 * through the same thread, so they live together.
 */
public final class ModelService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelService.class);
    private final TaskExecutor ui;
    private final Executor modelThread;
    private final Executor batchThread;
    private final ReadOnlyStringWrapper modelName = new ReadOnlyStringWrapper("loading model...");
    private final ReadOnlyStringWrapper modelDetails = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper ready = new ReadOnlyBooleanWrapper(false);
    /** Share of the tiles of the scan being cleaned that are done; -1 when no tiled cleaning runs. */
    private final javafx.beans.property.ReadOnlyDoubleWrapper tileProgress = new javafx.beans.property.ReadOnlyDoubleWrapper(-1);
    /** The newest preview request: its input is made on the model thread too (noise on a large scan is not free). */
    private final LatestOnly<java.util.function.Supplier<GrayImage>, Preview> preview;
    private ModelStore.StoredModel current; // touched only on the model thread
    private org.inkwell.model.Cleaner cleaner; // ditto: the network, its input preparation, the bundled specialists

    private final Activity activity;

    /** Takes its model thread (and the training batch producer's) from {@code ui}, so tests can run it all inline. */
    public ModelService(TaskExecutor ui) {
        this.ui = ui;
        this.modelThread = ui.confinedThread("inkwell-model");
        this.batchThread = ui.confinedThread("inkwell-batches");
        this.activity = new Activity(ui);
        this.preview = new LatestOnly<>(modelThread, makeInput -> {
            GrayImage in = makeInput.get();
            GrayImage probs = reconstructNow(in);
            return new Preview(in, probs, cleaner.lastEngine());
        });
    }

    public ReadOnlyStringProperty modelNameProperty() {
        return modelName.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty modelDetailsProperty() {
        return modelDetails.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty readyProperty() {
        return ready.getReadOnlyProperty();
    }

    /** What the app is doing now, for the status bar and busy indicators. */
    public Activity activity() {
        return activity;
    }


    public CompletableFuture<ModelStore.StoredModel> loadBundled() {
        return install(() -> ModelStore.loadBundled(), "bundled model");
    }

    public CompletableFuture<ModelStore.StoredModel> load(Path zip) {
        return install(() -> ModelStore.load(zip, false), zip.getFileName().toString());
    }

    public CompletableFuture<ModelStore.StoredModel> importKeras(Path hdf5) {
        return install(() -> KerasImport.importSeed(hdf5), hdf5.getFileName() + " (Keras)");
    }

    /**
     * The model of an earlier session again: a Keras file the user imported is imported again, anything else is
     * opened as a model zip.
     */
    public CompletableFuture<ModelStore.StoredModel> reopen(Path model) {
        String name = model.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".hdf5") || name.endsWith(".h5") ? importKeras(model) : load(model);
    }

    /** Makes an already loaded network current (e.g. the result of a training run). */
    public CompletableFuture<ModelStore.StoredModel> use(ModelStore.StoredModel model, String name) {
        return install(() -> model, name);
    }

    /** Makes the network {@code make} builds current; it runs on the model thread (copying a network is not free). */
    public CompletableFuture<ModelStore.StoredModel> use(Callable<ModelStore.StoredModel> make, String name) {
        return install(make, name);
    }

    public CompletableFuture<Void> save(Path zip) {
        return onModelThread("Saving the model to " + zip.getFileName(), () -> {
            requireModel();
            // The save dialog asked before replacing an existing file.
            ModelStore.save(zip, current.net(), current.metadata(), current.history(), false,
                    org.inkwell.data.OutputPolicy.replacing());
            return null;
        });
    }

    /** Writes the current network as an ONNX model (see {@link org.inkwell.model.OnnxExport}), on the model thread. */
    public CompletableFuture<Path> exportOnnx(Path file) {
        return onModelThread("Exporting the model to " + file.getFileName(), () -> {
            requireModel();
            // The save dialog asked before replacing an existing file; the model itself is never the output.
            org.inkwell.data.OutputPolicy policy = org.inkwell.data.OutputPolicy.replacing();
            if (current.source() != null && !current.source().equals("bundled")) {
                try {
                    policy.protect(Path.of(current.source()));
                } catch (java.nio.file.InvalidPathException e) {
                    // A description, not a file.
                }
            }
            return org.inkwell.model.OnnxExport.write(current, file, policy);
        });
    }

    /** The ink-probability map for a grey scan or binary image, computed on the model thread. */
    public CompletableFuture<GrayImage> reconstruct(GrayImage input) {
        GrayImage copy = input.copy();
        return onModelThread(String.format(java.util.Locale.ROOT, "Cleaning an image (%d x %d)", copy.width(), copy.height()),
                () -> reconstructNow(copy));
    }

    /** An input made for a preview, the model's ink probabilities for it, and what ran it ("oneDNN plan, bfloat16"). */
    public record Preview(GrayImage input, GrayImage probabilities, String engine) {
    }

    /**
     * Like {@link #reconstruct} for interactive previews: only the newest request runs, stale ones are dropped.
     * {@code makeInput} runs on the model thread, so it must only read images nobody changes.
     */
    public void reconstructLatest(java.util.function.Supplier<GrayImage> makeInput, java.util.function.Consumer<Preview> onResult,
                                  java.util.function.Consumer<Throwable> onError) {
        reconstructLatest("Cleaning the image", makeInput, onResult, onError);
    }

    /** As above, shown in the status bar as {@code description} until the newest request is done. */
    public void reconstructLatest(String description, java.util.function.Supplier<GrayImage> makeInput,
                                  java.util.function.Consumer<Preview> onResult, java.util.function.Consumer<Throwable> onError) {
        Activity.Job job = activity.begin(description);
        synchronized (previewJobs) {
            previewJobs.add(job);
        }
        // A dropped (stale) request ends its job when the newer one finishes: the status stays busy until then.
        // The result and the end of the job reach the UI in one step, so the status never lags the picture.
        preview.submit(makeInput, r -> ui.runOnUi(() -> {
            onResult.accept(r);
            endPreviewJobsThrough(job);
        }), e -> ui.runOnUi(() -> {
            onError.accept(e);
            endPreviewJobsThrough(job);
        }));
    }

    private final java.util.List<Activity.Job> previewJobs = new java.util.ArrayList<>();

    /** Ends {@code done} and the older requests it replaced; newer ones still waiting keep the status busy. */
    private void endPreviewJobsThrough(Activity.Job done) {
        synchronized (previewJobs) {
            int i = previewJobs.indexOf(done);
            for (int k = 0; k <= i; k++) {
                previewJobs.remove(0).end();
            }
        }
    }

    /** Bottleneck features (each channel on a 7x7 grid) of equally sized images, computed on the model thread. */
    public CompletableFuture<float[][]> embed(java.util.List<GrayImage> images) {
        java.util.List<GrayImage> copies = images.stream().map(GrayImage::copy).toList();
        return onModelThread("Computing encoder features of " + copies.size() + " signatures", () -> {
            requireModel();
            return org.inkwell.model.Embeddings.embed(cleaner.featuresNet(), copies, org.inkwell.model.Embeddings.Pool.GRID);
        });
    }

    /** Probabilities for a grey scan or a binary image, prepared as the current network reads its input. */
    private GrayImage reconstructNow(GrayImage scan) {
        requireModel();
        if (cleaner.tilesFor(scan.width(), scan.height()) == 1) {
            return cleaner.reconstruct(scan);
        }
        try {
            return cleaner.reconstruct(scan, (done, total) -> {
                double share = done / (double) total;
                ui.runOnUi(() -> tileProgress.set(share));
            });
        } finally {
            ui.runOnUi(() -> tileProgress.set(-1));
        }
    }

    public javafx.beans.property.ReadOnlyDoubleProperty tileProgressProperty() {
        return tileProgress.getReadOnlyProperty();
    }

    private void requireModel() {
        if (cleaner == null) {
            throw new IllegalStateException("no model is loaded: open a model or train one first");
        }
    }

    /**
     * A training run as a background task. The run builds and owns its own network for its whole length (one
     * thread, never shared), so the current model keeps serving Compare meanwhile. {@code resumeFrom} may be null.
     */
    public BackgroundTask<TrainingResult> trainingTask(TrainingConfig config,
                                                       java.util.concurrent.Callable<SignatureSource[]> trainAndValidation,
                                                       Path checkpointDir, Path resumeFrom,
                                                       TrainingListener listener, BooleanSupplier cancelled) {
        return new BackgroundTask<>() {
            @Override
            protected TrainingResult call() throws Exception {
                Activity.Job job = activity.begin("Training " + config.architecture() + " (" + config.epochs() + " epochs)");
                try {
                    Dl4jRuntime.init();
                    SignatureSource[] data = trainAndValidation.call();
                    Trainer trainer = new Trainer(config, data[0], data[1], checkpointDir).keeping(resumeFrom).producingBatchesOn(batchThread);
                    return resumeFrom == null ? trainer.run(listener, () -> cancelled.getAsBoolean() || isCancelled())
                            : trainer.resume(ModelStore.load(resumeFrom, true), listener,
                            () -> cancelled.getAsBoolean() || isCancelled());
                } finally {
                    job.end();
                }
            }
        };
    }

    private CompletableFuture<ModelStore.StoredModel> install(Callable<ModelStore.StoredModel> loader, String name) {
        return onModelThread("Loading " + name, () -> {
            if (current == null && cleaner == null) {
                // The first load starts ND4J: the log says which backend and device the workbench runs on.
                LOG.info("ND4J backend: {}", Dl4jRuntime.backend());
            }
            Dl4jRuntime.init();
            ModelStore.StoredModel m;
            try {
                m = loader.call();
            } catch (Exception e) {
                if (current == null) {
                    String why = e.getMessage();
                    ui.runOnUi(() -> {
                        modelName.set("no model");
                        modelDetails.set(why);
                    });
                }
                throw e;
            }
            org.inkwell.model.Cleaner previous = cleaner;
            cleaner = org.inkwell.model.Cleaner.of(m);
            if (previous != null) {
                previous.close(); // its inference plans hold native memory
            }
            current = m;
            String details = m.metadata() == null ? "DL4J model" : describe(m);
            ui.runOnUi(() -> {
                modelName.set(name);
                modelDetails.set(details);
                ready.set(true);
            });
            return m;
        });
    }

    /**
     * Makes the current model's forward engines again under the engine setting now in force (Preferences changed it);
     * completes with what now runs the forward pass.
     */
    public CompletableFuture<String> refreshEngines() {
        return onModelThread("Switching engines", () -> {
            if (current == null) {
                return "no model loaded yet";
            }
            org.inkwell.model.Cleaner previous = cleaner;
            cleaner = org.inkwell.model.Cleaner.of(current);
            if (previous != null) {
                previous.close();
            }
            return cleaner.denoiserFor(false).engine().label();
        });
    }

    static String describe(ModelStore.StoredModel m) {
        var md = m.metadata();
        if ("bundled".equals(m.source())) {
            // Its training figures (the last fine-tune's epochs, F on a validation mix of every family at every level)
            // say little to a user; what it is made of does. Its quality is in the README.
            java.util.List<String> specialists = new java.util.ArrayList<>();
            if (ModelStore.hasBundledBinary()) {
                specialists.add("black-and-white");
            }
            if (ModelStore.hasBundledPepper()) {
                specialists.add("pepper");
            }
            return md.architecture() + " scan network" + (specialists.isEmpty() ? ""
                    : ", with " + String.join(" and ", specialists) + " specialist" + (specialists.size() > 1 ? "s" : ""));
        }
        StringBuilder sb = new StringBuilder(md.architecture()).append(" network");
        if (md.epochs() > 0) {
            sb.append(", ").append(md.epochs()).append(" epochs");
        }
        Double f = md.metrics() == null ? null : md.metrics().get("val_fmeasure");
        if (f != null) {
            sb.append(String.format(java.util.Locale.ROOT, ", validation F %.1f%%", f));
        }
        return sb.toString();
    }

    private <T> CompletableFuture<T> onModelThread(String description, Callable<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Activity.Job job = activity.begin(description);
        modelThread.execute(() -> {
            try {
                f.complete(work.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            } finally {
                job.end();
            }
        });
        return f;
    }
}
