package org.inkwell.eval;

import org.inkwell.data.GrayImage;
import org.inkwell.data.TestImages;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ClassicalFiltersTest {
    @Test
    void medianRemovesIsolatedSpecksAndKeepsBlocks() {
        GrayImage noisy = TestImages.parse(
                "#.......",
                "....###.",
                "..#.###.",
                "....###.",
                "........");
        GrayImage out = ClassicalFilters.median(noisy, 3);
        assertArrayEquals(new String[]{
                "........",
                ".....#..",
                "....###.",
                ".....#..",
                "........"}, TestImages.rows(out));
    }

    @Test
    void componentRemovalDropsOnlySmallComponents() {
        GrayImage noisy = TestImages.parse(
                "#.....#",
                "......#",
                ".####.#",
                "......#",
                "##.....");
        GrayImage out = ClassicalFilters.removeSmallComponents(noisy, 3);
        assertArrayEquals(new String[]{
                "......#",
                "......#",
                ".####.#",
                "......#",
                "......."}, TestImages.rows(out));
    }
}
