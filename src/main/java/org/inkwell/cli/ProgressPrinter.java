package org.inkwell.cli;

import org.inkwell.model.TrainingConfig;
import org.inkwell.model.TrainingHistory;
import org.inkwell.train.LossSmoother;
import org.inkwell.train.RunProgress;
import org.inkwell.train.TrainingListener;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** A one-line progress bar with ETA on a terminal; periodic plain lines when output is a file or pipe. */
final class ProgressPrinter implements TrainingListener {
    private final PrintStream out;
    private final boolean terminal;
    private RunProgress progress;
    private final LossSmoother loss = new LossSmoother();
    private long lastPrint;

    ProgressPrinter(PrintStream out) {
        this.out = out;
        this.terminal = System.console() != null;
    }

    @Override
    public void started(TrainingConfig config, long startStep, long totalSteps, TrainingHistory history) {
        this.progress = new RunProgress(startStep, totalSteps);
        out.printf(Locale.ROOT, "training %s with %s, batch %d, %d steps x %d epochs, samples %dx%d, noise %s, on %s%n",
                config.architecture(), config.optimizer(), config.batchSize(), config.stepsPerEpoch(), config.epochs(),
                config.pairSpec().sampleSide(), config.pairSpec().sampleSide(), config.noise(),
                org.inkwell.runtime.Dl4jRuntime.backend());
    }

    @Override
    public void iteration(int epoch, long step, double stepLoss, double samplesPerSecond) {
        double smoothLoss = loss.add(stepLoss);
        long totalSteps = progress.totalSteps();
        long now = System.nanoTime();
        boolean due = terminal ? now - lastPrint > 200_000_000L : now - lastPrint > 10_000_000_000L;
        if (!due && step != totalSteps) {
            return;
        }
        lastPrint = now;
        int width = 30;
        int filled = (int) Math.round(width * progress.fraction(step));
        String bar = "=".repeat(filled) + " ".repeat(width - filled);
        String line = String.format(Locale.ROOT, "epoch %d [%s] %3.0f%% step %d/%d loss %.4f %.1f samples/s ETA %s",
                epoch, bar, 100 * progress.fraction(step), step, totalSteps, smoothLoss, samplesPerSecond,
                RunProgress.formatDuration(progress.etaSeconds(step)));
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
}
