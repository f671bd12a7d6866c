package org.inkwell.data;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dark-speck coverage that sends a grey scan to the pepper specialist. Mutations caught (each run): the speck
 * not required to be darker than every neighbour (a 2 px line counts), the contrast test dropped (a faint dot
 * counts), the darkness test dropped (a dot at 0.5 counts), every block counted or the share taken over the pixels
 * rather than the blocks (the quarter becomes another number), partial blocks counted (the 20x20 image's share moves).
 */
class DarkSpecksTest {
    private static GrayImage paper(int w, int h, float level) {
        GrayImage g = new GrayImage(w, h, new float[w * h]);
        java.util.Arrays.fill(g.pixels(), level);
        return g;
    }

    @Test
    void oneDarkDotMarksItsBlockOnly() {
        GrayImage g = paper(16, 16, 0.95f);
        g.set(4, 4, 0.05f);
        assertEquals(0.25, DarkSpecks.coverage(g), 1e-12, "one block of four");
        g.set(12, 12, 0.3f); // a second dot, in another block: dark enough and 0.65 below its ground
        assertEquals(0.5, DarkSpecks.coverage(g), 1e-12);
        g.set(5, 6, 0.1f); // a second dot in the first block does not count it twice
        assertEquals(0.5, DarkSpecks.coverage(g), 1e-12);
    }

    @Test
    void linesFaintDotsAndPaleDotsAreNotSpecks() {
        GrayImage line = paper(16, 16, 0.95f);
        for (int y = 2; y < 14; y++) {
            line.set(6, y, 0.05f);
            line.set(7, y, 0.05f);
        }
        assertEquals(0, DarkSpecks.coverage(line), "a stroke two pixels wide has no pixel darker than all its neighbours");
        GrayImage faint = paper(16, 16, 0.5f);
        faint.set(4, 4, 0.35f); // dark enough but only 0.15 below its ground
        assertEquals(0, DarkSpecks.coverage(faint));
        GrayImage pale = paper(16, 16, 0.95f);
        pale.set(4, 4, 0.5f); // 0.45 below its ground but lighter than a speck
        assertEquals(0, DarkSpecks.coverage(pale));
        assertEquals(0, DarkSpecks.coverage(paper(7, 7, 0.9f)), "smaller than a block");
        GrayImage partial = paper(20, 20, 0.95f);
        partial.set(17, 17, 0.0f); // in the partial block at the edge: not counted
        partial.set(3, 3, 0.0f);
        assertEquals(0.25, DarkSpecks.coverage(partial), 1e-12, "four whole blocks, one with a speck");
    }

    /** The phenomena themselves: the seed's pepper at about 20 % on a grey scan, and what must stay with the main network. */
    @Test
    void pepperOnAGreyScanCoversThePageWhereInkAndPaperDoNot() {
        GrayImage clean = Preprocess.apply(new SignatureGenerator(11).generate(2), Preprocess.Mode.FIT, 224);
        for (int seed = 0; seed < 4; seed++) {
            GrayImage pepper = DeviceDegradation.only(0.45, DeviceDegradation.Phenomenon.DARK_PEPPER)
                    .render(clean, new SplittableRandom(seed)).noisy();
            assertTrue(DarkSpecks.coverage(pepper) >= 0.62 + 0.1, "pepper, seed " + seed + ": " + DarkSpecks.coverage(pepper));
            for (DeviceDegradation.Phenomenon p : new DeviceDegradation.Phenomenon[]{DeviceDegradation.Phenomenon.TONER_BANDS,
                    DeviceDegradation.Phenomenon.PEN_TYPE, DeviceDegradation.Phenomenon.TEXTURE, DeviceDegradation.Phenomenon.LOW_LIGHT_NOISE}) {
                GrayImage other = DeviceDegradation.only(0.8, p).render(clean, new SplittableRandom(seed)).noisy();
                assertTrue(DarkSpecks.coverage(other) < 0.62 - 0.1, p + ", seed " + seed + ": " + DarkSpecks.coverage(other));
            }
        }
        assertTrue(DarkSpecks.coverage(clean) < 0.05, "a clean signature: " + DarkSpecks.coverage(clean));
        // every other family as the evaluation renders it (all its phenomena at once), at hard levels
        for (DeviceDegradation.Family f : new DeviceDegradation.Family[]{DeviceDegradation.Family.PEN,
                DeviceDegradation.Family.PAPER, DeviceDegradation.Family.PHOTOCOPIER, DeviceDegradation.Family.CAMERA}) {
            DeviceDegradation family = DeviceDegradation.focused(0.55, 1.0, java.util.EnumSet.of(f));
            for (int seed = 0; seed < 6; seed++) {
                double c = DarkSpecks.coverage(family.render(clean, new SplittableRandom(seed)).noisy());
                assertTrue(c < 0.62 - 0.05, f + ", seed " + seed + ": " + c);
            }
        }
    }
}
