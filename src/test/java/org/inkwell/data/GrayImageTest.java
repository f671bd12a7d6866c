package org.inkwell.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The symmetries the pepper specialist averages over. Mutations caught: a mirror that swaps the wrong axis or
 * leaves the image as is, a transpose that keeps the size or reads rows as columns.
 */
class GrayImageTest {
    // 3 wide, 2 high:  1 2 3
    //                  4 5 6
    private static final GrayImage G = new GrayImage(3, 2, new float[] {1, 2, 3, 4, 5, 6});

    @Test
    void mirrorsEachAxis() {
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, G.mirrored(true, false).pixels());
        assertArrayEquals(new float[] {4, 5, 6, 1, 2, 3}, G.mirrored(false, true).pixels());
        assertArrayEquals(new float[] {6, 5, 4, 3, 2, 1}, G.mirrored(true, true).pixels());
        assertArrayEquals(G.pixels(), G.mirrored(false, false).pixels());
    }

    @Test
    void transposesAboutTheMainDiagonal() {
        GrayImage t = G.transposed();
        assertEquals(2, t.width());
        assertEquals(3, t.height());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.pixels());
        assertArrayEquals(G.pixels(), t.transposed().pixels());
        assertEquals(5f, t.get(1, 1));
        assertEquals(G.get(2, 1), t.get(1, 2));
    }
}
