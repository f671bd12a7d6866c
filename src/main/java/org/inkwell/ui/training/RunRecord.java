package org.inkwell.ui.training;

/**
 * One finished, cancelled or failed training run, for the history table: the settings it ran with ({@code config})
 * and its epochs ({@code history}, empty for a failed run).
 */
public record RunRecord(String started, String architecture, String optimizer, int epochs, long steps,
                        double bestValBce, double bestValF, double minutes, String outcome, String checkpoint,
                        org.inkwell.model.TrainingConfig config, org.inkwell.model.TrainingHistory history) {
    /** The file beside a run's checkpoints that holds its last validation sample (noisy | output). */
    public static final String SAMPLE = "sample.png";
}
