package org.inkwell.model;

import org.inkwell.data.GrayImage;
import org.junit.jupiter.api.Test;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The export's crop box and straightening. Mutations caught: the rotation's sign flipped (the bar ends up twice as
 * tilted, not level), the region ignored or shifted by one (the crop's size and its first pixel).
 */
class InkExportTest {
    /** A level bar 300 px long and 6 px thick, tilted by {@code degrees}. */
    private static GrayImage tiltedBar(double degrees) {
        GrayImage img = GrayImage.blank(400, 120);
        for (int y = 57; y < 63; y++) {
            for (int x = 50; x < 350; x++) {
                img.set(x, y, 0f);
            }
        }
        return img.rotated(degrees);
    }

    @Test
    void straighteningTurnsATiltedBarLevel() {
        GrayImage bar = tiltedBar(5);
        BufferedImage tilted = InkExport.render(bar, 0.5, new InkExport.Style(false, InkExport.BLACK, true, 2));
        BufferedImage level = InkExport.render(bar, 0.5, new InkExport.Style(false, InkExport.BLACK, true, 2, null, -5));
        // Tilted by 5 degrees a 300 px bar rises by about 26 px; levelled, it is its own 6 px plus the margins.
        assertTrue(tilted.getHeight() > 30, "tilted: " + tilted.getHeight());
        assertTrue(level.getHeight() <= 6 + 2 * 2 + 2, "level: " + level.getHeight());
        assertEquals(300 + 2 * 2, level.getWidth(), 3);
    }

    @Test
    void everyExportPixelMapsBackToTheSourcePixelItShows() {
        // What the eraser relies on: a click on the straightened, cropped result lands on the right source pixel.
        GrayImage bar = tiltedBar(5);
        InkExport.Placed placed = InkExport.place(bar, 0.5,
                new InkExport.Style(false, InkExport.BLACK, true, 3, new Rectangle(20, 5, 370, 110), -5));
        BufferedImage img = placed.image();
        int checked = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                boolean ink = img.getRaster().getSample(x, y, 0) == 0;
                java.awt.geom.Point2D src = placed.toSource(x, y);
                int sx = (int) Math.round(src.getX());
                int sy = (int) Math.round(src.getY());
                if (sx < 0 || sy < 0 || sx >= bar.width() || sy >= bar.height()) {
                    continue;
                }
                // Away from the stroke's edge, where rounding may fall on either side.
                if (ink && bar.get(sx, sy) < 0.1f || !ink && bar.get(sx, sy) > 0.9f) {
                    checked++;
                } else if (bar.get(sx, sy) <= 0.1f || bar.get(sx, sy) >= 0.9f) {
                    throw new AssertionError("export " + x + "," + y + (ink ? " ink" : " paper") + " maps to " + sx + "," + sy
                            + " = " + bar.get(sx, sy));
                }
            }
        }
        assertTrue(checked > 200, "checked " + checked);
    }

    @Test
    void theRegionIsTheCropBoxExactly() {
        GrayImage img = GrayImage.blank(50, 40);
        img.set(10, 20, 0f);
        img.set(30, 5, 0.2f);
        BufferedImage out = InkExport.render(img, 0.5,
                new InkExport.Style(false, InkExport.BLACK, false, 0, new Rectangle(10, 5, 21, 16), 0));
        assertEquals(21, out.getWidth());
        assertEquals(16, out.getHeight());
        assertEquals(0, out.getRaster().getSample(0, 15, 0)); // (10, 20): ink
        assertEquals(0, out.getRaster().getSample(20, 0, 0)); // (30, 5): ink
        assertEquals(255, out.getRaster().getSample(1, 15, 0));
        // A box reaching past the image is clipped to it.
        BufferedImage clipped = InkExport.render(img, 0.5,
                new InkExport.Style(false, InkExport.BLACK, false, 0, new Rectangle(40, 30, 100, 100), 0));
        assertEquals(10, clipped.getWidth());
        assertEquals(10, clipped.getHeight());
    }
}
