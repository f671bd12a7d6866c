package org.inkwell.ui.service;

import org.inkwell.ui.task.TaskExecutor;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * What the app is doing right now, for the whole window: every piece of background work registers here with a
 * description ("Cleaning scan.png (1725 x 543)", "Training epoch 2"), so the status bar never says "idle"
 * while something runs. Updated on the UI thread; {@link #begin} may be called from any thread.
 */
public final class Activity {
    private final TaskExecutor ui;
    private final ObservableList<String> running = FXCollections.observableArrayList();
    private final BooleanBinding busy = Bindings.isNotEmpty(running);
    private final StringBinding summary = Bindings.createStringBinding(() -> switch (running.size()) {
        case 0 -> "Ready";
        case 1 -> running.get(0) + "...";
        default -> running.get(running.size() - 1) + "... (+" + (running.size() - 1) + " more)";
    }, running);

    public Activity(TaskExecutor ui) {
        this.ui = ui;
    }

    /** A running job; {@link #end()} once, from any thread. */
    public final class Job {
        private final String description;
        private boolean ended;

        private Job(String description) {
            this.description = description;
        }

        public void end() {
            ui.runOnUi(() -> {
                if (!ended) {
                    ended = true;
                    running.remove(description);
                }
            });
        }
    }

    public Job begin(String description) {
        Job job = new Job(description);
        ui.runOnUi(() -> running.add(description));
        return job;
    }

    public ObservableList<String> running() {
        return FXCollections.unmodifiableObservableList(running);
    }

    public BooleanBinding busyProperty() {
        return busy;
    }

    /** "Ready", or the newest job's description. */
    public StringBinding summaryProperty() {
        return summary;
    }
}
