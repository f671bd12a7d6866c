package org.inkwell.ui.task;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.function.DoubleConsumer;

/**
 * Like {@link DirectTaskExecutor}, except that work sent to the confined threads (the model thread, thumbnails)
 * waits until the test calls {@link #runQueued()}: a busy model thread, deterministically and without sleeping.
 */
public final class QueuedTaskExecutor implements TaskExecutor {
    private final DirectTaskExecutor direct = new DirectTaskExecutor();
    private final Deque<Runnable> queued = new ArrayDeque<>();
    private final boolean tasksToo;

    public QueuedTaskExecutor() {
        this(false);
    }

    /**
     * @param tasksToo background tasks wait in the queue too: a test then sees that work reached the executor
     *                 instead of running on the calling (UI) thread
     */
    public QueuedTaskExecutor(boolean tasksToo) {
        this.tasksToo = tasksToo;
    }

    @Override
    public <V> void execute(BackgroundTask<V> task, DoubleConsumer progress) {
        if (tasksToo) {
            queued.addLast(() -> direct.execute(task, progress));
        } else {
            direct.execute(task, progress);
        }
    }

    @Override
    public void runOnUi(Runnable action) {
        action.run();
    }

    @Override
    public Executor confinedThread(String name) {
        return queued::addLast;
    }

    @Override
    public Executor newestFirstThread(String name) {
        return queued::addFirst;
    }

    /** Runs the queued work, and whatever it queues in turn, in order; returns how many pieces ran. */
    public int runQueued() {
        int n = 0;
        for (Runnable r; (r = queued.pollFirst()) != null; n++) {
            r.run();
        }
        return n;
    }

    @Override
    public void shutdown() {
        queued.clear();
    }
}
