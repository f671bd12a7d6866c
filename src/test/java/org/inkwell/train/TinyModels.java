package org.inkwell.train;

import org.inkwell.model.TrainingConfig;

import org.inkwell.data.SyntheticSignatures;

import java.nio.file.Path;

/** Settings small enough for unit tests: 64px images, 32px patches, a handful of steps. */
public final class TinyModels {
    private TinyModels() {
    }

    public static TrainingConfig config(String arch, String optimizer, int steps, int epochs) {
        return new TrainingConfig(arch, optimizer, optimizer.equals(TrainingConfig.ADAM) ? 3e-3 : 1e-1, 4, steps, epochs,
                "seed", 64, 32, true, "pepper:0.1", 7, 4, 3);
    }

    public static Trainer trainer(TrainingConfig c, Path dir) {
        return new Trainer(c, new SyntheticSignatures(c.dataSeed(), 12), SyntheticSignatures.validationFor(c.dataSeed(), 4), dir);
    }
}
