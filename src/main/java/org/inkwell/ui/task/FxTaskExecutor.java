package org.inkwell.ui.task;

import javafx.application.Platform;
import javafx.concurrent.Task;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleConsumer;

/** Runs background tasks as {@code javafx.concurrent.Task}s on a small daemon pool. */
public final class FxTaskExecutor implements TaskExecutor {
    private final ExecutorService pool;

    public FxTaskExecutor() {
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "inkwell-background-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public <V> void execute(BackgroundTask<V> work, DoubleConsumer progress) {
        WorkTask<V> task = new WorkTask<>(work);
        work.setProgressSink(task::progress);
        task.progressProperty().addListener((o, a, b) -> progress.accept(b.doubleValue()));
        task.setOnSucceeded(e -> work.succeeded(task.getValue()));
        task.setOnFailed(e -> work.failed(task.getException()));
        pool.execute(task);
    }

    /** A javafx Task around the work; Task.updateProgress coalesces bursts into one UI update. */
    private static final class WorkTask<V> extends Task<V> {
        private final BackgroundTask<V> work;

        WorkTask(BackgroundTask<V> work) {
            this.work = work;
        }

        @Override
        protected V call() throws Exception {
            return work.runNow();
        }

        void progress(double p) {
            updateProgress(p, 1.0);
        }
    }

    @Override
    public void runOnUi(Runnable action) {
        if (Platform.isFxApplicationThread()) {
            action.run();
        } else {
            Platform.runLater(action);
        }
    }

    @Override
    public void shutdown() {
        pool.shutdownNow();
    }
}
