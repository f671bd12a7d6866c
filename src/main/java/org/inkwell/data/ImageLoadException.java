package org.inkwell.data;

import java.io.IOException;

/** An image that cannot be used, with a message fit to show a user as is. */
public class ImageLoadException extends IOException {
    public ImageLoadException(String message) {
        super(message);
    }

    public ImageLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
