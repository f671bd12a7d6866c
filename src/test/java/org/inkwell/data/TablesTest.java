package org.inkwell.data;

import org.inkwell.ChildJvm;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thread interrupted while it is the first to touch Tablesaw's {@code Table} no longer breaks Tablesaw for the rest
 * of the JVM (found when a cancelled Dataset statistics task left {@code evaluate} failing with
 * {@code NoClassDefFoundError} in the same JVM). Each case runs in a fresh JVM, where {@code Table} is not loaded yet.
 * The first case shows the failure is real: without {@link Tables#ready()} the interrupted first use breaks it.
 */
class TablesTest {
    /** Run in a child JVM: ARG "guarded" goes through Tables.ready(), "direct" does not; prints what a later use sees. */
    public static void main(String[] args) throws Exception {
        Thread first = new Thread(() -> {
            try {
                if (args[0].equals("guarded")) {
                    Tables.ready();
                    System.out.println("interrupt kept: " + Thread.interrupted());
                }
                tech.tablesaw.api.Table.create("t");
            } catch (Throwable e) {
                System.out.println("first use failed: " + e.getClass().getSimpleName());
            }
        });
        first.start();
        // Interrupted again and again while it loads (as an executor's shutdownNow or a cancel would, once).
        while (first.isAlive()) {
            first.interrupt();
            Thread.sleep(2);
        }
        try {
            tech.tablesaw.api.Table t = tech.tablesaw.api.Table.create("later",
                    tech.tablesaw.api.DoubleColumn.create("x", new double[]{1, 2}));
            System.out.println("later use: " + t.rowCount() + " rows");
        } catch (Throwable e) {
            System.out.println("later use failed: " + e.getClass().getSimpleName());
        }
    }

    private static String run(String mode) throws Exception {
        Process p = new ProcessBuilder(ChildJvm.java(TablesTest.class.getName(), mode)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void anInterruptedFirstUseNoLongerBreaksTablesaw() throws Exception {
        String direct = run("direct");
        assertTrue(direct.contains("later use failed: NoClassDefFoundError"), "the failure this guards against:\n" + direct);
        String guarded = run("guarded");
        assertTrue(guarded.contains("interrupt kept: true"), guarded);
        assertTrue(guarded.contains("later use: 2 rows"), guarded);
        assertEquals(-1, guarded.indexOf("failed"), guarded);
    }
}
