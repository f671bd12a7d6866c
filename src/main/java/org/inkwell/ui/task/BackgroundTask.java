package org.inkwell.ui.task;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;

/**
 * A unit of background work as view models describe it, free of any toolkit: the work itself plus what to do
 * with its result, error and progress. A {@link TaskExecutor} decides where it runs (in the app: inside a
 * {@code javafx.concurrent.Task} on a pool thread; in tests: right away) and delivers callbacks on the UI thread.
 */
public abstract class BackgroundTask<V> {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private Consumer<V> onSuccess = v -> { };
    private Consumer<Throwable> onFailure = e -> { };
    private DoubleConsumer progressSink = p -> { };

    /** Runs off the UI thread. */
    protected abstract V call() throws Exception;

    public static <V> BackgroundTask<V> of(java.util.concurrent.Callable<V> work) {
        return new BackgroundTask<>() {
            @Override
            protected V call() throws Exception {
                return work.call();
            }
        };
    }

    public BackgroundTask<V> onSuccess(Consumer<V> c) {
        this.onSuccess = c;
        return this;
    }

    public BackgroundTask<V> onFailure(Consumer<Throwable> c) {
        this.onFailure = c;
        return this;
    }

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Progress in [0, 1]; the executor coalesces and forwards it to the UI thread. */
    protected void updateProgress(double done, double total) {
        progressSink.accept(total <= 0 ? 0 : done / total);
    }

    // ---- for executors

    public V runNow() throws Exception {
        return call();
    }

    public void setProgressSink(DoubleConsumer sink) {
        this.progressSink = sink;
    }

    public void succeeded(V value) {
        if (!isCancelled()) {
            onSuccess.accept(value);
        }
    }

    public void failed(Throwable e) {
        if (!isCancelled()) {
            onFailure.accept(e);
        }
    }
}
