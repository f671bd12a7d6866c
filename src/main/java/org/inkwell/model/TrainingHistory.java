package org.inkwell.model;

import java.util.ArrayList;
import java.util.List;

/** Losses so far, saved in every checkpoint so a resumed run's charts continue where they stopped. */
public final class TrainingHistory {
    /** One epoch's summary. */
    public record Epoch(int epoch, long step, double trainLoss, double valLoss, double valFmeasure, double seconds) {
    }

    private final List<Float> iterationLoss = new ArrayList<>();
    private final List<Epoch> epochs = new ArrayList<>();

    public synchronized void addIteration(double loss) {
        iterationLoss.add((float) loss);
    }

    public synchronized void addEpoch(Epoch e) {
        epochs.add(e);
    }

    public synchronized List<Float> iterationLoss() {
        return List.copyOf(iterationLoss);
    }

    public synchronized List<Epoch> epochs() {
        return List.copyOf(epochs);
    }

    public synchronized TrainingHistory copy() {
        TrainingHistory h = new TrainingHistory();
        h.iterationLoss.addAll(iterationLoss);
        h.epochs.addAll(epochs);
        return h;
    }

    /** Best validation loss so far, or +inf. */
    public synchronized double bestValLoss() {
        return epochs.stream().mapToDouble(Epoch::valLoss).min().orElse(Double.POSITIVE_INFINITY);
    }
}
