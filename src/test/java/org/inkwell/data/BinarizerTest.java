package org.inkwell.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinarizerTest {
    @Test
    void binaryImagesAreKeptAsTheyAre() {
        GrayImage img = TestImages.parse("#.#", "...");
        assertSame(img, Binarizer.binarize(img));
    }

    @Test
    void otsuSeparatesTwoGreyLevels() {
        float[] px = new float[100];
        for (int i = 0; i < px.length; i++) {
            px[i] = i < 30 ? 60 / 255f : 200 / 255f;
        }
        GrayImage img = new GrayImage(10, 10, px);
        int t = Binarizer.otsuThreshold(img);
        assertTrue(t >= 60 && t < 200, "threshold " + t);
        GrayImage b = Binarizer.binarize(img);
        assertEquals(0.3, b.inkFraction(), 1e-9);
        assertTrue(Binarizer.isBinary(b));
    }
}
