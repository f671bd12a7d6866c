package org.inkwell.model;

import java.io.IOException;

/** A model file that cannot be used, with a message fit to show a user as is. */
public class ModelLoadException extends IOException {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
