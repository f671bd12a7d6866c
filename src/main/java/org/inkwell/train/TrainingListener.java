package org.inkwell.train;

import org.inkwell.model.TrainingConfig;
import org.inkwell.model.TrainingHistory;

/**
 * What a training run reports, on the training thread. Listeners must return quickly and copy what they keep;
 * the workbench marshals these to the FX thread itself.
 */
public interface TrainingListener {
    /** Called once before the first step; {@code startStep} is non-zero when resuming. */
    default void started(TrainingConfig config, long startStep, long totalSteps, TrainingHistory history) {
    }

    /** After every optimizer step: mean per-pixel BCE of that batch, and throughput so far. */
    default void iteration(int epoch, long step, double loss, double samplesPerSecond) {
    }

    /** After every epoch's validation and checkpoint; {@code checkpoint} is null when it could not be written. */
    default void epochFinished(TrainingHistory.Epoch epoch, java.nio.file.Path checkpoint) {
    }

    /** After every epoch: a fixed validation sample (noisy input, clean target) and the network's current output. */
    default void preview(org.inkwell.data.GrayImage noisy, org.inkwell.data.GrayImage clean, org.inkwell.data.GrayImage output) {
    }

    /** Short human-readable notes (checkpoint written, resumed from ...). */
    default void message(String text) {
    }
}
