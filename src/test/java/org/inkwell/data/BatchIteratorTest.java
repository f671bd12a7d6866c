package org.inkwell.data;

import org.junit.jupiter.api.Test;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchIteratorTest {
    @TempDir
    Path dir;

    private final PairSpec spec = new PairSpec(Preprocess.Mode.SEED, 64, 32, true, NoiseModel.pepper(0.2));

    @Test
    void batchesDependOnlyOnSeedAndIndexAndPrefetchMatchesDirectBuild() throws Exception {
        PreparedImages images = new PreparedImages(new SyntheticSignatures(3, 10), Preprocess.Mode.SEED, 64);
        try (BatchIterator it = new BatchIterator(images, spec, 4, 99, 0, 2, null)) {
            PairBatch first = it.next();
            PairBatch second = it.next();
            assertArrayEquals(first.noisy(), BatchIterator.build(images, spec, 4, 99, 0).noisy());
            assertArrayEquals(second.clean(), BatchIterator.build(images, spec, 4, 99, 1).clean());
            assertFalse(java.util.Arrays.equals(first.clean(), second.clean()));
        }
        // Resuming at batch 1 gives the same batch as the uninterrupted run.
        try (BatchIterator resumed = new BatchIterator(images, spec, 4, 99, 1, 2, Runnable::run)) {
            assertArrayEquals(BatchIterator.build(images, spec, 4, 99, 1).noisy(), resumed.next().noisy());
        }
    }

    @Test
    void pairsAreCleanTargetPlusPepperOnly() {
        PreparedImages images = new PreparedImages(new SyntheticSignatures(3, 5), Preprocess.Mode.SEED, 64);
        PairBatch b = BatchIterator.build(images, spec, 3, 1, 0);
        assertEquals(3 * 32 * 32, b.clean().length);
        int added = 0;
        for (int i = 0; i < b.clean().length; i++) {
            if (b.clean()[i] == GrayImage.INK) {
                assertEquals(GrayImage.INK, b.noisy()[i], "pepper never removes ink");
            } else if (b.noisy()[i] == GrayImage.INK) {
                added++;
            }
        }
        assertTrue(added > 0.1 * b.clean().length);
    }

    @Test
    void everyImageIsUsedOncePerPass() {
        // Ten distinct flat images: one pass of ten samples must visit each exactly once.
        SignatureSource flat = new SignatureSource() {
            public int size() {
                return 10;
            }

            public String name(int i) {
                return "flat" + i;
            }

            public GrayImage load(int i) {
                GrayImage g = GrayImage.blank(32, 32);
                for (int k = 0; k <= i; k++) {
                    g.pixels()[k] = GrayImage.INK;
                }
                return g;
            }

            public String description() {
                return "flat";
            }
        };
        PreparedImages images = new PreparedImages(flat, Preprocess.Mode.SEED, 32);
        PairSpec none = new PairSpec(Preprocess.Mode.SEED, 32, 0, false, NoiseModel.pepper(0));
        PairBatch b = BatchIterator.build(images, none, 10, 5, 0);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int s = 0; s < 10; s++) {
            int ink = 0;
            for (int k = 0; k < 32 * 32; k++) {
                ink += b.clean()[s * 1024 + k] == GrayImage.INK ? 1 : 0;
            }
            seen.add(ink);
        }
        assertEquals(10, seen.size());
    }

    @Test
    void folderDatasetSkipsUnreadableFilesAndSplitsStably() throws Exception {
        SignatureGenerator gen = new SignatureGenerator(1);
        Files.createDirectories(dir.resolve("sub"));
        for (int i = 0; i < 30; i++) {
            ImageFiles.writePng(gen.generate(i).toBufferedImage(), dir.resolve((i % 2 == 0 ? "" : "sub/") + "s" + i + ".png"));
        }
        Files.writeString(dir.resolve("broken.png"), "nope");
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        FolderDataset ds = FolderDataset.scan(dir).validated();
        assertEquals(30, ds.size());
        assertEquals(1, ds.failures().size());
        SignatureSource[] split = ds.split(0.2);
        assertEquals(30, split[0].size() + split[1].size());
        assertTrue(split[1].size() > 0);
        SignatureSource[] again = FolderDataset.scan(dir).validated().split(0.2);
        assertEquals(split[1].name(0), again[1].name(0));
    }

    @Test
    void theNoiseLevelChangesOnlyTheNoiseNotTheCropsFlipsOrRotations() {
        PreparedImages images = new PreparedImages(new SyntheticSignatures(3, 12), Preprocess.Mode.FIT, 64);
        List<TrainingPair> low = BatchIterator.buildPairs(images, new PairSpec(Preprocess.Mode.FIT, 64, 32, true, NoiseModel.pepper(0.05)), 6, 9, 2);
        List<TrainingPair> high = BatchIterator.buildPairs(images, new PairSpec(Preprocess.Mode.FIT, 64, 32, true, NoiseModel.pepper(0.4)), 6, 9, 2);
        for (int i = 0; i < low.size(); i++) {
            assertEquals(low.get(i).clean(), high.get(i).clean(), "pair " + i);
            assertTrue(high.get(i).noisy().inkFraction() > low.get(i).noisy().inkFraction(), "pair " + i);
        }
    }

    @Test
    void anErrorOnTheProducerThreadReachesTheConsumerInsteadOfHangingIt() {
        // train --synthetic 1000000000 once died of OutOfMemoryError on the batch thread while the trainer waited forever.
        SignatureSource exhausted = new SignatureSource() {
            public int size() {
                return 4;
            }

            public String name(int i) {
                return "oom" + i;
            }

            public GrayImage load(int i) {
                throw new OutOfMemoryError("Java heap space (simulated)");
            }

            public String description() {
                return "out of memory";
            }
        };
        PreparedImages images = new PreparedImages(exhausted, Preprocess.Mode.SEED, 64);
        OutOfMemoryError e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            try (BatchIterator it = new BatchIterator(images, spec, 2, 1, 0, 2, null)) {
                return org.junit.jupiter.api.Assertions.assertThrows(OutOfMemoryError.class, it::next);
            }
        });
        assertTrue(e.getMessage().contains("simulated"), e.getMessage());
        // A failing inline producer is reported the same way.
        try (BatchIterator inline = new BatchIterator(images, spec, 2, 1, 0, 2, Runnable::run)) {
            org.junit.jupiter.api.Assertions.assertThrows(OutOfMemoryError.class, inline::next);
        }
    }
}
