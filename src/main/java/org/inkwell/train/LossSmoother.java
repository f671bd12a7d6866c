package org.inkwell.train;

/** The training loss as the CLI and the workbench both show it: an exponential moving average of the step losses. */
public final class LossSmoother {
    private static final double KEEP = 0.9;
    private double value = Double.NaN;

    /** Adds a step's loss; returns the smoothed loss. */
    public double add(double loss) {
        value = Double.isNaN(value) ? loss : KEEP * value + (1 - KEEP) * loss;
        return value;
    }

    public double value() {
        return value;
    }
}
