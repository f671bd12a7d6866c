package org.inkwell.model;

import org.inkwell.data.Binarizer;
import org.inkwell.data.DeviceDegradation;
import org.inkwell.data.GrayImage;
import org.inkwell.data.Preprocess;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.data.TrainingPair;
import org.inkwell.eval.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled model's per-image choice of network. Mutations caught: the pepper test dropped (the peppered scan goes
 * to the main network) or inverted (the clean scan goes to the specialist), the specialist used for a model that is
 * not the bundled one, the binary test after the pepper test (a binary image with pepper would go to the grey
 * specialist), the label not naming the specialist; in the eight-view average (each run): a view's probabilities
 * not mapped back (mirror or transpose left out, or undone in the wrong order; the probabilities read without the transpose), a wrong divisor, one view only.
 */
class CleanerRoutingTest {
    private static final GrayImage CLEAN = Preprocess.apply(new SignatureGenerator(23).generate(4), Preprocess.Mode.FIT, 224);

    private static TrainingPair render(DeviceDegradation.Phenomenon p, double level) {
        return DeviceDegradation.only(level, p).render(CLEAN, new SplittableRandom(5));
    }

    @Test
    void pepperedGreyScansGoToThePepperSpecialistAndOthersDoNot() throws Exception {
        TrainingPair pepper = render(DeviceDegradation.Phenomenon.DARK_PEPPER, 0.45);
        TrainingPair pen = render(DeviceDegradation.Phenomenon.PEN_TYPE, 0.5);
        try (Cleaner cleaner = Cleaner.of(ModelStore.loadBundled());
             Denoiser specialist = new Denoiser(ModelStore.loadBundledPepper().net());
             Denoiser main = new Denoiser(ModelStore.loadBundled().net())) {
            // not square, so a width taken for a height in the transposed views shows
            GrayImage scan = pepper.noisy().crop(0, 32, 224, 160);
            GrayImage routed = cleaner.reconstruct(scan);
            assertEquals("pepper specialist", cleaner.lastNetwork());
            assertTrue(cleaner.lastEngine().startsWith("pepper specialist, "), cleaner.lastEngine());
            assertTrue(cleaner.lastEngine().startsWith("pepper specialist, 8 views averaged, "), cleaner.lastEngine());
            // the specialist's own output, averaged over the scan's eight symmetries each mapped back
            float[] mean = new float[routed.pixels().length];
            GrayImage one = null;
            for (int k = 0; k < 8; k++) {
                GrayImage view = mirrored(scan, (k & 1) != 0, (k & 2) != 0);
                view = (k & 4) != 0 ? transposed(view) : view;
                GrayImage probs = specialist.reconstruct(view, ModelInput.GREY.tilePrep(view), (d, t) -> { });
                probs = mirrored((k & 4) != 0 ? transposed(probs) : probs, (k & 1) != 0, (k & 2) != 0);
                one = one == null ? probs : one;
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += probs.pixels()[i] / 8;
                }
            }
            assertArrayEquals(mean, routed.pixels(), 1e-5f, "the mean of the specialist's eight views");
            double moved = 0;
            for (int i = 0; i < mean.length; i++) {
                moved = Math.max(moved, Math.abs(one.pixels()[i] - routed.pixels()[i]));
            }
            assertTrue(moved > 1e-3, "the views differ from the scan alone: " + moved);
            // what the routing is for: this scan (the seed's pepper at about 20 % on a grey scan) cleans better
            GrayImage byMain = main.reconstruct(pepper.noisy(), ModelInput.GREY.tilePrep(pepper.noisy()), (d, t) -> { });
            routed = cleaner.reconstruct(pepper.noisy());
            double fSpecialist = Metrics.fmeasure(pepper.clean(), routed.threshold(0.5));
            double fMain = Metrics.fmeasure(pepper.clean(), byMain.threshold(0.5));
            assertTrue(fSpecialist > fMain, "specialist F " + fSpecialist + ", main network F " + fMain);

            cleaner.reconstruct(pen.noisy());
            assertEquals("main", cleaner.lastNetwork(), "a scan without pepper stays with the main network");
            assertTrue(!cleaner.lastEngine().contains("specialist"), cleaner.lastEngine());

            GrayImage binaryPepper = Binarizer.binarize(pepper.noisy());
            cleaner.reconstruct(binaryPepper);
            assertEquals("binary specialist", cleaner.lastNetwork(), "black and white goes to the binary specialist first");
        }
    }

    /**
     * With two small networks standing in: the specialist is loaded once, when a peppered scan first needs it; a page
     * reduced to the working resolution stays with the main network however peppered; a loader that fails leaves
     * every scan to the main network and is not asked again. Mutations caught (each run): the full-resolution
     * condition dropped, a failed load retried, a failed load thrown to the caller; the count also catches a load on
     * every scan.
     */
    @Test
    void theSpecialistLoadsOnceWhenNeededAndOnlyCleansAtFullResolution() {
        GrayImage pepper = render(DeviceDegradation.Phenomenon.DARK_PEPPER, 0.45).noisy();
        GrayImage pen = render(DeviceDegradation.Phenomenon.PEN_TYPE, 0.5).noisy();
        java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
        try (Denoiser main = new Denoiser(Architecture.UNET.build(64, new org.nd4j.linalg.learning.config.Adam(1e-3), 1));
             Denoiser special = new Denoiser(Architecture.UNET.build(64, new org.nd4j.linalg.learning.config.Adam(1e-3), 2))) {
            Cleaner cleaner = new Cleaner(main, ModelInput.GREY, null, () -> {
                loads.incrementAndGet();
                return special;
            });
            cleaner.reconstruct(pen);
            assertEquals("main", cleaner.lastNetwork());
            assertEquals(0, loads.get(), "not loaded before a scan needs it");
            cleaner.reconstruct(pepper);
            // a scan larger than one tile, so the progress counts: the tiles of all eight views, never going back
            GrayImage wide = pepper.reflectOnto(600, 224, 0, 0);
            java.util.List<int[]> progress = new java.util.ArrayList<>();
            cleaner.reconstruct(wide, (d, t) -> progress.add(new int[] {d, t}));
            assertEquals("pepper specialist", cleaner.lastNetwork());
            assertEquals(1, loads.get(), "loaded once");
            int tiles = special.tilesFor(wide.width(), wide.height());
            assertTrue(tiles > 1);
            assertEquals(8 * tiles, progress.get(progress.size() - 1)[1]);
            assertEquals(8 * tiles, progress.get(progress.size() - 1)[0]);
            for (int i = 1; i < progress.size(); i++) {
                assertTrue(progress.get(i)[0] >= progress.get(i - 1)[0] && progress.get(i)[1] == 8 * tiles);
            }

            // A 4000x3000 page of bold strokes, a dark dot in every 8x8 block of its paper: cleaned reduced.
            GrayImage page = GrayImage.blank(4000, 3000);
            float[] p = page.pixels();
            for (int y = 0; y < 3000; y++) {
                for (int x = 0; x < 4000; x++) {
                    p[y * 4000 + x] = x % 40 < 6 ? 0.2f : x % 8 == 4 && y % 8 == 4 ? 0.0f : 0.9f;
                }
            }
            assertTrue(org.inkwell.data.DarkSpecks.coverage(page) >= Cleaner.PEPPER_COVERAGE);
            double scale = Cleaner.workingScale(page);
            assertTrue(scale > 1);
            assertSame(main, cleaner.networkFor(page, scale), "a reduced page goes to the main network");
            assertSame(special, cleaner.networkFor(page, 1), "the same page cleaned at full resolution would not");

            // 16 tiles: four views, said so, and the progress counts four times the tiles
            GrayImage big = pepper.reflectOnto(1400, 1400, 0, 0);
            progress.clear();
            cleaner.reconstruct(big, (d, t) -> progress.add(new int[] {d, t}));
            assertEquals(16, special.tilesFor(1400, 1400));
            assertEquals(4 * 16, progress.get(progress.size() - 1)[1]);
            assertTrue(cleaner.lastEngine().startsWith("pepper specialist, 4 views averaged, "), cleaner.lastEngine());

            for (java.util.function.Supplier<Denoiser> failing : java.util.List.<java.util.function.Supplier<Denoiser>>of(
                    () -> null, () -> {
                        loads.incrementAndGet();
                        throw new IllegalStateException("no native memory");
                    })) {
                Cleaner without = new Cleaner(main, ModelInput.GREY, null, failing);
                int before = loads.get();
                without.reconstruct(pepper);
                assertEquals("main", without.lastNetwork());
                without.reconstruct(pepper);
                assertTrue(loads.get() - before <= 1, "a failed load is not retried");
            }
        }
    }

    /** The test's own mirror and transpose, written apart from Cleaner's index arithmetic. */
    private static GrayImage mirrored(GrayImage g, boolean horizontal, boolean vertical) {
        GrayImage out = GrayImage.blank(g.width(), g.height());
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) {
                out.set(horizontal ? g.width() - 1 - x : x, vertical ? g.height() - 1 - y : y, g.get(x, y));
            }
        }
        return out;
    }

    private static GrayImage transposed(GrayImage g) {
        GrayImage out = GrayImage.blank(g.height(), g.width());
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) {
                out.set(y, x, g.get(x, y));
            }
        }
        return out;
    }

    @Test
    void theHelpersMirrorAndTransposeAsTheyShould() {
        GrayImage g = new GrayImage(3, 2, new float[] {1, 2, 3, 4, 5, 6}); // 1 2 3 / 4 5 6
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, mirrored(g, true, false).pixels());
        assertArrayEquals(new float[] {4, 5, 6, 1, 2, 3}, mirrored(g, false, true).pixels());
        GrayImage t = transposed(g);
        assertEquals(2, t.width());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.pixels());
    }

    /** Eight views on a signature-sized scan, fewer as the tiles grow, one on a whole page. */
    @Test
    void theViewsStayWithinTheirTileBudget() {
        assertEquals(8, Cleaner.viewsWithinBudget(8, 1));
        assertEquals(8, Cleaner.viewsWithinBudget(8, 8));
        assertEquals(4, Cleaner.viewsWithinBudget(8, 9));
        assertEquals(4, Cleaner.viewsWithinBudget(8, 16));
        assertEquals(2, Cleaner.viewsWithinBudget(8, 17));
        assertEquals(1, Cleaner.viewsWithinBudget(8, 33));
        assertEquals(1, Cleaner.viewsWithinBudget(8, 48), "an A4 page at 300 dpi");
        assertEquals(1, Cleaner.viewsWithinBudget(1, 1));
    }

    /** Eight views only where the mean, a view and its probabilities fit in the memory given; else one. */
    @Test
    void eightViewsOnlyWhereTheyFit() {
        long pixels = 9000L * 9000;
        long need = 3 * pixels * Float.BYTES;
        assertEquals(8, Cleaner.viewsThatFit(8, pixels, need + (256L << 20)));
        assertEquals(1, Cleaner.viewsThatFit(8, pixels, need - 1));
        assertEquals(1, Cleaner.viewsThatFit(8, pixels, need + (1L << 20)), "a margin is kept");
        assertEquals(1, Cleaner.viewsThatFit(1, pixels, 0));
    }

    @Test
    void aModelFromAFileUsesItsOwnNetworkForEveryScan(@TempDir Path dir) throws Exception {
        ModelStore.StoredModel bundled = ModelStore.loadBundled();
        Path file = ModelStore.save(dir.resolve("mine.zip"), bundled.net(), bundled.metadata(), bundled.history(), false);
        try (Cleaner cleaner = Cleaner.of(ModelStore.load(file, false))) {
            cleaner.reconstruct(render(DeviceDegradation.Phenomenon.DARK_PEPPER, 0.45).noisy());
            assertEquals("main", cleaner.lastNetwork());
        }
    }
}
