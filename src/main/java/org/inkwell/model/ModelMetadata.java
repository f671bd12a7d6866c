package org.inkwell.model;


import java.util.Map;

/**
 * What a model zip says about itself, stored as {@code inkwell/metadata.json} beside DL4J's own entries.
 *
 * @param architecture  {@link Architecture#id()}
 * @param inputSize     side the training images were preprocessed to
 * @param preprocess    preprocessing mode (seed or fit)
 * @param patch         training crop side, 0 for whole images
 * @param noise         noise spec, e.g. {@code pepper:0.2}
 * @param dataSeed      seed of the data (generator seed, split and batches)
 * @param data          one-line description of the training data
 * @param epochs        completed epochs
 * @param step          completed optimizer steps
 * @param metrics       latest validation metrics (e.g. {@code val_bce}, {@code val_fmeasure})
 * @param training      the training settings, so {@code --resume} can continue with them
 * @param command       the command line that produced the model, when known
 * @param runId         the training run this checkpoint belongs to (null for models from before runs had ids):
 *                      a checkpoint folder holds one run's files, and {@code --resume} continues only that run
 */
public record ModelMetadata(int formatVersion, String inkwellVersion, String architecture, int inputSize,
                            String preprocess, int patch, String noise, long dataSeed, String data, int epochs,
                            long step, Map<String, Double> metrics, TrainingConfig training, String command,
                            String created, String runId) {
    public static final int FORMAT_VERSION = 1;

    public ModelMetadata(int formatVersion, String inkwellVersion, String architecture, int inputSize,
                         String preprocess, int patch, String noise, long dataSeed, String data, int epochs,
                         long step, Map<String, Double> metrics, TrainingConfig training, String command,
                         String created) {
        this(formatVersion, inkwellVersion, architecture, inputSize, preprocess, patch, noise, dataSeed, data, epochs,
                step, metrics, training, command, created, null);
    }

    public ModelMetadata withRunId(String newRunId) {
        return new ModelMetadata(formatVersion, inkwellVersion, architecture, inputSize, preprocess, patch, noise,
                dataSeed, data, epochs, step, metrics, training, command, created, newRunId);
    }

    public ModelMetadata withProgress(int newEpochs, long newStep, Map<String, Double> newMetrics) {
        return new ModelMetadata(formatVersion, inkwellVersion, architecture, inputSize, preprocess, patch, noise,
                dataSeed, data, newEpochs, newStep, Map.copyOf(newMetrics), training, command, created, runId);
    }

    public ModelMetadata withCommand(String newCommand) {
        return new ModelMetadata(formatVersion, inkwellVersion, architecture, inputSize, preprocess, patch, noise,
                dataSeed, data, epochs, step, metrics, training, newCommand, created, runId);
    }
}
