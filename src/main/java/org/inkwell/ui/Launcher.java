package org.inkwell.ui;

import javafx.application.Application;

/** Starts the workbench; a plain class so the non-modular app runs from the class path. */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        Application.launch(InkwellApp.class, args);
    }
}
