package org.inkwell.cli;

import org.inkwell.model.TrainingConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The settings of a training run, shared by {@code train} and {@code spark-train}. */
public final class TrainingOptions {
    @Option(names = "--arch", defaultValue = "seed", description = "seed, vgg16, unet or unet-context (the bundled scan model's: a 284 px field of view; default ${DEFAULT-VALUE}).")
    public String arch;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs in total (default ${DEFAULT-VALUE}).")
    public int epochs;

    @Option(names = "--steps", defaultValue = "500", description = "Steps per epoch (the seed used 10000; default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--patch", defaultValue = "0", description = "Random crop side in pixels, multiple of 32; 0 = whole image (default).")
    int patch;

    @Option(names = "--size", defaultValue = "224", description = "Side images are resized to (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--preprocess", defaultValue = "seed", description = "seed (squash to size, as the seed) or fit (keep aspect, pad).")
    String preprocess;

    @Option(names = "--optimizer", defaultValue = "seed-sgd", description = "seed-sgd or adam (default ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Learning rate in Keras units (per-pixel mean loss; default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--noise", defaultValue = "pepper:0.2", description = "Noise density or spec: 0.2, pepper:0.2 (a range such as pepper:0.05-0.45 draws one per image), "
            + "salt:0.1, saltpepper:0.2:0.5, mixed:LO-HI, scan:LO-HI, scanmix:LO-HI, "
            + "device:LO-HI[:without=FAMILY|:only=FAMILY], devicemix:LO-HI[:scans=SHARE][:pepper=SHARE], peppermix:LO-HI[:alone=SHARE].")
    String noise;

    @Option(names = "--no-augment", description = "Skip the seed's random flips and rotations.")
    boolean noAugment;

    @Option(names = "--seed", defaultValue = "42", description = "Data seed: generator, split and batches (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validation", defaultValue = "64", description = "Held-out images scored after each epoch (default ${DEFAULT-VALUE}).")
    int validation;

    /** The run these flags describe. */
    public TrainingConfig config(int microBatch, String dataSource) {
        return new TrainingConfig(arch, optimizer, lr, batch, steps, epochs, preprocess, size, patch, !noAugment,
                noiseSpec(), seed, validation, 1, microBatch, dataSource);
    }

    private String noiseSpec() {
        return noise.contains(":") ? noise : "pepper:" + noise;
    }

    /**
     * The flags the user typed ({@code spec}'s parse) whose values differ from the saved run's settings, each as
     * "--flag (given X, saved Y)"; --epochs is not among them, since it may extend a run.
     */
    public List<String> conflictsWith(TrainingConfig saved, CommandSpec spec) {
        List<String> conflicts = new ArrayList<>();
        differs(conflicts, spec, "--arch", arch, saved.architecture());
        differs(conflicts, spec, "--optimizer", optimizer, saved.optimizer());
        differs(conflicts, spec, "--lr", lr, saved.learningRate());
        differs(conflicts, spec, "--batch", batch, saved.batchSize());
        differs(conflicts, spec, "--steps", steps, saved.stepsPerEpoch());
        differs(conflicts, spec, "--patch", patch, saved.patch());
        differs(conflicts, spec, "--size", size, saved.inputSize());
        differs(conflicts, spec, "--preprocess", preprocess, saved.preprocess());
        differs(conflicts, spec, "--noise", noiseSpec(), saved.noise());
        differs(conflicts, spec, "--no-augment", noAugment, !saved.augment());
        differs(conflicts, spec, "--seed", seed, saved.dataSeed());
        differs(conflicts, spec, "--validation", validation, saved.validationCount());
        return conflicts;
    }

    static void differs(List<String> conflicts, CommandSpec spec, String option, Object given, Object saved) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option) && !String.valueOf(given).equals(String.valueOf(saved))) {
            conflicts.add(option + " (given " + given + ", saved " + saved + ")");
        }
    }
}
