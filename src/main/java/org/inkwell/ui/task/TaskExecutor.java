package org.inkwell.ui.task;

import java.util.concurrent.Executor;
import java.util.function.DoubleConsumer;

/**
 * The one way the workbench starts background work (as in JabRef). The application runs tasks as
 * {@code javafx.concurrent.Task}s on a thread pool and owns every other thread it hands out; tests use
 * {@link DirectTaskExecutor}, which runs all of it synchronously on the calling thread, without a toolkit.
 */
public interface TaskExecutor {
    /** Runs {@code task} off the UI thread; its callbacks and {@code progress} arrive on the UI thread. */
    <V> void execute(BackgroundTask<V> task, DoubleConsumer progress);

    default <V> void execute(BackgroundTask<V> task) {
        execute(task, p -> { });
    }

    /** Runs {@code action} on the UI thread (immediately in tests). */
    void runOnUi(Runnable action);

    /**
     * A thread of its own that runs work in submission order: where a DL4J network is confined, or where a
     * producer runs beside its consumer. Stopped by {@link #shutdown()}.
     */
    Executor confinedThread(String name);

    /** A thread of its own that runs the newest work first (what is on screen now beats what scrolled past). */
    Executor newestFirstThread(String name);

    /** Stops the pool and every thread this executor handed out. */
    void shutdown();
}
