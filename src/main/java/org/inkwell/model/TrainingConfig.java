package org.inkwell.model;


import org.inkwell.data.NoiseModel;
import org.inkwell.data.PairSpec;
import org.inkwell.data.Preprocess;

/**
 * Everything that decides a training run. Learning rates are in the seed's (Keras) units: per-pixel mean loss.
 *
 * @param validationCount number of held-out images scored after every epoch
 * @param microBatch      samples per forward/backward pass when a step is split (0 = whole batch, as the seed)
 * @param dataSource      where the images come from: {@code synthetic:N} or {@code folder:/real/path}; null for
 *                        the built-in generator's default set (older checkpoints)
 */
public record TrainingConfig(String architecture, String optimizer, double learningRate, int batchSize,
                             int stepsPerEpoch, int epochs, String preprocess, int inputSize, int patch,
                             boolean augment, String noise, long dataSeed, int validationCount, long initSeed,
                             int microBatch, String dataSource) implements java.io.Serializable {
    public static final String SEED_SGD = "seed-sgd";
    public static final String ADAM = "adam";
    public static final int MIN_SIZE = 32;
    /** Larger training images do not fit memory on a desktop, and the network cleans any size through tiles. */
    public static final int MAX_SIZE = 2048;
    /** Steps one run may take in all (about a year at 0.3 s a step). */
    public static final long MAX_TOTAL_STEPS = 100_000_000L;

    /** Whole batches, on the built-in generator's default set. */
    public TrainingConfig(String architecture, String optimizer, double learningRate, int batchSize,
                          int stepsPerEpoch, int epochs, String preprocess, int inputSize, int patch,
                          boolean augment, String noise, long dataSeed, int validationCount, long initSeed) {
        this(architecture, optimizer, learningRate, batchSize, stepsPerEpoch, epochs, preprocess, inputSize, patch,
                augment, noise, dataSeed, validationCount, initSeed, 0, null);
    }

    /** The seed's setup: 224x224 images, SGD with Nesterov momentum, pepper 0.2, batch 32 x 10,000 steps. */
    public static TrainingConfig seedDefaults() {
        return new TrainingConfig(Architecture.SEED.id(), SEED_SGD, 1e-3, 32, 10_000, 12, "seed", 224, 0, true,
                "pepper:0.2", 42, 64, 1);
    }

    public TrainingConfig {
        if (batchSize < 1 || stepsPerEpoch < 1 || epochs < 1) {
            throw new IllegalArgumentException("batch, steps and epochs must be at least 1");
        }
        // A run of more steps than this would take years on a desktop: a typo or a forged checkpoint.
        if ((long) stepsPerEpoch * epochs > MAX_TOTAL_STEPS) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%,d steps x %,d epochs is more than the %,d steps a run may take; choose fewer steps or epochs",
                    stepsPerEpoch, epochs, MAX_TOTAL_STEPS));
        }
        if (inputSize < MIN_SIZE || inputSize > MAX_SIZE) {
            throw new IllegalArgumentException("image size must be between " + MIN_SIZE + " and " + MAX_SIZE
                    + " pixels, got " + inputSize + " (larger scans are cleaned in tiles; train on crops with --patch)");
        }
        if (microBatch < 0) {
            throw new IllegalArgumentException("micro-batch must be 0 (whole batch) or more, got " + microBatch);
        }
        if (validationCount < 0) {
            throw new IllegalArgumentException("validation count must be 0 or more, got " + validationCount);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive");
        }
        if (!optimizer.equals(SEED_SGD) && !optimizer.equals(ADAM)) {
            throw new IllegalArgumentException("optimizer must be seed-sgd or adam, got " + optimizer);
        }
        Architecture.parse(architecture);
        pairSpecOf(preprocess, inputSize, patch, augment, noise); // validates
    }

    public PairSpec pairSpec() {
        return pairSpecOf(preprocess, inputSize, patch, augment, noise);
    }

    /** Validation images are whole (no crop), not augmented, with the same noise. */
    public PairSpec validationSpec() {
        return new PairSpec(pairSpec().mode(), inputSize, 0, false, NoiseModel.parse(noise));
    }

    public Architecture arch() {
        return Architecture.parse(architecture);
    }

    private static PairSpec pairSpecOf(String preprocess, int size, int patch, boolean augment, String noise) {
        Preprocess.Mode mode = switch (preprocess) {
            case "seed" -> Preprocess.Mode.SEED;
            case "fit" -> Preprocess.Mode.FIT;
            default -> throw new IllegalArgumentException("preprocess must be seed or fit, got " + preprocess);
        };
        return new PairSpec(mode, size, patch, augment, NoiseModel.parse(noise));
    }

    public TrainingConfig withEpochs(int e) {
        return new TrainingConfig(architecture, optimizer, learningRate, batchSize, stepsPerEpoch, e, preprocess,
                inputSize, patch, augment, noise, dataSeed, validationCount, initSeed, microBatch, dataSource);
    }

    public TrainingConfig withMicroBatch(int samples) {
        return new TrainingConfig(architecture, optimizer, learningRate, batchSize, stepsPerEpoch, epochs, preprocess,
                inputSize, patch, augment, noise, dataSeed, validationCount, initSeed, samples, dataSource);
    }

    public TrainingConfig withDataSource(String source) {
        return new TrainingConfig(architecture, optimizer, learningRate, batchSize, stepsPerEpoch, epochs, preprocess,
                inputSize, patch, augment, noise, dataSeed, validationCount, initSeed, microBatch, source);
    }
}
