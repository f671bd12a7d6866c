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
    private final Runnable action;

    public Command(ObservableBooleanValue executableWhen, Runnable action) {
        this.executable.bind(executableWhen);
        this.action = action;
    }

    public ReadOnlyBooleanProperty executableProperty() {
        return executable.getReadOnlyProperty();
    }

    public boolean isExecutable() {
        return executable.get();
    }

    /** Runs the action if it may run now; otherwise does nothing (a stale click on a control being disabled). */
    public void execute() {
        if (executable.get()) {
            action.run();
        }
    }
}
