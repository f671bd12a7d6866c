package org.inkwell.cli;

import org.inkwell.model.ModelLoadException;
import org.inkwell.model.ModelStore;
import picocli.CommandLine.Option;

/** {@code --model ZIP|bundled}. */
final class ModelOption {
    @Option(names = "--model", defaultValue = "bundled", description = "Model zip, or 'bundled' for the one shipped with Inkwell (default).")
    String model;

    ModelStore.StoredModel load() throws ModelLoadException {
        return ModelStore.loadSpec(model);
    }
}
