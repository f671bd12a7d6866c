package org.inkwell.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.inkwell.data.OutputPolicy;
import org.inkwell.data.RunLock;
import org.inkwell.runtime.StopSignals;
import org.inkwell.model.ModelStore;
import org.inkwell.model.TrainingConfig;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.train.CheckpointStore;
import org.inkwell.train.TrainingListener;
import org.inkwell.train.TrainingResult;
import org.inkwell.model.TrainingHistory;
import picocli.CommandLine;
import org.inkwell.cli.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code spark-train}: {@code inkwell train} on a Spark cluster or on {@code local[N]}. Runs under spark-submit
 * (the master comes from it) or on its own with {@code --master}. Writes the same model zip as {@code train}.
 */
@Command(name = "spark-train", mixinStandardHelpOptions = true,
        description = {"Trains a denoising autoencoder on Spark (parameter averaging, workers stepping as train does), with a checkpoint per epoch.",
                "Data: the built-in generator (made on the executors) or a folder or Hadoop path of images."})
public final class SparkTrainCommand implements Callable<Integer> {
    @Option(names = "--master", description = "Spark master, e.g. local[2]; default: what spark-submit set, else local[*].")
    String master;

    @Option(names = "--data", defaultValue = "generator:1000",
            description = "generator:N (the built-in generator) or a folder/Hadoop path of images (default ${DEFAULT-VALUE}).")
    String data;

    /** The same settings as {@code train}; --steps counts batches over all workers. */
    @Mixin
    TrainingOptions training;

    @Option(names = "--average-every", defaultValue = "4", description = "Batches each worker fits between parameter averages (default ${DEFAULT-VALUE}).")
    int averageEvery;

    @Option(names = "--shared", description = "Shared training (gradient sharing over Aeron) instead of parameter averaging.")
    boolean shared;

    @Option(names = "--controller", description = "With --shared: the driver's address the workers reach (default: Spark's driver host).")
    String controller;

    @Option(names = "--port", defaultValue = "40123", description = "With --shared: the UDP port every node opens (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--resume", description = "Continue a spark-train run from one of its checkpoints (its settings and data; only --epochs may extend it).")
    Path resume;

    @Option(names = "--checkpoints", description = "Checkpoint folder on the driver (default: OUTPUT name + '-checkpoints').")
    Path checkpoints;

    @Option(names = {"-o", "--output"}, required = true, description = "Model zip to write (the best epoch by validation loss).")
    Path output;

    @Option(names = "--overwrite", description = "Let OUTPUT replace an existing file, and a new run replace an earlier run's checkpoints (a resumed run replaces its own model without it).")
    boolean overwrite;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; errors print one line (the stack trace only with -Dinkwell.debug=true). */
    static int run(String... args) {
        return commandLine(new java.io.PrintWriter(System.err, true)).execute(args);
    }

    static CommandLine commandLine(java.io.PrintWriter err) {
        CommandLine cl = new CommandLine(new SparkTrainCommand()).setErr(err);
        org.inkwell.data.RunLock.describeProcessAs("spark-train");
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("spark-train: " + org.inkwell.cli.InkwellCommand.message(ex));
            if (Boolean.getBoolean("inkwell.debug")) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 2;
        });
        return cl;
    }

    @Override
    public Integer call() throws Exception {
        if (averageEvery < 1) {
            throw new IllegalArgumentException("--average-every must be at least 1");
        }
        Dl4jRuntime.init();
        OutputPolicy policy = new OutputPolicy(overwrite).protect(resume);
        List<Path> policyInputs = List.of();
        TrainingConfig config = resume == null ? newConfig() : resumedConfig();
        Path dir = checkpoints != null ? checkpoints
                : output.toAbsolutePath().resolveSibling(output.getFileName().toString().replaceFirst("\\.zip$", "") + "-checkpoints");
        if (config.dataSource().startsWith("folder:")) {
            Path data = Path.of(config.dataSource().substring("folder:".length()));
            if (Files.isDirectory(data) && dir.toAbsolutePath().normalize().startsWith(data)) {
                throw new IllegalArgumentException(dir + ": the checkpoint folder is inside the training images; choose another --checkpoints");
            }
            policyInputs = SparkData.localImages(data);
            policy.protectAll(policyInputs);
        }
        if (resume == null && !overwrite) {
            CheckpointStore.prepareForNewRun(dir, false); // an earlier run's folder says how to continue it
        }
        if (resume != null && CheckpointStore.isOutputOf(output, CheckpointStore.runIdOf(resume, ModelStore.describe(resume).metadata()))) {
            // The model this very run wrote before (a resumed run): its own output, replaced without --overwrite.
            policy = new OutputPolicy(true).protect(resume).protectAll(policyInputs);
        }
        policy.check(output, OutputPolicy.Kind.MODEL_ZIP);
        OutputPolicy.checkCanCreate(output);
        AtomicBoolean stop = new AtomicBoolean();
        Path parent = output.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        try (RunLock outputLock = RunLock.file(output);
             JavaSparkContext sc = SparkContexts.start(master != null ? master
                : System.getProperty("spark.master") == null ? "local[*]" : null);
             // After Spark's start, so these handlers come first: Ctrl+C or SIGTERM stops the job between averaging
             // rounds and the driver writes interrupted.zip and the model before anything shuts down.
             StopSignals signals = StopSignals.install(() -> stop.set(true), System.err)) {
            if (!sc.master().startsWith("local")) {
                int executors = SparkContexts.executors(sc);
                int cores = SparkContexts.slots(sc) * sc.getConf().getInt("spark.task.cpus", 1);
                System.out.println("Spark " + sc.master() + ": " + executors + (executors == 1 ? " executor, " : " executors, ")
                        + cores + (cores == 1 ? " core" : " cores"));
            }
            if (resume == null && overwrite) {
                CheckpointStore.prepareForNewRun(dir, true); // only once every other check has passed and the output is held
            }
            SparkTrainer trainer = (shared
                    ? new SparkTrainer(sc, config, SparkData.of(config), dir, SparkTrainer.sharedTraining(config.batchSize(),
                    config.dataSeed(), controller != null ? controller : sc.getConf().get("spark.driver.host", "127.0.0.1"), port))
                    : new SparkTrainer(sc, config, SparkData.of(config), dir, averageEvery)).keeping(resume);
            TrainingListener progress = new Printer();
            TrainingResult r = resume == null ? trainer.run(progress, stop::get)
                    : trainer.resume(ModelStore.load(resume, true), progress, stop::get);
            ModelStore.StoredModel m = r.bestModel();
            ModelStore.save(output, m.net(), m.metadata().withCommand(String.join(" ", spec.commandLine().getParseResult().originalArgs())),
                    m.history(), true, policy);
            System.out.println("model (" + m.source() + ") written to " + output + " (checkpoints in " + dir + ")");
            return r.status() == TrainingResult.Status.COMPLETED ? 0 : 130;
        }
    }


    private TrainingConfig newConfig() {
        return training.config(0, SparkData.specOf(data));
    }

    /** The saved run's settings exactly: a typed flag must agree with them, and only --epochs may extend the run. */
    private TrainingConfig resumedConfig() throws java.io.IOException {
        var saved = ModelStore.describe(resume).metadata();
        if (saved == null || saved.training() == null) {
            throw new IllegalArgumentException(resume + ": has no training settings to resume from");
        }
        TrainingConfig c = saved.training();
        List<String> conflicts = training.conflictsWith(c, spec);
        if (spec.commandLine().getParseResult().hasMatchedOption("--data") && !SparkData.specOf(data).equals(c.dataSource())) {
            conflicts.add("--data (given " + SparkData.specOf(data) + ", saved " + c.dataSource() + ")");
        }
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException("--resume continues the saved run exactly, but " + String.join(", ", conflicts)
                    + " differ from it; drop these flags");
        }
        boolean extend = spec.commandLine().getParseResult().hasMatchedOption("--epochs");
        if (extend && training.epochs <= saved.epochs()) {
            throw new IllegalArgumentException(resume.getFileName() + " is already at epoch " + saved.epochs()
                    + "; give --epochs above that to train further");
        }
        return extend ? c.withEpochs(training.epochs) : c;
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
