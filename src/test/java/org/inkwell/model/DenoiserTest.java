package org.inkwell.model;

import org.inkwell.runtime.Dl4jRuntime;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.GrayImage;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.data.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DenoiserTest {
    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    @Test
    void cleansAnySizeAndKeepsIt() {
        Denoiser d = new Denoiser(Architecture.SEED.build(64, new Adam(1e-3), 1));
        GrayImage out = d.reconstruct(GrayImage.blank(75, 41));
        assertEquals(75, out.width());
        assertEquals(41, out.height());
    }

    @Test
    void batchesLargerThanOnePassGiveEachImageItsOwnResult() {
        // 64x64 images: 49 per cache-sized pass, so 53 images take two passes.
        Denoiser d = new Denoiser(Architecture.SEED.build(64, new Adam(1e-3), 2));
        SignatureGenerator gen = new SignatureGenerator(4);
        GrayImage[] in = new GrayImage[53];
        for (int i = 0; i < in.length; i++) {
            in[i] = org.inkwell.data.Preprocess.resizeNearest(gen.generate(i), 64, 64);
        }
        assertTrue(in.length > Denoiser.PIXELS_PER_PASS / (64 * 64));
        GrayImage[] batch = d.predictBatch(in);
        assertEquals(in.length, batch.length);
        for (int i : new int[]{0, 48, 49, 52}) {
            assertArrayEquals(d.predictBatch(new GrayImage[]{in[i]})[0].pixels(), batch[i].pixels(), 1e-5f, "image " + i);
        }
    }

    @Test
    void tilingMatchesWholeImageInferenceAwayFromTileEdges() {
        // The UNet's receptive field is small: with a 64px overlap tiles see all the context they need.
        ComputationGraph net = Architecture.UNET.build(64, new Adam(1e-3), 3);
        GrayImage img = org.inkwell.data.Preprocess.resizeNearest(new SignatureGenerator(2).generate(0), 400, 250);
        GrayImage whole = new Denoiser(net, 1024, 64).reconstruct(img);
        GrayImage tiled = new Denoiser(net, 192, 64).reconstruct(img);
        assertTrue(img.width() > 192, "test image must need several tiles");
        double maxDiff = 0;
        for (int i = 0; i < whole.pixels().length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(whole.pixels()[i] - tiled.pixels()[i]));
        }
        assertTrue(maxDiff < 0.05, "tiled vs whole max difference " + maxDiff);
    }

    @Test
    void cropToInkKeepsMargin() {
        GrayImage img = TestImages.parse(
                "......",
                "..#...",
                "...#..",
                "......",
                "......");
        assertArrayEquals(new String[]{"....", ".#..", "..#.", "...."}, TestImages.rows(Denoiser.cropToInk(img, 1)));
        GrayImage blank = GrayImage.blank(6, 5);
        assertEquals(blank, Denoiser.cropToInk(blank, 1));
    }

    /**
     * Compare's example at 20-25% noise showed specks along the right and bottom edges: the padding to a multiple
     * of 32 was clean paper next to noisy paper. The bundled model's false ink near those edges must be no worse
     * than in the middle of the image.
     */
    @Test
    void theRightAndBottomEdgesOfAnOddSizedNoisyScanAreAsCleanAsItsMiddle() throws Exception {
        Denoiser d = new Denoiser(ModelStore.loadBundled().net());
        SignatureGenerator gen = new SignatureGenerator(42);
        long edgeFalse = 0;
        long edgeArea = 0;
        long middleFalse = 0;
        long middleArea = 0;
        for (int k = 0; k < 6; k++) {
            GrayImage clean = gen.generate(k);
            GrayImage noisy = org.inkwell.data.NoiseModel.pepper(0.25).apply(clean, new java.util.SplittableRandom(k));
            GrayImage out = d.clean(noisy, Denoiser.DEFAULT_THRESHOLD);
            int w = clean.width();
            int h = clean.height();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (clean.get(x, y) < 0.5f) {
                        continue;
                    }
                    boolean falseInk = out.get(x, y) < 0.5f;
                    boolean edge = x >= w - 12 || y >= h - 12;
                    boolean middle = x >= 12 && y >= 12 && x < w - 12 && y < h - 12;
                    if (edge) {
                        edgeArea++;
                        edgeFalse += falseInk ? 1 : 0;
                    } else if (middle) {
                        middleArea++;
                        middleFalse += falseInk ? 1 : 0;
                    }
                }
            }
        }
        double edgeRate = edgeFalse / (double) edgeArea;
        double middleRate = middleFalse / (double) middleArea;
        // Paper padding gave 0.0071 at the edges against 0.0053 in the middle; mirrored padding 0.0006.
        assertTrue(edgeRate <= middleRate, "false ink at the edges " + edgeRate + ", in the middle " + middleRate);
    }

    @Test
    void aPageIsCleanedTileByTileSkippingBlankPaperWithTheSameResult() {
        Denoiser d = new Denoiser(Architecture.UNET.build(64, new Adam(1e-3), 5));
        GrayImage page = GrayImage.blank(1400, 1000);
        GrayImage sig = new SignatureGenerator(2).generate(0);
        for (int y = 0; y < sig.height(); y++) {
            for (int x = 0; x < sig.width(); x++) {
                page.set(900 + x, 700 + y, sig.get(x, y));
            }
        }
        java.util.List<Integer> reported = new java.util.ArrayList<>();
        GrayImage out = d.reconstruct(page, (done, total) -> reported.add(done * 1000 + total));
        int tiles = d.tilesFor(1400, 1000);
        assertEquals(tiles, reported.size());
        assertEquals(tiles * 1000 + tiles, reported.get(reported.size() - 1));
        // The tile holding the signature went through the network exactly as a whole-image pass would.
        GrayImage region = page.crop(448 * 2 - 32, 448 - 32, 512, 512);
        GrayImage direct = d.reconstruct(region);
        assertEquals(direct.get(100, 300), out.get(448 * 2 - 32 + 100, 448 - 32 + 300), 1e-5);
        // A blank tile is paper without a network pass.
        assertEquals(GrayImage.PAPER, out.get(10, 10));
    }

    @Test
    void aLargeGreyScanPreparedTileByTileGivesTheSameResultAsPreparedWhole() {
        Denoiser d = new Denoiser(Architecture.UNET.build(64, new Adam(1e-3), 6));
        GrayImage small = org.inkwell.data.ScanDegradation.all(0.6, 0.6)
                .render(new SignatureGenerator(3).generate(1), new java.util.SplittableRandom(2)).noisy();
        GrayImage scan = org.inkwell.data.Preprocess.resizeNearest(small, small.width() * 3, small.height() * 3);
        assertTrue(d.tilesFor(scan.width(), scan.height()) > 1);
        GrayImage whole = d.reconstruct(ModelInput.GREY.prepare(scan));
        GrayImage tiled = d.reconstruct(scan, ModelInput.GREY.tilePrep(scan), (done, total) -> { });
        int m = 2 * org.inkwell.data.BackgroundFlattening.RADIUS + 2; // the scan's own edges are mirrored, not clamped
        double max = 0;
        for (int y = m; y < scan.height() - m; y++) {
            for (int x = m; x < scan.width() - m; x++) {
                max = Math.max(max, Math.abs(whole.get(x, y) - tiled.get(x, y)));
            }
        }
        assertTrue(max < 1e-4, "largest difference inside the scan: " + max);
    }
}
