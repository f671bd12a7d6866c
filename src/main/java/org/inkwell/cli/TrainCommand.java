package org.inkwell.cli;

import org.inkwell.data.IoMessages;
import org.inkwell.data.OutputPolicy;
import org.inkwell.data.RunLock;
import org.inkwell.runtime.StopSignals;
import org.inkwell.data.SignatureSource;
import org.inkwell.model.ModelStore;
import org.inkwell.train.CheckpointStore;
import org.inkwell.train.Trainer;
import org.inkwell.model.TrainingConfig;
import org.inkwell.train.TrainingResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a denoising autoencoder on fresh noisy pairs, with a checkpoint per epoch.",
                "Defaults follow the seed experiment (SGD with Nesterov momentum, pepper noise 0.2, 224x224)."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Mixin
    TrainingOptions training;

    @Option(names = "--micro-batch", defaultValue = "0",
            description = "Split each step into passes of this many samples, summing gradients (0 = whole batch, as the seed; 8 at 224 is as fast and needs half the memory).")
    int microBatch;

    @Option(names = "--init", description = "Start from the weights of this model zip (fine-tuning) with the settings given here.")
    Path init;

    @Option(names = "--resume", description = "Continue from a checkpoint zip (weights, optimizer state, step, history).")
    Path resume;

    @Option(names = "--checkpoints", description = "Checkpoint folder (default: OUTPUT name + '-checkpoints').")
    Path checkpoints;

    @Option(names = {"-o", "--output"}, required = true, description = "Model zip to write (the best epoch by validation loss).")
    Path output;

    @Mixin
    OutputOptions outputs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OutputPolicy policy = outputs.policy().protect(init).protect(resume);
        ModelStore.StoredModel from = null;
        TrainingConfig config;
        if (resume != null && init != null) {
            throw new IllegalArgumentException("--resume continues a run and --init starts a new one from weights: give one of them");
        }
        if (resume != null) {
            from = ModelStore.load(resume, true);
            if (from.metadata() == null || from.metadata().training() == null) {
                throw new IllegalArgumentException(resume + ": has no training settings to resume from");
            }
            config = resumedConfig(from.metadata().training());
        } else {
            config = training.config(microBatch, data.sourceSpec(DataOptions.DEFAULT_TRAINING_SET));
        }
        SignatureSource[] sources = DataOptions.trainAndValidation(config.dataSource(), config.dataSeed(), config.validationCount());
        policy.protectAll(DataOptions.files(sources[0])).protectAll(DataOptions.files(sources[1]));
        Path dir = checkpoints != null ? checkpoints
                : output.toAbsolutePath().resolveSibling(stem(output.getFileName().toString()) + "-checkpoints");
        if (from == null && !outputs.overwrite) {
            // First: an earlier run's folder says how to continue it, which is what a user repeating a command needs.
            CheckpointStore.prepareForNewRun(dir, false);
        }
        // Checked before training, which can take hours; checked again when the model is written. An existing
        // model is replaced only with --overwrite, or when it is this very run's earlier output (a resumed run).
        if (from != null && CheckpointStore.isOutputOf(output, CheckpointStore.runIdOf(resume, from.metadata()))) {
            policy = new OutputPolicy(true).protect(resume).protectAll(DataOptions.files(sources[0]))
                    .protectAll(DataOptions.files(sources[1]));
        }
        policy.check(output, OutputPolicy.Kind.MODEL_ZIP);
        OutputPolicy.checkCanCreate(output);
        Trainer trainer = new Trainer(config, sources[0], sources[1], dir).keeping(resume);
        AtomicBoolean stop = new AtomicBoolean();
        ProgressPrinter progress = new ProgressPrinter(System.out);
        TrainingResult result;
        // Ctrl+C or a polite kill: stop at the next step, write the checkpoint and the model, then exit.
        try (RunLock outputLock = RunLock.file(createParent(output));
             StopSignals signals = StopSignals.install(() -> stop.set(true), System.err)) {
            // A run killed while writing the model left its temp file; the lock says no live run writes it now.
            String name = output.getFileName().toString();
            OutputPolicy.removeStaleTemps(OutputPolicy.realTarget(output).getParent(), name::equals);
            if (from == null && outputs.overwrite) {
                // Only once every other check has passed and this run holds its output.
                CheckpointStore.prepareForNewRun(dir, true);
            }
            if (from != null) {
                result = trainer.resume(from, progress, stop::get);
            } else if (init != null) {
                result = trainer.fineTune(ModelStore.load(init, false), progress, stop::get);
            } else {
                result = trainer.run(progress, stop::get);
            }
            writeFinalModel(result, policy, dir);
        }
        return result.status() == TrainingResult.Status.COMPLETED ? 0 : 130;
    }


    static Path createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IOException("cannot create the folder " + parent + " (" + IoMessages.plain(e) + ")", e);
        }
        return file;
    }

    /** The best epoch (or the network as it stands) from memory, whatever happened to the checkpoint folder. */
    private void writeFinalModel(TrainingResult result, OutputPolicy policy, Path dir) throws IOException {
        ModelStore.StoredModel m = result.bestModel();
        try {
            ModelStore.save(output, m.net(), m.metadata().withCommand(commandLine()), m.history(), true, policy);
        } catch (IOException e) {
            Path copy = result.bestCheckpoint() != null ? result.bestCheckpoint() : result.lastCheckpoint();
            throw new IOException("could not write the trained model to " + output + " (" + IoMessages.plain(e) + "); "
                    + (copy != null && Files.isRegularFile(copy) ? "the last good copy is " + copy
                    : "no checkpoint was written either, so the model is lost: free space and run again"), e);
        }
        System.out.println("model (" + m.source() + ") written to " + output + " (checkpoints in " + dir + ")");
    }

    /**
     * The saved run's settings, exactly. A flag the user typed must agree with them (only --epochs may extend the
     * run): resuming never silently changes the architecture, optimizer, data or noise.
     */
    TrainingConfig resumedConfig(TrainingConfig saved) throws IOException {
        List<String> conflicts = training.conflictsWith(saved, spec);
        TrainingOptions.differs(conflicts, spec, "--micro-batch", microBatch, saved.microBatch());
        String savedData = saved.dataSource() == null ? "synthetic:" + DataOptions.DEFAULT_TRAINING_SET : saved.dataSource();
        if (matched("--data") || matched("--synthetic")) {
            String given = data.sourceSpec(DataOptions.DEFAULT_TRAINING_SET);
            if (!given.equals(savedData)) {
                conflicts.add((matched("--data") ? "--data" : "--synthetic") + " (given " + given + ", saved " + savedData + ")");
            }
        }
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException("--resume continues the saved run exactly, but " + String.join(", ", conflicts)
                    + " differ from it; drop these flags, or start a new run from its weights with --init");
        }
        TrainingConfig c = saved.withDataSource(savedData);
        if (matched("--epochs") && resume != null) {
            var m = ModelStore.describe(resume).metadata();
            if (m != null && (long) training.epochs * saved.stepsPerEpoch() < m.step()) {
                throw new IllegalArgumentException(resume.getFileName() + " is at step " + m.step() + " (epoch " + m.epochs()
                        + "); give --epochs of at least " + (m.step() + saved.stepsPerEpoch() - 1) / saved.stepsPerEpoch()
                        + " to continue it");
            }
        }
        return matched("--epochs") ? c.withEpochs(training.epochs) : c;
    }

    private boolean matched(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private String commandLine() {
        return "inkwell " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
