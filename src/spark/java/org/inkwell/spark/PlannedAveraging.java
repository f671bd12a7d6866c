package org.inkwell.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.train.OptimizerStep;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Parameter averaging with the workers' steps taken as the local trainer takes them ({@link OptimizerStep}: oneDNN
 * training plans, DL4J's backprop where they do not apply). Each round, every partition trains a copy of the
 * network on its next {@code averageEvery} batches; the driver then averages the parameters and the optimizer
 * state over the workers, as DL4J's {@code ParameterAveragingTrainingMaster} does with DL4J's own {@code fit}.
 * An epoch's batches are kept (serialized, spilling to disk) while its rounds run, as DL4J keeps them.
 */
final class PlannedAveraging {
    private final JavaSparkContext sc;
    private final int averageEvery;
    private double score = Double.NaN;

    PlannedAveraging(JavaSparkContext sc, int averageEvery) {
        this.sc = sc;
        this.averageEvery = Math.max(1, averageEvery);
    }

    /** What every worker starts a round from (a plain class: Spark's Kryo cannot serialize records). */
    static final class Start implements Serializable {
        final String configuration;
        final float[] params;
        final float[] optimizerState;
        final int iteration;
        final int epoch;
        /** Workers an executor may keep between rounds: as many as tasks can run at once. */
        final int workersKept;

        Start(String configuration, float[] params, float[] optimizerState, int iteration, int epoch, int workersKept) {
            this.configuration = configuration;
            this.params = params;
            this.optimizerState = optimizerState;
            this.iteration = iteration;
            this.epoch = epoch;
            this.workersKept = workersKept;
        }
    }

    /** Workers' results, summed by Spark's reduce: the driver divides by {@code workers}. */
    static final class Sum implements Serializable {
        float[] params;
        float[] optimizerState;
        int workers;
        int mostBatches;
        double scoreTimesSamples;
        long samples;

        Sum plus(Sum o) {
            for (int i = 0; i < params.length; i++) {
                params[i] += o.params[i];
            }
            for (int i = 0; i < optimizerState.length; i++) {
                optimizerState[i] += o.optimizerState[i];
            }
            workers += o.workers;
            mostBatches = Math.max(mostBatches, o.mostBatches);
            scoreTimesSamples += o.scoreTimesSamples;
            samples += o.samples;
            return this;
        }
    }

    /** DL4J's score (sum over pixels, mean over samples) averaged over the last epoch's batches. */
    double score() {
        return score;
    }

    /** Rounds the last {@link #fit} ran, and the rounds its epoch had. */
    int[] rounds() {
        return new int[]{roundsDone, roundsTotal};
    }

    private int roundsDone;
    private int roundsTotal;

    /** Trains {@code net} on one epoch's batches, in place, and returns it. */
    ComputationGraph fit(ComputationGraph net, JavaRDD<DataSet> epoch) {
        return fit(net, epoch, () -> false);
    }

    /**
     * As above, stopping between averaging rounds once {@code cancelled} says so (the round in flight finishes):
     * {@code net} then holds the averaged parameters of the rounds done, see {@link #rounds()}.
     */
    ComputationGraph fit(ComputationGraph net, JavaRDD<DataSet> epoch, java.util.function.BooleanSupplier cancelled) {
        int every = averageEvery;
        JavaRDD<Tuple2<Integer, DataSet>> rounds = epoch.mapPartitions(it -> {
            List<Tuple2<Integer, DataSet>> tagged = new ArrayList<>();
            int i = 0;
            while (it.hasNext()) {
                tagged.add(new Tuple2<>(i++ / every, it.next()));
            }
            return tagged.iterator();
        }, true).persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            int count = rounds.map(Tuple2::_1).fold(-1, Math::max) + 1;
            roundsTotal = count;
            roundsDone = 0;
            double scoreSum = 0;
            long samples = 0;
            // Without the step and epoch counts (sent apart), so workers built for one epoch serve the next.
            ComputationGraphConfiguration conf = net.getConfiguration().clone();
            conf.setIterationCount(0);
            conf.setEpochCount(0);
            String configuration = conf.toJson();
            for (int round = 0; round < count && !cancelled.getAsBoolean(); round++) {
                float[] optimizerState = net.getUpdater().getStateViewArray() == null ? new float[0]
                        : net.getUpdater().getStateViewArray().dup().data().asFloat();
                Broadcast<Start> start = sc.broadcast(new Start(configuration, net.params().dup().data().asFloat(),
                        optimizerState, net.getIterationCount(), net.getEpochCount(), Math.max(4, sc.defaultParallelism())));
                int r = round;
                Sum sum;
                try {
                    sum = rounds.mapPartitions(it -> train(start.value(), it, r), true).reduce(Sum::plus);
                } finally {
                    start.destroy();
                }
                average(net, sum);
                scoreSum += sum.scoreTimesSamples;
                samples += sum.samples;
                roundsDone++;
            }
            score = samples == 0 ? Double.NaN : scoreSum / samples;
            return net;
        } finally {
            rounds.unpersist(false);
        }
    }

    private static void average(ComputationGraph net, Sum sum) {
        if (sum.workers == 0) {
            return;
        }
        float[] params = sum.params;
        for (int i = 0; i < params.length; i++) {
            params[i] /= sum.workers;
        }
        net.params().assign(Nd4j.create(params, net.params().shape(), 'c'));
        if (sum.optimizerState.length > 0) {
            for (int i = 0; i < sum.optimizerState.length; i++) {
                sum.optimizerState[i] /= sum.workers;
            }
            var view = net.getUpdater().getStateViewArray();
            view.assign(Nd4j.create(sum.optimizerState, view.shape(), 'c'));
        }
        net.getConfiguration().setIterationCount(net.getIterationCount() + sum.mostBatches);
    }

    /**
     * A worker's network and its plans, kept in the executor between rounds (a DL4J network is not thread-safe).
     * A plain class: the pool finds and removes workers by identity.
     */
    private static final class Worker {
        final String configuration;
        final ComputationGraph net;
        final OptimizerStep step;

        Worker(String configuration, ComputationGraph net, OptimizerStep step) {
            this.configuration = configuration;
            this.net = net;
            this.step = step;
        }
    }

    /** Workers not in use in this executor JVM; a task takes one for its round and puts it back. */
    private static final java.util.concurrent.ConcurrentLinkedDeque<Worker> IDLE = new java.util.concurrent.ConcurrentLinkedDeque<>();

    private static Worker take(String configuration) {
        for (Iterator<Worker> it = IDLE.iterator(); it.hasNext(); ) {
            Worker w = it.next();
            if (w.configuration.equals(configuration) && IDLE.removeFirstOccurrence(w)) {
                return w;
            }
        }
        ComputationGraph net = new ComputationGraph(ComputationGraphConfiguration.fromJson(configuration));
        net.init();
        return new Worker(configuration, net, new OptimizerStep(net));
    }

    private static void putBack(Worker w, int kept) {
        IDLE.push(w);
        while (IDLE.size() > kept) {
            Worker old = IDLE.pollLast();
            if (old != null) {
                old.step.close();
            }
        }
    }

    /** One worker's round: its batches of round {@code round}, from the round's starting point. */
    static Iterator<Sum> train(Start start, Iterator<Tuple2<Integer, DataSet>> tagged, int round) {
        List<DataSet> mine = new ArrayList<>();
        // Tags ascend within a partition: stop reading at the first batch of a later round.
        while (tagged.hasNext()) {
            Tuple2<Integer, DataSet> t = tagged.next();
            if (t._1() > round) {
                break;
            }
            if (t._1() == round) {
                mine.add(t._2());
            }
        }
        if (mine.isEmpty()) {
            return java.util.Collections.emptyIterator();
        }
        Dl4jRuntime.init();
        Worker w = take(start.configuration);
        Sum sum;
        try {
            sum = steps(w, start, mine);
        } catch (RuntimeException | Error e) {
            // A worker that failed is not reused by the retry: its plans may be half made.
            w.step.close();
            throw e;
        }
        putBack(w, start.workersKept);
        return List.of(sum).iterator();
    }

    private static Sum steps(Worker w, Start start, List<DataSet> mine) {
        ComputationGraph net = w.net;
        net.params().assign(Nd4j.create(start.params, net.params().shape(), 'c'));
        if (start.optimizerState.length > 0) {
            var view = net.getUpdater().getStateViewArray();
            view.assign(Nd4j.create(start.optimizerState, view.shape(), 'c'));
        }
        net.getConfiguration().setIterationCount(start.iteration);
        net.getConfiguration().setEpochCount(start.epoch);
        Sum sum = new Sum();
        for (DataSet d : mine) {
            double s = w.step.fit(d.getFeatures(), d.getLabels(), 0);
            sum.scoreTimesSamples += s * d.numExamples();
            sum.samples += d.numExamples();
        }
        sum.params = net.params().dup().data().asFloat();
        sum.optimizerState = start.optimizerState.length == 0 ? new float[0]
                : net.getUpdater().getStateViewArray().dup().data().asFloat();
        sum.workers = 1;
        sum.mostBatches = mine.size();
        return sum;
    }
}
