package org.inkwell.ui.task;

import java.util.concurrent.Executor;
import java.util.function.DoubleConsumer;

/** Runs tasks, UI actions and confined work synchronously on the calling thread: deterministic view-model tests without a toolkit. */
public final class DirectTaskExecutor implements TaskExecutor {
    @Override
    public <V> void execute(BackgroundTask<V> task, DoubleConsumer progress) {
        task.setProgressSink(progress);
        V value;
        try {
            value = task.runNow();
        } catch (Exception | OutOfMemoryError e) {
            task.failed(e);
            return;
        }
        task.succeeded(value);
    }

    @Override
    public void runOnUi(Runnable action) {
        action.run();
    }

    @Override
    public Executor confinedThread(String name) {
        return Runnable::run;
    }

    @Override
    public Executor newestFirstThread(String name) {
        return Runnable::run;
    }

    @Override
    public void shutdown() {
        // nothing to stop
    }
}
