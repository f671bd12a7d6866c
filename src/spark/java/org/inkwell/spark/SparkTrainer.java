package org.inkwell.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.inkwell.data.TrainingPair;
import org.inkwell.data.IoMessages;
import org.inkwell.model.ModelMetadata;
import org.inkwell.model.ModelStore;
import org.inkwell.model.TrainingConfig;
import org.inkwell.model.TrainingHistory;
import org.inkwell.train.CheckpointStore;
import org.inkwell.train.Trainer;
import org.inkwell.train.TrainingListener;
import org.inkwell.train.TrainingResult;
import org.inkwell.train.Validation;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The same training as {@link Trainer} (architectures, noise, validation, checkpoints, model file) with each
 * epoch's batches spread over Spark executors. By default parameter averaging ({@link PlannedAveraging}): every
 * worker takes {@code averageEvery} steps on its batches as the local trainer takes them, then the parameters and
 * the optimizer state are averaged; DL4J's shared training is the option.
 * Validation and checkpoints run on the driver after every epoch.
 */
public final class SparkTrainer {
    private final JavaSparkContext sc;
    private final TrainingConfig config;
    private final SparkData data;
    private final Path checkpointDir;
    private final int workers;
    /** One of DL4J's training masters, or null for {@link PlannedAveraging}. */
    private final TrainingMaster master;
    private final int averageEvery;
    private Path keep;

    /** Parameter averaging every {@code averageEvery} batches per worker (the default), workers stepping as {@link Trainer} does. */
    public SparkTrainer(JavaSparkContext sc, TrainingConfig config, SparkData data, Path checkpointDir, int averageEvery) {
        this(sc, config, data, checkpointDir, null, Math.max(1, averageEvery));
    }

    /** With one of DL4J's training masters, e.g. {@link #sharedTraining}. */
    public SparkTrainer(JavaSparkContext sc, TrainingConfig config, SparkData data, Path checkpointDir, TrainingMaster master) {
        this(sc, config, data, checkpointDir, master, 0);
    }

    private SparkTrainer(JavaSparkContext sc, TrainingConfig config, SparkData data, Path checkpointDir, TrainingMaster master,
                         int averageEvery) {
        this.sc = sc;
        this.config = config;
        this.data = data;
        this.checkpointDir = checkpointDir;
        this.workers = Math.max(1, sc.defaultParallelism());
        this.master = master;
        this.averageEvery = averageEvery;
    }

    /** The checkpoint this run resumes from: never rotated away, and its best.zip stays the run's best so far. */
    public SparkTrainer keeping(Path checkpoint) {
        this.keep = checkpoint;
        return this;
    }

    /**
     * Shared training (Strom 2015, DL4J's gradient sharing over Aeron): workers exchange quantized updates above an
     * adaptive threshold after every batch instead of averaging parameters. {@code controller} is the address the
     * workers reach the driver at; every worker needs UDP {@code port} open, and Aeron needs
     * {@code -Daeron.publication.unblock.timeout=60000000000} on every JVM (set here for the driver's).
     */
    public static TrainingMaster sharedTraining(int batchSize, long seed, String controller, int port) {
        if (System.getProperty("aeron.publication.unblock.timeout") == null) {
            System.setProperty("aeron.publication.unblock.timeout", "60000000000");
        }
        VoidConfiguration transport = VoidConfiguration.builder().unicastPort(port).controllerAddress(controller).build();
        return new SharedTrainingMaster.Builder(transport, batchSize)
                .batchSizePerWorker(batchSize)
                .workersPerNode(1)
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartitionData(Repartition.Never)
                .rngSeed(seed)
                .build();
    }

    public TrainingResult run(ComputationGraph start, TrainingHistory history, TrainingListener listener,
                              BooleanSupplier cancelled) throws IOException {
        // The data is checked first: a run that cannot start leaves no checkpoint folder behind.
        List<TrainingPair> valPairs = Validation.pairs(config, data.validation(sc));
        String runId = runIdFor(history);
        try (CheckpointStore store = new CheckpointStore(checkpointDir, keep)) {
            store.open(runId);
            return run(store, runId, start, history, valPairs, listener, cancelled);
        }
    }

    /** A new run gets a new id; a resumed one keeps its checkpoint's (see {@link CheckpointStore#runIdOf}). */
    private String runIdFor(TrainingHistory history) throws IOException {
        if (keep == null) {
            return CheckpointStore.newRunId(); // a new run (a resumed one always has its checkpoint, even from epoch 1)
        }
        return CheckpointStore.runIdOf(keep, ModelStore.describe(keep).metadata());
    }

    private TrainingResult run(CheckpointStore store, String runId, ComputationGraph start, TrainingHistory history,
                               List<TrainingPair> valPairs, TrainingListener listener, BooleanSupplier cancelled)
            throws IOException {
        long totalSteps = (long) config.stepsPerEpoch() * config.epochs();
        int firstEpoch = history.epochs().size();
        long step = (long) firstEpoch * config.stepsPerEpoch();
        listener.started(config, step, totalSteps, history);
        SparkComputationGraph spark = master == null ? null : new SparkComputationGraph(sc, start, master);
        PlannedAveraging averaging = master == null ? new PlannedAveraging(sc, averageEvery) : null;
        long pixels = (long) config.pairSpec().sampleSide() * config.pairSpec().sampleSide();
        // A resumed run keeps its last epoch's scores until a new epoch replaces them.
        ModelMetadata meta = Trainer.metadataFor(config, data.description(), firstEpoch, step, lastMetrics(history))
                .withRunId(runId);
        Path bestFile = firstEpoch > 0 ? store.earlierBest(runId, step, listener::message) : null;
        TrainingResult.Snapshot best = bestFile == null ? null : CheckpointStore.snapshotOf(bestFile);
        Path last = null;
        long t0 = System.nanoTime();
        for (int epoch = firstEpoch; epoch < config.epochs(); epoch++) {
            if (cancelled.getAsBoolean()) {
                ComputationGraph net = spark == null ? start : spark.getNetwork();
                Path p;
                try {
                    p = store.saveInterrupted(net, meta, history);
                    listener.message("cancelled after epoch " + epoch + "; checkpoint " + p);
                } catch (IOException ioe) {
                    p = null;
                    listener.message("cancelled after epoch " + epoch + "; the checkpoint could not be written ("
                            + IoMessages.plain(ioe) + ")");
                }
                return new TrainingResult(TrainingResult.Status.CANCELLED, net, meta, history, p, bestFile, best);
            }
            long epochStart = System.nanoTime();
            ComputationGraph net;
            try {
                net = spark == null ? averaging.fit(start, data.epoch(sc, epoch, workers), cancelled)
                        : spark.fit(data.epoch(sc, epoch, workers));
            } catch (Exception e) { // Spark's job failures are checked in Scala, unchecked here
                if (spark != null || e instanceof IllegalArgumentException) {
                    throw e;
                }
                // The cluster gave up on a round (an executor lost more often than spark.task.maxFailures, say): the
                // rounds before it are kept, as when cancelled, and the message says how to go on.
                String failed = "the Spark job failed in epoch " + (epoch + 1) + " after averaging round "
                        + averaging.rounds()[0] + " of " + averaging.rounds()[1] + " (" + firstLine(e) + ")";
                Path p;
                try {
                    p = store.saveInterrupted(start, meta, history);
                } catch (IOException ioe) {
                    throw new ClusterFailure(failed + "; its checkpoint could not be written (" + IoMessages.plain(ioe)
                            + "): continue from the last epoch's checkpoint in " + checkpointDir, e);
                }
                throw new ClusterFailure(failed + "; checkpoint " + p + "; continue with --resume " + p, e);
            }
            if (spark == null && averaging.rounds()[0] < averaging.rounds()[1]) {
                // Stopped between averaging rounds: the rounds done are saved; the checkpoint still says the
                // epoch's start, so --resume runs this epoch's batches again from these parameters.
                Path p;
                try {
                    p = store.saveInterrupted(net, meta, history);
                    listener.message("cancelled in epoch " + (epoch + 1) + " after averaging round " + averaging.rounds()[0]
                            + " of " + averaging.rounds()[1] + "; checkpoint " + p);
                } catch (IOException ioe) {
                    p = null;
                    listener.message("cancelled in epoch " + (epoch + 1) + "; the checkpoint could not be written ("
                            + IoMessages.plain(ioe) + ")");
                }
                return new TrainingResult(TrainingResult.Status.CANCELLED, net, meta, history, p, bestFile, best);
            }
            step += config.stepsPerEpoch();
            // The averaging's score is the workers' mean batch score; DL4J's masters report theirs on another scale,
            // so the epoch is judged by validation.
            double trainLoss = (spark == null ? averaging.score() : spark.getScore()) / pixels;
            listener.iteration(epoch + 1, step, trainLoss,
                    (double) (step - (long) firstEpoch * config.stepsPerEpoch()) * config.batchSize() / ((System.nanoTime() - t0) / 1e9));
            Validation val = Validation.of(net, valPairs);
            TrainingHistory.Epoch e = new TrainingHistory.Epoch(epoch + 1, step, trainLoss, val.bce(), val.fmeasure(),
                    (System.nanoTime() - epochStart) / 1e9);
            boolean isBest = val.bce() < history.bestValLoss();
            history.addEpoch(e);
            meta = Trainer.metadataFor(config, data.description(), epoch + 1, step,
                    Trainer.metrics(val.bce(), val.fmeasure(), trainLoss)).withRunId(runId);
            // Kept in memory first: the result must not depend on the checkpoint folder. Without validation
            // scores every epoch counts as the best so far, so the newest network is the result.
            if (isBest || best == null || Double.isNaN(val.bce())) {
                best = new TrainingResult.Snapshot(net.params().dup(), meta, history.copy());
            }
            Path written;
            try {
                written = store.saveEpoch(epoch + 1, isBest, net, meta, history);
                last = written;
                if (isBest) {
                    bestFile = store.best();
                }
            } catch (IOException ioe) {
                written = null;
                listener.message("cannot write the checkpoint for epoch " + (epoch + 1) + " to " + checkpointDir
                        + " (" + IoMessages.plain(ioe) + "); training continues in memory");
            }
            listener.epochFinished(e, written);
        }
        return new TrainingResult(TrainingResult.Status.COMPLETED, spark == null ? start : spark.getNetwork(), meta, history,
                last, bestFile, best);
    }

    /** A fresh network of the config's architecture. */
    public TrainingResult run(TrainingListener listener, BooleanSupplier cancelled) throws IOException {
        return run(Trainer.networkFor(config), new TrainingHistory(), listener, cancelled);
    }

    /** Continues a run from one of its checkpoints (weights, optimizer state and history). */
    public TrainingResult resume(ModelStore.StoredModel from, TrainingListener listener, BooleanSupplier cancelled) throws IOException {
        return run(from.net(), from.history().copy(), listener, cancelled);
    }

    /** A run the cluster could not carry on; the message names the checkpoint to resume from. */
    public static final class ClusterFailure extends IOException {
        ClusterFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The first line of a Spark failure, whose message goes on with the driver's stack trace. */
    static String firstLine(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl).strip();
        return m.length() > 300 ? m.substring(0, 297) + "..." : m;
    }

    private static Map<String, Double> lastMetrics(TrainingHistory h) {
        if (h.epochs().isEmpty()) {
            return Map.of();
        }
        TrainingHistory.Epoch e = h.epochs().get(h.epochs().size() - 1);
        return Trainer.metrics(e.valLoss(), e.valFmeasure(), e.trainLoss());
    }
}
