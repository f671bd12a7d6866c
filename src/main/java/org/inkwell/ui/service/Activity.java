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
    /** The last failure nobody caught (shown until new work starts); empty when there was none. */
    private final javafx.beans.property.ReadOnlyStringWrapper problem = new javafx.beans.property.ReadOnlyStringWrapper("");
    private final StringBinding summary = Bindings.createStringBinding(() -> switch (running.size()) {
        case 0 -> problem.get().isEmpty() ? "Ready" : problem.get();
        case 1 -> running.get(0) + "...";
        default -> running.get(running.size() - 1) + "... (+" + (running.size() - 1) + " more)";
    }, running, problem);

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
        ui.runOnUi(() -> {
            problem.set("");
            running.add(description);
        });
        return job;
    }

    /**
     * The handler for failures no code caught (installed as the default for every thread by the app): the log gets
     * the stack trace, the status bar one line, and the thread's work ends as it would anyway.
     */
    public Thread.UncaughtExceptionHandler uncaughtHandler() {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Activity.class);
        return (thread, e) -> {
            log.error("uncaught on thread " + thread.getName(), e);
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            ui.runOnUi(() -> problem.set("Something failed on " + thread.getName() + ": " + m + " (details in the log)"));
        };
    }

    /** The last failure nobody caught, until new work starts; empty when none. */
    public javafx.beans.property.ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
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
