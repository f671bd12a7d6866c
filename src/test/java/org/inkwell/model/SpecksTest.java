package org.inkwell.model;

import org.inkwell.data.GrayImage;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Marks below the size go, everything else stays exactly. Mutations caught: 4- instead of 8-connectivity (the
 * diagonal pair would count as two marks of 1 and go), "<=" instead of "<" at the size, touching pixels at or above
 * the threshold, a component split at the image edge.
 */
class SpecksTest {
    @Test
    void marksSmallerThanTheSizeBecomePaperAndTheRestIsUntouched() {
        int w = 12;
        int h = 6;
        float[] p = new float[w * h];
        Arrays.fill(p, 1f);
        p[0] = 0.1f;                               // a 1-pixel speck in the corner
        p[2 * w + 2] = 0.2f;                       // a diagonal pair: one 8-connected mark of 2
        p[3 * w + 3] = 0.2f;
        for (int x = 6; x < 12; x++) {
            p[5 * w + x] = 0.05f;                  // a stroke of 6 along the bottom edge
        }
        p[w + 8] = 0.55f;                          // above the threshold: paper, never touched
        GrayImage in = new GrayImage(w, h, p);
        GrayImage out = Specks.remove(in, 0.5, 2);
        assertEquals(1f, out.get(0, 0));
        assertEquals(0.2f, out.get(2, 2));
        assertEquals(0.2f, out.get(3, 3));
        assertEquals(0.55f, out.get(8, 1));
        GrayImage three = Specks.remove(in, 0.5, 3);
        assertEquals(1f, three.get(2, 2));
        assertEquals(1f, three.get(3, 3));
        assertEquals(0.05f, three.get(6, 5));     // the stroke of 6 stays at sizes up to 6
        assertEquals(0.05f, Specks.remove(in, 0.5, 6).get(11, 5));
        assertEquals(1f, Specks.remove(in, 0.5, 7).get(11, 5));
        assertSame(in, Specks.remove(in, 0.5, 0));
        assertEquals(0.1f, p[0]);                  // the input is never changed
    }
}
