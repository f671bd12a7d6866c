package org.inkwell.data;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Loads Tablesaw's {@code Table} class on a thread of its own. Its static initializer scans the class path
 * (ClassGraph) and gives up when the thread running it is interrupted; a failed initializer breaks the class for
 * the rest of the JVM's life ({@code NoClassDefFoundError} on every later use). A background task cancelled while it
 * happened to be the first to touch {@code Table} (a Dataset pane whose folder changed, a test's executor stopped)
 * did exactly that. Here nobody interrupts the loading thread; callers wait for it, and an interrupted caller keeps
 * its interrupt for afterwards.
 */
public final class Tables {
    private static final CompletableFuture<Void> LOADED = new CompletableFuture<>();

    static {
        Thread t = new Thread(() -> {
            try {
                Class.forName("tech.tablesaw.api.Table", true, Tables.class.getClassLoader());
                LOADED.complete(null);
            } catch (Throwable e) {
                LOADED.completeExceptionally(e);
            }
        }, "inkwell-tablesaw-init");
        t.setDaemon(true);
        t.start();
    }

    private Tables() {
    }

    /** Returns once Tablesaw's {@code Table} is initialized (at once after the first time). */
    public static void ready() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    LOADED.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("Tablesaw could not start: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
