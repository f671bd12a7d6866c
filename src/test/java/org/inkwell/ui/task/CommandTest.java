package org.inkwell.ui.task;

import javafx.beans.property.SimpleBooleanProperty;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A command runs only when executable and not already running; running covers the work it started. */
class CommandTest {
    @Test
    void runningCoversTheActionAndTheBackgroundWorkItStarted() {
        SimpleBooleanProperty executable = new SimpleBooleanProperty(true);
        SimpleBooleanProperty busy = new SimpleBooleanProperty(false);
        int[] runs = {0};
        boolean[] runningInside = {false};
        Command[] c = new Command[1];
        c[0] = new Command(executable, () -> {
            runs[0]++;
            runningInside[0] = c[0].runningProperty().get();
            busy.set(true); // started some background work
        }, busy);
        assertFalse(c[0].runningProperty().get());
        c[0].execute();
        assertEquals(1, runs[0]);
        assertTrue(runningInside[0], "running while the action runs");
        assertTrue(c[0].runningProperty().get(), "running while its work goes on");
        c[0].execute();
        assertEquals(1, runs[0], "not again while running");
        busy.set(false);
        assertFalse(c[0].runningProperty().get());
        executable.set(false);
        c[0].execute();
        assertEquals(1, runs[0], "not when not executable");
    }

    @Test
    void aFailingActionLeavesTheCommandReady() {
        Command c = new Command(new SimpleBooleanProperty(true), () -> {
            throw new IllegalStateException("boom");
        });
        assertThrows(IllegalStateException.class, c::execute);
        assertFalse(c.runningProperty().get());
        assertThrows(IllegalStateException.class, c::execute, "it runs again");
    }
}
