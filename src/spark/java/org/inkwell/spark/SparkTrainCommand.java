package org.inkwell.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.inkwell.data.OutputPolicy;
import org.inkwell.model.ModelStore;
import org.inkwell.model.TrainingConfig;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.train.TrainingListener;
import org.inkwell.train.TrainingResult;
import org.inkwell.model.TrainingHistory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code spark-train}: {@code inkwell train} on a Spark cluster or on {@code local[N]}. Runs under spark-submit
 * (the master comes from it) or on its own with {@code --master}. Writes the same model zip as {@code train}.
 */
@Command(name = "spark-train", mixinStandardHelpOptions = true,
        description = {"Trains a denoising autoencoder with DL4J's Spark training (parameter averaging), with a checkpoint per epoch.",
                "Data: the built-in generator (made on the executors) or a folder or Hadoop path of images."})
public final class SparkTrainCommand implements Callable<Integer> {
    @Option(names = "--master", description = "Spark master, e.g. local[2]; default: what spark-submit set, else local[*].")
    String master;

    @Option(names = "--data", defaultValue = "generator:1000",
            description = "generator:N (the built-in generator) or a folder/Hadoop path of images (default ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--arch", defaultValue = "seed", description = "seed, unet or vgg16 (default ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--steps", defaultValue = "500", description = "Batches per epoch, over all workers (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size per worker step (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--patch", defaultValue = "0", description = "Random crop side, multiple of 32; 0 = whole image (default).")
    int patch;

    @Option(names = "--size", defaultValue = "224", description = "Side images are resized to (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--preprocess", defaultValue = "seed", description = "seed or fit (default ${DEFAULT-VALUE}).")
    String preprocess;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or seed-sgd (default ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Learning rate in Keras units (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--noise", defaultValue = "pepper:0.2", description = "Noise spec as for train (default ${DEFAULT-VALUE}).")
    String noise;

    @Option(names = "--seed", defaultValue = "42", description = "Data seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validation", defaultValue = "64", description = "Held-out images scored after each epoch (default ${DEFAULT-VALUE}).")
    int validation;

    @Option(names = "--average-every", defaultValue = "4", description = "Batches each worker fits between parameter averages (default ${DEFAULT-VALUE}).")
    int averageEvery;

    @Option(names = "--shared", description = "Shared training (gradient sharing over Aeron) instead of parameter averaging.")
    boolean shared;

    @Option(names = "--controller", description = "With --shared: the driver's address the workers reach (default: Spark's driver host).")
    String controller;

    @Option(names = "--port", defaultValue = "40123", description = "With --shared: the UDP port every node opens (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--resume", description = "Continue from a checkpoint zip of a Spark or local run.")
    Path resume;

    @Option(names = "--checkpoints", description = "Checkpoint folder on the driver (default: OUTPUT name + '-checkpoints').")
    Path checkpoints;

    @Option(names = {"-o", "--output"}, required = true, description = "Model zip to write (the best epoch by validation loss).")
    Path output;

    @Option(names = "--overwrite", description = "Replace an existing model zip at OUTPUT.")
    boolean overwrite;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkTrainCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Dl4jRuntime.init();
        OutputPolicy policy = new OutputPolicy(overwrite).protect(resume);
        policy.check(output, OutputPolicy.Kind.MODEL_ZIP);
        ModelStore.StoredModel from = resume == null ? null : ModelStore.load(resume, true);
        TrainingConfig config = from != null && from.metadata() != null && from.metadata().training() != null
                ? from.metadata().training().withEpochs(Math.max(epochs, from.metadata().training().epochs()))
                : new TrainingConfig(arch, optimizer, lr, batch, steps, epochs, preprocess, size, patch, true,
                noise.contains(":") ? noise : "pepper:" + noise, seed, validation, 1, 0, SparkData.specOf(data));
        Path dir = checkpoints != null ? checkpoints
                : output.toAbsolutePath().resolveSibling(output.getFileName().toString().replaceFirst("\\.zip$", "") + "-checkpoints");
        AtomicBoolean stop = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true)));
        try (JavaSparkContext sc = SparkContexts.start(master != null ? master
                : System.getProperty("spark.master") == null ? "local[*]" : null)) {
            SparkTrainer trainer = shared
                    ? new SparkTrainer(sc, config, SparkData.of(config), dir, SparkTrainer.sharedTraining(config.batchSize(),
                    config.dataSeed(), controller != null ? controller : sc.getConf().get("spark.driver.host", "127.0.0.1"), port))
                    : new SparkTrainer(sc, config, SparkData.of(config), dir, averageEvery);
            TrainingListener progress = new Printer();
            TrainingResult r = from == null ? trainer.run(progress, stop::get) : trainer.resume(from, progress, stop::get);
            ModelStore.StoredModel m = r.bestModel();
            ModelStore.save(output, m.net(), m.metadata(), m.history(), true, policy);
            System.out.println("model written to " + output + " (checkpoints in " + dir + ")");
            return r.status() == TrainingResult.Status.COMPLETED ? 0 : 130;
        }
    }

    /** One line per epoch: Spark's own progress goes to its log. */
    private static final class Printer implements TrainingListener {
        @Override
        public void started(TrainingConfig config, long startStep, long totalSteps, TrainingHistory history) {
            System.out.printf(Locale.ROOT, "training %s with %s on Spark, batch %d, %d steps x %d epochs, noise %s; driver on %s%n",
                    config.architecture(), config.optimizer(), config.batchSize(), config.stepsPerEpoch(), config.epochs(), config.noise(),
                    Dl4jRuntime.backend());
        }

        @Override
        public void iteration(int epoch, long step, double loss, double samplesPerSecond) {
            System.out.printf(Locale.ROOT, "epoch %d: step %d, %.1f samples/s%n", epoch, step, samplesPerSecond);
        }

        @Override
        public void epochFinished(TrainingHistory.Epoch e, Path checkpoint) {
            System.out.printf(Locale.ROOT, "epoch %d: validation BCE %.4f, validation F %.2f%%, %.0f s -> %s%n",
                    e.epoch(), e.valLoss(), e.valFmeasure(), e.seconds(), checkpoint);
        }

        @Override
        public void message(String text) {
            System.out.println(text);
        }
    }
}
