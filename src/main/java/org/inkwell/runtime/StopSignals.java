package org.inkwell.runtime;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl+C (SIGINT) and a polite kill (SIGTERM) for a long run: the first one asks the run to stop at its next step,
 * so it writes its checkpoint and its result, and no shutdown begins meanwhile (shutdown hooks, Spark's among them,
 * would cancel the work before it is saved); a second one quits at once. The handlers this replaced are restored on
 * {@link #close()}.
 */
public final class StopSignals implements AutoCloseable {
    private static final String[] NAMES = {"INT", "TERM"};

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final AtomicInteger received = new AtomicInteger();

    private StopSignals() {
    }

    /**
     * Installs the handlers. {@code stop} is called (on the signal's thread) for the first signal; {@code out} hears
     * one line about it. Where signals cannot be handled (not a POSIX JVM), nothing is installed.
     */
    public static StopSignals install(Runnable stop, PrintStream out) {
        StopSignals s = new StopSignals();
        for (String name : NAMES) {
            try {
                Signal signal = new Signal(name);
                s.previous.put(signal, Signal.handle(signal, sig -> s.onSignal(sig, stop, out)));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // This JVM does not let Java handle the signal: its default (quit) stays.
            }
        }
        return s;
    }

    private void onSignal(Signal sig, Runnable stop, PrintStream out) {
        if (received.incrementAndGet() == 1) {
            out.println("inkwell: stopping at the next step and writing a checkpoint (SIG" + sig.getName()
                    + " again quits at once, without it)");
            stop.run();
        } else {
            out.println("inkwell: quitting without a checkpoint");
            Runtime.getRuntime().halt(128 + sig.getNumber());
        }
    }

    /** How many stop signals arrived. */
    public int received() {
        return received.get();
    }

    @Override
    public void close() {
        previous.forEach((signal, handler) -> {
            try {
                Signal.handle(signal, handler);
            } catch (IllegalArgumentException e) {
                // Nothing to restore.
            }
        });
        previous.clear();
    }
}
