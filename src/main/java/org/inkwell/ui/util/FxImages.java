package org.inkwell.ui.util;

import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import org.inkwell.data.GrayImage;

/** GrayImage to JavaFX image, for views only. */
public final class FxImages {
    private FxImages() {
    }

    public static Image toImage(GrayImage g) {
        if (g == null) {
            return null;
        }
        int w = g.width();
        int h = g.height();
        byte[] bgra = new byte[w * h * 4];
        float[] px = g.pixels();
        for (int i = 0; i < px.length; i++) {
            int v = Math.round(Math.min(1f, Math.max(0f, px[i])) * 255f);
            bgra[4 * i] = (byte) v;
            bgra[4 * i + 1] = (byte) v;
            bgra[4 * i + 2] = (byte) v;
            bgra[4 * i + 3] = (byte) 255;
        }
        WritableImage img = new WritableImage(w, h);
        img.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getByteBgraPreInstance(), bgra, 0, w * 4);
        return img;
    }
}
