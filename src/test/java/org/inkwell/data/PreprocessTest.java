package org.inkwell.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreprocessTest {
    @Test
    void nearestResizeSamplesFloorOfScaledCoordinate() {
        // OpenCV INTER_NEAREST: dst x samples src floor(x * srcW / dstW).
        GrayImage src = TestImages.indexed(5, 1);
        GrayImage out = Preprocess.resizeNearest(src, 3, 1);
        // scale 5/3: x=0 -> 0, x=1 -> floor(1.67)=1, x=2 -> floor(3.33)=3
        assertArrayEquals(new float[]{0, 1, 3}, out.pixels());
        GrayImage up = Preprocess.resizeNearest(TestImages.indexed(2, 1), 4, 1);
        assertArrayEquals(new float[]{0, 0, 1, 1}, up.pixels());
    }

    @Test
    void seedModeSquashesToSquareAndKeepsBinaryValues() {
        GrayImage wide = TestImages.parse("#..#....", "........");
        GrayImage out = Preprocess.apply(wide, Preprocess.Mode.SEED, 224);
        assertEquals(224, out.width());
        assertEquals(224, out.height());
        for (float v : out.pixels()) {
            assertTrue(v == 0f || v == 1f);
        }
        assertEquals(0f, out.get(0, 0));
    }

    @Test
    void fitModeKeepsAspectAndPadsWithPaper() {
        GrayImage wide = GrayImage.blank(200, 100);
        for (int x = 0; x < 200; x++) {
            for (int y = 0; y < 100; y++) {
                wide.set(x, y, GrayImage.INK);
            }
        }
        GrayImage out = Preprocess.fitPadded(wide, 64, 64);
        assertEquals(64, out.width());
        // 200x100 -> 64x32, centred vertically: rows 0..15 and 48..63 are paper.
        assertEquals(GrayImage.PAPER, out.get(10, 5));
        assertEquals(GrayImage.INK, out.get(10, 30));
        assertEquals(GrayImage.PAPER, out.get(10, 60));
        assertEquals(0.5, out.inkFraction(), 1e-9);
    }

    @Test
    void padToMultipleAddsPaperRightAndBottom() {
        GrayImage img = TestImages.parse("#", "#", "#");
        GrayImage out = Preprocess.padToMultiple(img, 32);
        assertEquals(32, out.width());
        assertEquals(32, out.height());
        assertEquals(GrayImage.INK, out.get(0, 2));
        assertEquals(GrayImage.PAPER, out.get(1, 0));
        assertEquals(3 / 1024.0, out.inkFraction(), 1e-12);
    }
}
