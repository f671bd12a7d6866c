package org.inkwell.ui.training;

/** One finished, cancelled or failed training run, for the history table. */
public record RunRecord(String started, String architecture, String optimizer, int epochs, long steps,
                        double bestValBce, double bestValF, double minutes, String outcome, String checkpoint) {
}
