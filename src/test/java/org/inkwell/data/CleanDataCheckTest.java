package org.inkwell.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clean signatures pass; scans (grey, textured paper) and photos (shadows that binarize into blobs) do not.
 * Catches: a grey band that counts paper or ink as grey, a comparison turned round, a verdict on one image only.
 */
class CleanDataCheckTest {
    private static List<GrayImage> clean(int n) {
        SignatureGenerator gen = new SignatureGenerator(4);
        List<GrayImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(gen.generate(i));
        }
        return out;
    }

    @Test
    void generatedSignaturesAreCleanData() {
        CleanDataCheck.Verdict v = CleanDataCheck.of(clean(8));
        assertEquals(8, v.sampled());
        assertEquals(0, v.scanLike(), v.describe());
        assertFalse(v.looksLikeScans());
        assertTrue(v.medianGrey() < 0.05 && v.medianInk() < 0.2, v.describe());
    }

    @Test
    void scansOfThemAreNot() {
        List<GrayImage> scans = new ArrayList<>();
        ScanDegradation device = ScanDegradation.all(0.6, 1.0);
        int k = 0;
        for (GrayImage g : clean(8)) {
            scans.add(device.apply(g, new SplittableRandom(k++)));
        }
        CleanDataCheck.Verdict v = CleanDataCheck.of(scans);
        assertTrue(v.looksLikeScans(), v.describe());
        assertTrue(v.medianGrey() > CleanDataCheck.GREY_PAPER, v.describe());
    }

    @Test
    void aPhotoWithAShadowIsNotCleanAndHalfTheSampleDecides() {
        // A signature on paper lit from one side: the dark half binarizes into a blob of "ink".
        List<GrayImage> mixed = new ArrayList<>(clean(2));
        for (GrayImage g : clean(2)) {
            GrayImage photo = GrayImage.blank(g.width(), g.height());
            for (int y = 0; y < g.height(); y++) {
                for (int x = 0; x < g.width(); x++) {
                    float paper = x < g.width() / 2 ? 0.25f : 0.95f;
                    photo.set(x, y, Math.min(paper, g.get(x, y)));
                }
            }
            mixed.add(photo);
        }
        CleanDataCheck.Verdict v = CleanDataCheck.of(mixed);
        assertEquals(2, v.scanLike(), v.describe());
        assertTrue(v.looksLikeScans(), "half of the sample is enough: " + v.describe());
        assertFalse(CleanDataCheck.of(mixed.subList(0, 3)).looksLikeScans(), "one photo in three is not");
    }
}
