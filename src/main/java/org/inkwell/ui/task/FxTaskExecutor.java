package org.inkwell.ui.task;

import javafx.application.Platform;
import javafx.concurrent.Task;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleConsumer;

/** Runs background tasks as {@code javafx.concurrent.Task}s on a small daemon pool; owns the threads it hands out. */
public final class FxTaskExecutor implements TaskExecutor {
    private final ExecutorService pool;
    private final List<ExecutorService> ownThreads = new CopyOnWriteArrayList<>();

    public FxTaskExecutor() {
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        // After shutdown new work is dropped, as on the threads handed out: a closing window may still ask for some.
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "inkwell-background-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
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
    public Executor confinedThread(String name) {
        return own(new LinkedBlockingQueue<>(), name);
    }

    @Override
    public Executor newestFirstThread(String name) {
        return own(new LinkedBlockingDeque<>() {
            @Override
            public boolean offer(Runnable r) {
                return offerFirst(r);
            }
        }, name);
    }

    /** One thread; after {@link #shutdown()} new work is dropped (the window may still ask for thumbnails as it closes). */
    private Executor own(BlockingQueue<Runnable> queue, String name) {
        ExecutorService t = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, queue, daemon(name),
                new ThreadPoolExecutor.DiscardPolicy());
        ownThreads.add(t);
        return t;
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void shutdown() {
        pool.shutdownNow();
        ownThreads.forEach(ExecutorService::shutdownNow);
    }
}
