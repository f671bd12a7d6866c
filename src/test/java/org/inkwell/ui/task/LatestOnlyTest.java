package org.inkwell.ui.task;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatestOnlyTest {
    @Test
    void staleRequestsAreDroppedAndTheNewestWins() throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> computed = new CopyOnWriteArrayList<>();
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        LatestOnly<Integer, Integer> runner = new LatestOnly<>(ex, v -> {
            computed.add(v);
            if (v == 0) {
                firstStarted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return v * 10;
        });
        runner.submit(0, delivered::add, e -> { });
        assertTrue(firstStarted.await(5, TimeUnit.SECONDS));
        for (int i = 1; i <= 50; i++) {
            int v = i;
            runner.submit(v, r -> {
                delivered.add(r);
                if (v == 50) {
                    done.countDown();
                }
            }, e -> { });
        }
        release.countDown();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        ex.shutdown();
        // The busy first run, then only the newest of the fifty queued values.
        assertEquals(List.of(0, 50), computed);
        assertEquals(500, delivered.get(delivered.size() - 1));
    }

    /**
     * Issue #27, item 7: any failure of a request, an Error too, and a failing callback, leave the runner able to run
     * the next request. Mutation caught: catching only RuntimeException and OutOfMemoryError (running stays true and no
     * preview ever runs again).
     */
    @Test
    void anErrorOrAFailingCallbackNeverStopsLaterRequests() {
        Executor inline = Runnable::run;
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        LatestOnly<Integer, Integer> runner = new LatestOnly<>(inline, v -> {
            if (v == 1) {
                throw new AssertionError("an Error, not a RuntimeException");
            }
            return v;
        });
        runner.submit(1, delivered::add, errors::add);
        assertEquals(1, errors.size());
        assertTrue(errors.get(0) instanceof AssertionError);
        runner.submit(2, delivered::add, errors::add);
        assertEquals(List.of(2), delivered);
        try {
            runner.submit(3, r -> {
                throw new StackOverflowError("the callback failed");
            }, errors::add);
        } catch (StackOverflowError expected) {
            // the callback's own failure reaches the caller of this inline executor
        }
        runner.submit(4, delivered::add, errors::add);
        assertEquals(List.of(2, 4), delivered);
    }
}
