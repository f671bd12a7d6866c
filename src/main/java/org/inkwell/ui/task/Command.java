package org.inkwell.ui.task;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.value.ObservableBooleanValue;

/**
 * An action of a view model that a control binds to (as in mvvmFX): the view binds {@code disable} to
 * {@link #executableProperty()} instead of combining the view model's flags itself, and runs it with
 * {@link #execute()}. The rule for when it may run lives in the view model, where tests can reach it.
 */
public final class Command {
    private final ReadOnlyBooleanWrapper executable = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final javafx.beans.property.BooleanProperty inAction = new javafx.beans.property.SimpleBooleanProperty();
    private final Runnable action;

    public Command(ObservableBooleanValue executableWhen, Runnable action) {
        this(executableWhen, action, null);
    }

    /**
     * @param busyWhile true while the work the action started goes on in the background (a training run, a model
     *                  being loaded); the command is running until then, and does not run again meanwhile
     */
    public Command(ObservableBooleanValue executableWhen, Runnable action, ObservableBooleanValue busyWhile) {
        this.executable.bind(executableWhen);
        this.action = action;
        if (busyWhile == null) {
            running.bind(inAction);
        } else {
            running.bind(inAction.or(busyWhile));
        }
    }

    /** True while the action runs, and while the work it started does (see the constructor). */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty executableProperty() {
        return executable.getReadOnlyProperty();
    }

    public boolean isExecutable() {
        return executable.get();
    }

    /**
     * Runs the action if it may run now and is not running; otherwise does nothing (a stale click on a control
     * being disabled, a second click while the first one's work goes on).
     */
    public void execute() {
        if (executable.get() && !running.get()) {
            inAction.set(true);
            try {
                action.run();
            } finally {
                inAction.set(false);
            }
        }
    }
}
