package org.inkwell.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.BatchIterator;
import org.inkwell.data.IoMessages;
import org.inkwell.data.PairBatch;
import org.inkwell.data.PreparedImages;
import org.inkwell.data.SignatureSource;
import org.inkwell.data.TrainingPair;
import org.inkwell.model.ModelLoadException;
import org.inkwell.model.ModelMetadata;
import org.inkwell.model.ModelStore;
import org.inkwell.model.TrainingConfig;
import org.inkwell.model.TrainingHistory;
import org.inkwell.model.Version;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.runtime.NativeAllocator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Trains a denoiser the way the seed did (fresh noisy pairs every batch): the run loop, with validation after
 * every epoch, checkpoints ({@link CheckpointStore}) and resume. Runs on the calling thread, which owns the
 * network for the duration; batches are built ahead on the producer thread.
 */
public final class Trainer {
    private final TrainingConfig config;
    private final SignatureSource train;
    private final SignatureSource validation;
    private final Path checkpointDir;
    private final String dataDescription;
    private Path keep;
    private Executor batchProducer;
    /** The run this trainer's checkpoints belong to; set when a run starts or resumes. */
    private String runId;

    public Trainer(TrainingConfig config, SignatureSource train, SignatureSource validation, Path checkpointDir) {
        this.config = config;
        this.train = train;
        this.validation = validation;
        this.checkpointDir = checkpointDir;
        this.dataDescription = train.description();
    }

    /** A checkpoint that rotation must never delete, e.g. the one this run resumed from. */
    public Trainer keeping(Path checkpoint) {
        this.keep = checkpoint;
        return this;
    }

    /** Where batches are built ahead (the workbench's own thread; inline in tests); by default a thread per run. */
    public Trainer producingBatchesOn(Executor producer) {
        this.batchProducer = producer;
        return this;
    }

    public ComputationGraph newNetwork() {
        return networkFor(config);
    }

    /** A fresh network of {@code config}'s architecture, optimizer and initial seed. */
    public static ComputationGraph networkFor(TrainingConfig config) {
        Dl4jRuntime.init();
        return config.arch().build(config.pairSpec().sampleSide(), TrainingStep.updater(config), config.initSeed());
    }

    /** Trains a fresh network. */
    public TrainingResult run(TrainingListener listener, BooleanSupplier cancelled) throws IOException, InterruptedException {
        runId = CheckpointStore.newRunId();
        return run(newNetwork(), new TrainingHistory(), 0, listener, cancelled);
    }

    /**
     * Trains a fresh network of this config's architecture that starts from {@code from}'s weights (e.g. the
     * imported seed model, or the bundled one on new noise); the optimizer and step count start anew.
     */
    public TrainingResult fineTune(ModelStore.StoredModel from, TrainingListener listener, BooleanSupplier cancelled)
            throws IOException, InterruptedException {
        ComputationGraph net = newNetwork();
        if (net.numParams() != from.net().numParams()) {
            throw new ModelLoadException(from.source() + ": its network does not match the " + config.architecture()
                    + " architecture; pass --arch " + (from.metadata() == null ? "..." : from.metadata().architecture()));
        }
        net.setParams(from.net().params().dup());
        listener.message("fine-tuning from " + from.source());
        runId = CheckpointStore.newRunId();
        return run(net, new TrainingHistory(), 0, listener, cancelled);
    }

    /** Continues from a checkpoint written by this class: weights, optimizer state, step and history. */
    public TrainingResult resume(ModelStore.StoredModel from, TrainingListener listener, BooleanSupplier cancelled)
            throws IOException, InterruptedException {
        if (from.metadata() == null) {
            throw new ModelLoadException(from.source() + ": has no Inkwell training metadata, cannot resume from it");
        }
        if (from.net().getUpdater() == null || from.net().getUpdater().getStateViewArray() == null) {
            listener.message("checkpoint has no optimizer state: momentum restarts from zero");
        }
        long total = (long) config.stepsPerEpoch() * config.epochs();
        if (from.metadata().step() > total) {
            throw new ModelLoadException(from.source() + ": says step " + from.metadata().step() + ", beyond the "
                    + total + " steps of its run (damaged or forged)");
        }
        listener.message("resuming from " + from.source() + " at step " + from.metadata().step());
        runId = keep != null ? CheckpointStore.runIdOf(keep, from.metadata())
                : from.metadata().runId() != null ? from.metadata().runId() : CheckpointStore.newRunId();
        return run(from.net(), from.history().copy(), from.metadata().step(), listener, cancelled);
    }

    private TrainingResult run(ComputationGraph net, TrainingHistory history, long startStep,
                               TrainingListener listener, BooleanSupplier cancelled) throws IOException, InterruptedException {
        int microBatch = config.microBatch();
        MemoryBudget.check(config, net, microBatch, train.size());
        try (CheckpointStore store = new CheckpointStore(checkpointDir, keep)) {
            store.open(runId);
            return run(store, net, history, startStep, microBatch, listener, cancelled);
        }
    }

    private TrainingResult run(CheckpointStore store, ComputationGraph net, TrainingHistory history, long startStep,
                               int microBatch, TrainingListener listener, BooleanSupplier cancelled)
            throws IOException, InterruptedException {
        long totalSteps = (long) config.stepsPerEpoch() * config.epochs();
        listener.started(config, startStep, totalSteps, history);
        PreparedImages prepared = new PreparedImages(train, config.pairSpec().mode(), config.inputSize());
        List<TrainingPair> valPairs = Validation.pairs(config, validation);
        int side = config.pairSpec().sampleSide();
        long pixels = (long) side * side;
        Path last = null;
        Path best = startStep > 0 ? store.earlierBest(runId, startStep, listener::message) : null;
        ModelMetadata meta = metadata(0, startStep, Map.of());
        TrainingResult.Snapshot bestSnapshot = best == null ? null : CheckpointStore.snapshotOf(best);
        long step = startStep;
        try (OptimizerStep trainingStep = new OptimizerStep(net, listener::message);
             BatchIterator batches = new BatchIterator(prepared, config.pairSpec(), config.batchSize(), config.dataSeed(),
                startStep, MemoryBudget.PREFETCH, batchProducer)) {
            listener.message("training engine: " + trainingStep.engine());
            long t0 = System.nanoTime();
            long samples = 0;
            try {
            while (step < totalSteps) {
                int epoch = (int) (step / config.stepsPerEpoch());
                double epochLossSum = 0;
                int epochLossCount = 0;
                long epochStart = System.nanoTime();
                while (step < (long) (epoch + 1) * config.stepsPerEpoch()) {
                    if (cancelled.getAsBoolean()) {
                        meta = metadata(epoch, step, lastMetrics(history));
                        Path p;
                        try {
                            p = store.saveInterrupted(net, meta, history);
                            listener.message("cancelled at step " + step + "; checkpoint " + p);
                        } catch (IOException ioe) {
                            // The run is still returned: the caller writes the model from memory.
                            p = null;
                            listener.message("cancelled at step " + step + "; the checkpoint could not be written ("
                                    + IoMessages.plain(ioe) + ")");
                        }
                        return new TrainingResult(TrainingResult.Status.CANCELLED, net, meta, history, p, best, bestSnapshot);
                    }
                    PairBatch b = batches.next();
                    INDArray x = Nd4j.create(b.noisy(), new long[]{b.count(), 1, side, side}, 'c');
                    INDArray y = Nd4j.create(b.clean(), new long[]{b.count(), 1, side, side}, 'c');
                    double loss = trainingStep.fit(x, y, microBatch) / pixels;
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException("training diverged at step " + step
                                + " (loss is " + loss + "); lower the learning rate");
                    }
                    step++;
                    samples += b.count();
                    history.addIteration(loss);
                    epochLossSum += loss;
                    epochLossCount++;
                    double elapsed = (System.nanoTime() - t0) / 1e9;
                    listener.iteration(epoch + 1, step, loss, samples / Math.max(elapsed, 1e-9));
                }
                Validation val = Validation.of(net, valPairs);
                if (val.firstOutput() != null) {
                    listener.preview(valPairs.get(0).noisy(), valPairs.get(0).clean(), val.firstOutput());
                }
                TrainingHistory.Epoch e = new TrainingHistory.Epoch(epoch + 1, step, epochLossSum / Math.max(1, epochLossCount),
                        val.bce(), val.fmeasure(), (System.nanoTime() - epochStart) / 1e9);
                boolean isBest = val.bce() < history.bestValLoss();
                history.addEpoch(e);
                meta = metadata(epoch + 1, step, metrics(val.bce(), val.fmeasure(), e.trainLoss()));
                // Kept in memory before any file is written: the final model must not depend on the checkpoint folder.
                if (isBest || bestSnapshot == null || Double.isNaN(val.bce())) {
                    bestSnapshot = new TrainingResult.Snapshot(net.params().dup(), meta, history.copy());
                }
                Path written;
                try {
                    written = store.saveEpoch(epoch + 1, isBest, net, meta, history);
                    last = written;
                    if (isBest) {
                        best = store.best();
                    }
                } catch (IOException ioe) {
                    // Disk full or folder gone: the network and its history stay in memory and training goes on;
                    // the caller can still save the result elsewhere.
                    written = null;
                    listener.message("cannot write the checkpoint for epoch " + (epoch + 1) + " to " + checkpointDir
                            + " (" + IoMessages.plain(ioe) + "); training continues in memory");
                }
                listener.epochFinished(e, written);
            }
            } catch (RuntimeException | Error e) {
                throw stopped(e, store, net, history, step, startStep, listener);
            }
        } finally {
            // The tuned allocator keeps freed activation buffers for the next step; give them back once training stops.
            NativeAllocator.releaseFreeMemory();
        }
        return new TrainingResult(TrainingResult.Status.COMPLETED, net, meta, history, last, best, bestSnapshot);
    }

    /**
     * A run that failed mid-way (out of memory, a crashed batch thread, a native error): the steps done since the
     * last checkpoint are saved as {@value CheckpointStore#INTERRUPTED} when the network is still sound, and the
     * error becomes one line that says how to continue. A diverged network is not saved (resuming it diverges again).
     */
    private RuntimeException stopped(Throwable e, CheckpointStore store, ComputationGraph net, TrainingHistory history,
                                     long step, long startStep, TrainingListener listener) {
        String why = e instanceof OutOfMemoryError ? "out of memory (try a smaller --batch or --micro-batch)"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (why.startsWith("training diverged") || step <= startStep) {
            return e instanceof RuntimeException r ? r : new IllegalStateException(why, e);
        }
        String saved;
        try {
            int epoch = (int) (step / config.stepsPerEpoch());
            Path p = store.saveInterrupted(net, metadata(epoch, step, lastMetrics(history)), history);
            saved = "the steps so far are in " + p + ": continue with --resume " + p;
        } catch (IOException | RuntimeException | Error again) {
            saved = "no checkpoint could be written (" + (again.getMessage() == null ? again.getClass().getSimpleName()
                    : again.getMessage()) + "); the last epoch checkpoint in " + checkpointDir + " is whole";
        }
        listener.message("training stopped at step " + step + ": " + why);
        return new IllegalStateException("training stopped at step " + step + ": " + why + "; " + saved, e);
    }

    private static Map<String, Double> lastMetrics(TrainingHistory h) {
        List<TrainingHistory.Epoch> es = h.epochs();
        if (es.isEmpty()) {
            return Map.of();
        }
        TrainingHistory.Epoch e = es.get(es.size() - 1);
        return metrics(e.valLoss(), e.valFmeasure(), e.trainLoss());
    }

    /** The metrics a model file records; scores that do not exist (no validation images: NaN) are left out. */
    public static Map<String, Double> metrics(double valBce, double valFmeasure, double trainBce) {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        if (Double.isFinite(valBce)) {
            m.put("val_bce", valBce);
        }
        if (Double.isFinite(valFmeasure)) {
            m.put("val_fmeasure", valFmeasure);
        }
        if (Double.isFinite(trainBce)) {
            m.put("train_bce", trainBce);
        }
        return m;
    }

    ModelMetadata metadata(int epochs, long step, Map<String, Double> metrics) {
        return metadataFor(config, dataDescription, epochs, step, metrics).withRunId(runId);
    }

    /** The run this trainer's checkpoints belong to (null before a run starts). */
    public String runId() {
        return runId;
    }

    /** What a checkpoint of a run of {@code config} records after {@code epochs} epochs and {@code step} steps. */
    public static ModelMetadata metadataFor(TrainingConfig config, String dataDescription, int epochs, long step,
                                            Map<String, Double> metrics) {
        return new ModelMetadata(ModelMetadata.FORMAT_VERSION, Version.get(), config.architecture(), config.inputSize(),
                config.preprocess(), config.patch(), config.noise(), config.dataSeed(), dataDescription, epochs, step,
                new HashMap<>(metrics), config, null, Instant.now().toString());
    }
}
