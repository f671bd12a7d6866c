package org.inkwell.data;

import java.io.IOException;

/** An output that {@link OutputPolicy} will not write; the message is one line for the user. */
public final class OutputRefusedException extends IOException {
    public OutputRefusedException(String message) {
        super(message);
    }
}
