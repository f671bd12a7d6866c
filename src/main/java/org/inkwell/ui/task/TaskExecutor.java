package org.inkwell.ui.task;

import java.util.function.DoubleConsumer;

/**
 * The one way view models start background work (as in JabRef). The application runs tasks as
 * {@code javafx.concurrent.Task}s on a thread pool; tests use {@link DirectTaskExecutor} to run everything
 * synchronously on the calling thread, without a toolkit.
 */
public interface TaskExecutor {
    /** Runs {@code task} off the UI thread; its callbacks and {@code progress} arrive on the UI thread. */
    <V> void execute(BackgroundTask<V> task, DoubleConsumer progress);

    default <V> void execute(BackgroundTask<V> task) {
        execute(task, p -> { });
    }

    /** Runs {@code action} on the UI thread (immediately in tests). */
    void runOnUi(Runnable action);

    void shutdown();
}
