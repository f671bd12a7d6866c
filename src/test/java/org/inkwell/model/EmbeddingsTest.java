package org.inkwell.model;

import org.inkwell.runtime.Dl4jRuntime;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.GrayImage;
import org.inkwell.data.Preprocess;
import org.inkwell.data.SignatureGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingsTest {
    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    @Test
    void seedBottleneckShapesAndDeterminism() {
        ComputationGraph net = Architecture.SEED.build(224, new Adam(1e-3), 3);
        SignatureGenerator gen = new SignatureGenerator(1);
        List<GrayImage> imgs = List.of(Preprocess.apply(gen.generate(0), Preprocess.Mode.SEED, 224),
                Preprocess.apply(gen.generate(5), Preprocess.Mode.SEED, 224));
        float[][] flat = Embeddings.embed(net, imgs, Embeddings.Pool.NONE);
        float[][] avg = Embeddings.embed(net, imgs, Embeddings.Pool.AVG);
        assertEquals(7 * 7 * 64, flat[0].length);
        assertEquals(64, avg[0].length);
        assertArrayEquals(flat[1], Embeddings.embed(net, imgs, Embeddings.Pool.NONE)[1]);
        // Average pooling is the mean of each channel's 7x7 plane.
        double mean = 0;
        for (int k = 0; k < 49; k++) {
            mean += flat[0][k] / 49.0;
        }
        assertEquals(mean, avg[0][0], 1e-5);
    }

    @Test
    void pcaFindsTheHandComputedAxes() {
        // Points on the line y = 2x plus a small perpendicular spread: the first axis is (1,2)/sqrt(5).
        float[][] rows = {{-2, -4}, {-1, -2}, {1, 2}, {2, 4}, {0.4f, -0.2f}, {-0.4f, 0.2f}};
        double[][] p = Embeddings.pca2(rows);
        double s5 = Math.sqrt(5);
        assertEquals((-2 - 8) / s5, p[0][0], 1e-6);
        assertEquals((2 + 8) / s5, p[3][0], 1e-6);
        // Second axis is perpendicular, (-2, 1)/sqrt(5) up to sign.
        assertEquals(Math.abs((-2 * 0.4 + 1 * -0.2) / s5), Math.abs(p[4][1]), 1e-6);
        assertEquals(0.0, p[0][1], 1e-6);
    }

    @Test
    void neighboursAreRankedByCosineDistance() {
        float[][] rows = {{1, 0}, {0.9f, 0.1f}, {0, 1}, {-1, 0}, {0.7f, 0.7f}};
        List<Embeddings.Neighbour> nn = Embeddings.nearest(rows, rows[0], 0, 3);
        assertEquals(List.of(1, 4, 2), nn.stream().map(Embeddings.Neighbour::index).toList());
        assertEquals(1 - 0.9 / Math.hypot(0.9, 0.1), nn.get(0).distance(), 1e-6);
        assertEquals(2.0, Embeddings.cosineDistance(rows[0], rows[3]), 1e-9);
        // a and b find each other (same label); c and d find each other across labels.
        assertEquals(0.5, Embeddings.nearestNeighbourAgreement(new float[][]{{1, 0}, {0.9f, 0.1f}, {0, 1}, {0.1f, 0.9f}},
                new long[]{0, 0, 1, 0}), 1e-9);
    }

    /**
     * The Dataset pane's similar signatures: with channel averages the bundled model ranked other writers above
     * the same writer; its features on a 7x7 grid find the same writer first far more often.
     */
    @Test
    void gridFeaturesOfTheBundledModelFindTheSameWriter() throws Exception {
        ComputationGraph net = ModelStore.loadSpecForFeatures("bundled").net();
        org.inkwell.data.SyntheticSignatures set = org.inkwell.data.SyntheticSignatures.validationFor(42, 32);
        List<GrayImage> imgs = new java.util.ArrayList<>();
        long[] writers = new long[32];
        for (int i = 0; i < 32; i++) {
            imgs.add(Preprocess.apply(set.load(i), Preprocess.Mode.SEED, 224));
            writers[i] = set.writer(i);
        }
        double grid = Embeddings.nearestNeighbourAgreement(Embeddings.centred(Embeddings.embed(net, imgs, Embeddings.Pool.GRID)), writers);
        double avg = Embeddings.nearestNeighbourAgreement(Embeddings.centred(Embeddings.embed(net, imgs, Embeddings.Pool.AVG)), writers);
        org.junit.jupiter.api.Assertions.assertTrue(grid >= 0.85 && grid > avg + 0.1, "grid " + grid + ", channel averages " + avg);
        // Binary signatures are described by the network that cleans them: the bundled binary specialist.
        assertEquals(ModelStore.loadBundledBinary().net().numParams(), net.numParams());
        assertTrue(ModelStore.loadBundled().net().numParams() != net.numParams(), "not the scan model");
        // The app's Map takes them from its Cleaner: the same network.
        try (Cleaner cleaner = Cleaner.of(ModelStore.loadBundled())) {
            assertEquals(net.numParams(), cleaner.featuresNet().numParams());
        }
        // The grid holds each encoder channel (one value each when averaged) once per cell.
        int channels = Embeddings.embed(net, imgs.subList(0, 1), Embeddings.Pool.AVG)[0].length;
        assertTrue(channels >= 16, "encoder channels " + channels);
        assertEquals(channels * Embeddings.GRID_CELLS * Embeddings.GRID_CELLS, Embeddings.embed(net, imgs.subList(0, 1), Embeddings.Pool.GRID)[0].length);
    }
}
