package org.inkwell.train;

import org.inkwell.model.TrainingConfig;
import org.inkwell.model.TrainingHistory;

import org.inkwell.eval.Metrics;
import org.inkwell.model.Denoiser;
import org.inkwell.model.ModelLoadException;
import org.inkwell.model.ModelMetadata;
import org.inkwell.model.ModelStore;
import org.inkwell.model.Version;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.runtime.NativeAllocator;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.BatchIterator;
import org.inkwell.data.GrayImage;
import org.inkwell.data.PairBatch;
import org.inkwell.data.PreparedImages;
import org.inkwell.data.SignatureSource;
import org.inkwell.data.TrainingPair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Trains a denoiser the way the seed did (fresh noisy pairs every batch), with validation, atomic checkpoints
 * per epoch (the last {@value #KEEP_LAST} and the best are kept) and resume. Runs on the calling thread: the
 * caller owns the network for the duration.
 */
public final class Trainer {
    public static final int KEEP_LAST = 3;
    public static final String BEST = "best.zip";
    public static final String INTERRUPTED = "interrupted.zip";
    private static final int VALIDATION_BATCH = 8;

    private final TrainingConfig config;
    private final SignatureSource train;
    private final SignatureSource validation;
    private final Path checkpointDir;
    private final String dataDescription;
    private Path keep;

    public Trainer(TrainingConfig config, SignatureSource train, SignatureSource validation, Path checkpointDir) {
        this.config = config;
        this.train = train;
        this.validation = validation;
        this.checkpointDir = checkpointDir;
        this.dataDescription = train.description();
    }

    /**
     * Samples per forward/backward pass when a step is split (gradient accumulation). A pass whose 224x224
     * activations outgrow the CPU's caches is slow per sample: one batch of 32 took 12-14 s per step, four of 8
     * took 2.8-4 s (with {@link NativeAllocator} tuned; 16 per pass 4.2 s, 4 per pass 4.1 s).
     */
    static final long MICRO_BATCH_PIXELS = 8L * 224 * 224;

    /** One optimizer step on the whole batch, as {@code fit} does; returns DL4J's score (sum over pixels, mean over samples). */
    public static double fitStep(ComputationGraph net, INDArray x, INDArray y) {
        net.fit(new DataSet(x, y));
        return net.score();
    }

    /**
     * One optimizer step over {@code x}, computed in micro-batches of at most {@code micro} samples whose gradients
     * are summed before the single update (BatchNorm then normalises over each micro-batch). {@code micro <= 0}
     * or {@code micro >= batch} is a plain full-batch step.
     */
    public static double fitStep(ComputationGraph net, INDArray x, INDArray y, int micro) {
        long n = x.size(0);
        if (micro <= 0 || micro >= n) {
            return fitStep(net, x, y);
        }
        INDArray accumulated = null;
        double score = 0;
        int parts = 0;
        for (long s = 0; s < n; s += micro) {
            long e = Math.min(n, s + micro);
            INDArray xs = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(s, e)).dup();
            INDArray ys = y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(s, e)).dup();
            net.setInputs(xs);
            net.setLabels(ys);
            net.computeGradientAndScore();
            score += net.score() * (e - s);
            INDArray g = net.getFlattenedGradients();
            if (accumulated == null) {
                accumulated = g.dup();
            } else {
                accumulated.addi(g);
            }
            parts++;
        }
        net.getFlattenedGradients().assign(accumulated);
        org.deeplearning4j.nn.gradient.Gradient gradient = net.gradient();
        // BatchNorm's running mean and variance move by one step per optimizer step, not one per micro-batch.
        for (var entry : gradient.gradientForVariable().entrySet()) {
            if (entry.getKey().endsWith("_mean") || entry.getKey().endsWith("_var")) {
                entry.getValue().divi(parts);
            }
        }
        var conf = net.getConfiguration();
        net.getUpdater().update(gradient, conf.getIterationCount(), conf.getEpochCount(), (int) n,
                org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        net.params().subi(net.getFlattenedGradients().reshape(net.params().shape()));
        conf.setIterationCount(conf.getIterationCount() + 1);
        net.clearLayersStates();
        return score / n;
    }

    /**
     * The micro-batch that keeps a pass over {@code side x side} samples cache-sized: 8 at 224, 43 at 96 (so the
     * default patch training is never split). The workbench trains this way; the CLI splits only when asked.
     */
    public static int autoMicroBatch(int side) {
        return (int) Math.max(1, MICRO_BATCH_PIXELS / ((long) side * side));
    }

    /** A checkpoint that rotation must never delete, e.g. the one this run resumed from. */
    public Trainer keeping(Path checkpoint) {
        this.keep = checkpoint;
        return this;
    }

    /** The optimizer in DL4J's units: DL4J sums the loss over pixels where Keras averages, so SGD's rate is divided. */
    public static IUpdater updater(TrainingConfig c) {
        int side = c.pairSpec().sampleSide();
        if (c.optimizer().equals(TrainingConfig.ADAM)) {
            return new Adam(c.learningRate());
        }
        double perPixelRate = c.learningRate() / ((double) side * side);
        // Keras' legacy decay: lr / (1 + 1e-6 * iterations).
        return new Nesterovs(new InverseSchedule(ScheduleType.ITERATION, perPixelRate, 1e-6, 1.0), 0.99);
    }

    public ComputationGraph newNetwork() {
        Dl4jRuntime.init();
        return config.arch().build(config.pairSpec().sampleSide(), updater(config), config.initSeed());
    }

    /** Trains a fresh network. */
    public TrainingResult run(TrainingListener listener, BooleanSupplier cancelled) throws IOException, InterruptedException {
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
        listener.message("resuming from " + from.source() + " at step " + from.metadata().step());
        return run(from.net(), from.history().copy(), from.metadata().step(), listener, cancelled);
    }

    private TrainingResult run(ComputationGraph net, TrainingHistory history, long startStep,
                               TrainingListener listener, BooleanSupplier cancelled) throws IOException, InterruptedException {
        int microBatch = config.microBatch();
        checkMemory(config, net, microBatch);
        try {
            Files.createDirectories(checkpointDir);
        } catch (IOException e) {
            throw new IOException("cannot create the checkpoint folder " + checkpointDir + " (" + e.getMessage()
                    + "); choose another folder", e);
        }
        removeStaleTempFiles();
        long totalSteps = (long) config.stepsPerEpoch() * config.epochs();
        listener.started(config, startStep, totalSteps, history);
        PreparedImages prepared = new PreparedImages(train, config.pairSpec().mode(), config.inputSize());
        List<TrainingPair> valPairs = validationPairs();
        int side = config.pairSpec().sampleSide();
        long pixels = (long) side * side;
        Path last = null;
        Path best = startStep > 0 ? earlierBest() : null;
        ModelMetadata meta = metadata(0, startStep, Map.of());
        TrainingResult.Snapshot bestSnapshot = best == null ? null : snapshotOf(best);
        long step = startStep;
        try (BatchIterator batches = new BatchIterator(prepared, config.pairSpec(), config.batchSize(), config.dataSeed(), startStep, 3)) {
            long t0 = System.nanoTime();
            long samples = 0;
            while (step < totalSteps) {
                int epoch = (int) (step / config.stepsPerEpoch());
                double epochLossSum = 0;
                int epochLossCount = 0;
                long epochStart = System.nanoTime();
                while (step < (long) (epoch + 1) * config.stepsPerEpoch()) {
                    if (cancelled.getAsBoolean()) {
                        meta = metadata(epoch, step, lastMetrics(history));
                        Path p = checkpointDir.resolve(INTERRUPTED);
                        try {
                            ModelStore.save(p, net, meta, history, true);
                            listener.message("cancelled at step " + step + "; checkpoint " + p);
                        } catch (IOException ioe) {
                            // The run is still returned: the caller writes the model from memory.
                            p = null;
                            listener.message("cancelled at step " + step + "; the checkpoint could not be written ("
                                    + org.inkwell.data.IoMessages.plain(ioe) + ")");
                        }
                        return new TrainingResult(TrainingResult.Status.CANCELLED, net, meta, history, p, best, bestSnapshot);
                    }
                    PairBatch b = batches.next();
                    INDArray x = Nd4j.create(b.noisy(), new long[]{b.count(), 1, side, side}, 'c');
                    INDArray y = Nd4j.create(b.clean(), new long[]{b.count(), 1, side, side}, 'c');
                    double loss = fitStep(net, x, y, microBatch) / pixels;
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
                Validation val = validate(net, valPairs);
                if (val.firstOutput() != null) {
                    listener.preview(valPairs.get(0).noisy(), valPairs.get(0).clean(), val.firstOutput());
                }
                TrainingHistory.Epoch e = new TrainingHistory.Epoch(epoch + 1, step, epochLossSum / Math.max(1, epochLossCount),
                        val.bce(), val.fmeasure(), (System.nanoTime() - epochStart) / 1e9);
                boolean isBest = val.bce() < history.bestValLoss();
                history.addEpoch(e);
                meta = metadata(epoch + 1, step, Map.of("val_bce", val.bce(), "val_fmeasure", val.fmeasure(), "train_bce", e.trainLoss()));
                // Kept in memory before any file is written: the final model must not depend on the checkpoint folder.
                if (isBest || bestSnapshot == null || Double.isNaN(val.bce())) {
                    bestSnapshot = new TrainingResult.Snapshot(net.params().dup(), meta, history.copy());
                }
                Path written = checkpointDir.resolve(String.format("epoch-%03d.zip", epoch + 1));
                try {
                    ModelStore.save(written, net, meta, history, true);
                    last = written;
                    if (isBest) {
                        best = checkpointDir.resolve(BEST);
                        copyAtomically(last, best);
                    }
                    pruneCheckpoints(written);
                    Files.deleteIfExists(checkpointDir.resolve(INTERRUPTED));
                } catch (IOException ioe) {
                    // Disk full or folder gone: the network and its history stay in memory and training goes on;
                    // the caller can still save the result elsewhere.
                    written = null;
                    listener.message("cannot write the checkpoint for epoch " + (epoch + 1) + " to " + checkpointDir
                            + " (" + org.inkwell.data.IoMessages.plain(ioe) + "); training continues in memory");
                }
                listener.epochFinished(e, written);
            }
        } finally {
            // The tuned allocator keeps freed activation buffers for the next step; give them back once training stops.
            NativeAllocator.releaseFreeMemory();
        }
        return new TrainingResult(TrainingResult.Status.COMPLETED, net, meta, history, last, best, bestSnapshot);
    }

    /**
     * A resumed run's best so far: best.zip in this run's folder, or beside the checkpoint it resumed from (copied
     * here, so the best of the whole run stays one file). Null when there is none.
     */
    private Path earlierBest() {
        Path here = checkpointDir.resolve(BEST);
        if (Files.isRegularFile(here)) {
            return here;
        }
        Path there = keep == null ? null : keep.toAbsolutePath().resolveSibling(BEST);
        if (there != null && Files.isRegularFile(there)) {
            try {
                copyAtomically(there, here);
                return here;
            } catch (IOException e) {
                return there;
            }
        }
        return null;
    }

    /** The best checkpoint of an earlier session of this run, so resuming cannot lose it; null if unreadable. */
    private static TrainingResult.Snapshot snapshotOf(Path checkpoint) {
        try {
            ModelStore.StoredModel m = ModelStore.load(checkpoint, false);
            return new TrainingResult.Snapshot(m.net().params().dup(), m.metadata(), m.history());
        } catch (ModelLoadException e) {
            return null;
        }
    }

    private static Map<String, Double> lastMetrics(TrainingHistory h) {
        List<TrainingHistory.Epoch> es = h.epochs();
        if (es.isEmpty()) {
            return Map.of();
        }
        TrainingHistory.Epoch e = es.get(es.size() - 1);
        return Map.of("val_bce", e.valLoss(), "val_fmeasure", e.valFmeasure(), "train_bce", e.trainLoss());
    }

    ModelMetadata metadata(int epochs, long step, Map<String, Double> metrics) {
        return new ModelMetadata(ModelMetadata.FORMAT_VERSION, Version.get(), config.architecture(), config.inputSize(),
                config.preprocess(), config.patch(), config.noise(), config.dataSeed(), dataDescription, epochs, step,
                new HashMap<>(metrics), config, null, Instant.now().toString());
    }

    /** A fixed, seeded set of held-out pairs, identical for every epoch and every run with the same seed. */
    List<TrainingPair> validationPairs() {
        List<TrainingPair> pairs = new ArrayList<>();
        if (validation == null || validation.size() == 0) {
            return pairs;
        }
        PreparedImages prepared = new PreparedImages(validation, config.pairSpec().mode(), config.inputSize());
        SplittableRandom rng = new SplittableRandom(config.dataSeed() ^ 0x7A11DL);
        for (int i = 0; i < config.validationCount() && i < 100 * validation.size(); i++) {
            GrayImage clean = prepared.get(i % validation.size());
            if (clean != null) {
                pairs.add(TrainingPair.make(clean, config.validationSpec(), rng));
            }
        }
        return pairs;
    }

    /** Mean per-pixel BCE and mean F-measure (%) over the validation pairs, and the first pair's output. */
    record Validation(double bce, double fmeasure, GrayImage firstOutput) {
    }

    static Validation validate(ComputationGraph net, List<TrainingPair> pairs) {
        if (pairs.isEmpty()) {
            return new Validation(Double.NaN, Double.NaN, null);
        }
        GrayImage first = null;
        Denoiser d = new Denoiser(net);
        double bce = 0;
        double f = 0;
        for (int start = 0; start < pairs.size(); start += VALIDATION_BATCH) {
            int n = Math.min(VALIDATION_BATCH, pairs.size() - start);
            GrayImage[] in = new GrayImage[n];
            for (int i = 0; i < n; i++) {
                in[i] = pairs.get(start + i).noisy();
            }
            GrayImage[] out = d.predictBatch(in);
            if (first == null) {
                first = out[0];
            }
            for (int i = 0; i < n; i++) {
                GrayImage clean = pairs.get(start + i).clean();
                bce += Metrics.bce(clean.pixels(), out[i].pixels());
                f += Metrics.fmeasure(clean, out[i].threshold(Denoiser.DEFAULT_THRESHOLD));
            }
        }
        return new Validation(bce / pairs.size(), f / pairs.size(), first);
    }

    /** A process killed mid-write leaves only a temp file behind; the checkpoints themselves are always whole. */
    private void removeStaleTempFiles() throws IOException {
        try (Stream<Path> s = Files.list(checkpointDir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".")
                    && p.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Refuses a run whose activations cannot fit ND4J's off-heap limit, before it crashes the JVM: forward
     * activations, their gradients and oneDNN's scratch space are about three copies of every layer output.
     */
    static void checkMemory(TrainingConfig c, ComputationGraph net, int microBatch) {
        long side = c.pairSpec().sampleSide();
        // Only one micro-batch is in flight at a time.
        int inFlight = microBatch > 0 && microBatch < c.batchSize() ? microBatch : c.batchSize();
        long perSample = 0;
        for (var layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer conv) {
                perSample += conv.getNOut();
            }
        }
        // Conv output channels summed over layers, x4 for activations, cached pre-activations, gradients and scratch,
        // 4 bytes each; halved because most layers run below full resolution (the first pooling quarters the area).
        long needed = 4L * inFlight * side * side * perSample * 4 / 2;
        long limit = org.bytedeco.javacpp.Pointer.maxBytes();
        if (limit > 0 && needed > limit) {
            long fits = Math.max(1, inFlight * limit / needed);
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%d samples of %dx%d at once need about %.1f GB, more than the %.1f GB ND4J may use here; "
                            + "use --batch %d, --micro-batch %d or a smaller --patch", inFlight, side, side, needed / 1e9,
                    limit / 1e9, fits, fits));
        }
        // Java heap: validation pairs (noisy and clean floats) and three prefetched batches.
        long heapNeeded = 4L * side * side * 2 * (c.validationCount() + 3L * c.batchSize());
        long heap = Runtime.getRuntime().maxMemory();
        if (heapNeeded > heap * 3 / 4) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "validation and prefetched batches of %dx%d images need about %.1f GB of Java memory, more than "
                            + "the %.1f GB available; use a smaller --validation, --batch or --size, or raise -Xmx",
                    side, side, heapNeeded / 1e9, heap / 1e9));
        }
    }

    /** Epoch checkpoints this run wrote, oldest first: rotation never touches files of another run. */
    private final List<Path> ownCheckpoints = new ArrayList<>();

    private void pruneCheckpoints(Path justWritten) throws IOException {
        ownCheckpoints.remove(justWritten);
        ownCheckpoints.add(justWritten);
        while (ownCheckpoints.size() > KEEP_LAST) {
            Path old = ownCheckpoints.remove(0);
            if (keep == null || !Files.exists(keep) || !Files.isSameFile(keep, old)) {
                Files.deleteIfExists(old);
            }
        }
    }

    static void copyAtomically(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling("." + to.getFileName() + ".tmp");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
