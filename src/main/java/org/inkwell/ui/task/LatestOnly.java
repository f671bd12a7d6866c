package org.inkwell.ui.task;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a computation for the newest request only: while one run is busy, newer requests replace each other and
 * just the last one runs next. A slider dragged across fifty values costs two runs, never fifty.
 */
public final class LatestOnly<I, O> {
    private final Executor executor;
    private final Function<I, O> work;
    private final AtomicReference<Request<I, O>> pending = new AtomicReference<>();
    private boolean running;

    private record Request<I, O>(I input, Consumer<O> onResult, Consumer<Throwable> onError) {
    }

    public LatestOnly(Executor executor, Function<I, O> work) {
        this.executor = executor;
        this.work = work;
    }

    public void submit(I input, Consumer<O> onResult, Consumer<Throwable> onError) {
        pending.set(new Request<>(input, onResult, onError));
        synchronized (this) {
            if (running) {
                return;
            }
            running = true;
        }
        executor.execute(this::drain);
    }

    private void drain() {
        boolean idle = false;
        try {
            while (true) {
                Request<I, O> r = pending.getAndSet(null);
                if (r == null) {
                    synchronized (this) {
                        if (pending.get() == null) {
                            running = false;
                            idle = true;
                            return;
                        }
                    }
                    continue;
                }
                try {
                    O out = work.apply(r.input());
                    if (pending.get() == null) { // a newer request makes this result stale
                        r.onResult().accept(out);
                    }
                } catch (Throwable e) { // any failure, an Error too, is the request's: later requests still run
                    r.onError().accept(e);
                }
            }
        } finally {
            if (!idle) {
                // A callback itself failed: this drain ends, but the next request starts a new one.
                synchronized (this) {
                    running = false;
                }
            }
        }
    }
}
