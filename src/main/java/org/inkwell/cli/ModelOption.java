package org.inkwell.cli;

import org.inkwell.model.ModelLoadException;
import org.inkwell.model.ModelStore;
import picocli.CommandLine.Option;

/** {@code --model ZIP|bundled}. */
final class ModelOption {
    @Option(names = "--model", defaultValue = "bundled", description = "Model zip, or 'bundled' for the one shipped with Inkwell (default).")
    String model;

    /** The model file, or null for the bundled one. */
    java.nio.file.Path path() {
        return model == null || model.equals("bundled") ? null : java.nio.file.Path.of(model);
    }

    ModelStore.StoredModel load() throws ModelLoadException {
        return ModelStore.loadSpec(model);
    }

    /** The model whose encoder describes black-and-white signatures ({@link ModelStore#loadSpecForFeatures}). */
    ModelStore.StoredModel loadForFeatures() throws ModelLoadException {
        return ModelStore.loadSpecForFeatures(model);
    }
}
