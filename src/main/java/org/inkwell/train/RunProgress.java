package org.inkwell.train;

import java.util.Locale;

/** How far a run is and when it will end, as the CLI and the workbench both show it; made when a run starts. */
public final class RunProgress {
    private final long startStep;
    private final long totalSteps;
    private final long startNanos;

    public RunProgress(long startStep, long totalSteps) {
        this.startStep = startStep;
        this.totalSteps = totalSteps;
        this.startNanos = System.nanoTime();
    }

    public long totalSteps() {
        return totalSteps;
    }

    /** Share of the whole run done after {@code step}, counting the steps of earlier sessions of a resumed run. */
    public double fraction(long step) {
        return step / (double) Math.max(1, totalSteps);
    }

    /** Seconds left after {@code step}, from this session's pace; NaN before its first step. */
    public double etaSeconds(long step) {
        double done = (step - startStep) / (double) Math.max(1, totalSteps - startStep);
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        return done > 0 ? elapsed * (1 - done) / done : Double.NaN;
    }

    /** "4m 05s", "1h 02m", or "--" when unknown. */
    public static String formatDuration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "--";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh %02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
}
