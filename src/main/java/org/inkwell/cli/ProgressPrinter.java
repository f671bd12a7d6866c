package org.inkwell.cli;

import org.inkwell.model.TrainingConfig;
import org.inkwell.model.TrainingHistory;
import org.inkwell.train.TrainingListener;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** A one-line progress bar with ETA on a terminal; periodic plain lines when output is a file or pipe. */
final class ProgressPrinter implements TrainingListener {
    private final PrintStream out;
    private final boolean terminal;
    private long totalSteps;
    private long startStep;
    private long startNanos;
    private long lastPrint;
    private double smoothLoss = Double.NaN;

    ProgressPrinter(PrintStream out) {
        this.out = out;
        this.terminal = System.console() != null;
    }

    @Override
    public void started(TrainingConfig config, long startStep, long totalSteps, TrainingHistory history) {
        this.totalSteps = totalSteps;
        this.startStep = startStep;
        this.startNanos = System.nanoTime();
        out.printf(Locale.ROOT, "training %s with %s, batch %d, %d steps x %d epochs, samples %dx%d, noise %s%n",
                config.architecture(), config.optimizer(), config.batchSize(), config.stepsPerEpoch(), config.epochs(),
                config.pairSpec().sampleSide(), config.pairSpec().sampleSide(), config.noise());
    }

    @Override
    public void iteration(int epoch, long step, double loss, double samplesPerSecond) {
        smoothLoss = Double.isNaN(smoothLoss) ? loss : 0.95 * smoothLoss + 0.05 * loss;
        long now = System.nanoTime();
        boolean due = terminal ? now - lastPrint > 200_000_000L : now - lastPrint > 10_000_000_000L;
        if (!due && step != totalSteps) {
            return;
        }
        lastPrint = now;
        double done = (step - startStep) / (double) Math.max(1, totalSteps - startStep);
        double elapsed = (now - startNanos) / 1e9;
        double eta = done > 0 ? elapsed * (1 - done) / done : Double.NaN;
        int width = 30;
        int filled = (int) Math.round(width * step / (double) Math.max(1, totalSteps));
        String bar = "=".repeat(filled) + " ".repeat(width - filled);
        String line = String.format(Locale.ROOT, "epoch %d [%s] %3.0f%% step %d/%d loss %.4f %.1f samples/s ETA %s",
                epoch, bar, 100.0 * step / Math.max(1, totalSteps), step, totalSteps, smoothLoss, samplesPerSecond,
                formatDuration(eta));
        if (terminal) {
            out.print("\r" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void epochFinished(TrainingHistory.Epoch e, Path checkpoint) {
        if (terminal) {
            out.println();
        }
        out.printf(Locale.ROOT, "epoch %d: train BCE %.4f, validation BCE %.4f, validation F %.2f%%, %.0f s -> %s%n",
                e.epoch(), e.trainLoss(), e.valLoss(), e.valFmeasure(), e.seconds(),
                checkpoint == null ? "no checkpoint (kept in memory)" : checkpoint);
    }

    @Override
    public void message(String text) {
        if (terminal) {
            out.println();
        }
        out.println(text);
    }

    static String formatDuration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "--";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
