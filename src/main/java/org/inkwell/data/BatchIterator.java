package org.inkwell.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Endless fresh (noisy, clean) batches as the seed's generator makes them: walk a shuffled list of the images,
 * new augmentation and noise every time. Batch {@code k} depends only on (seed, k), and batches are built
 * on a background thread a few ahead so the trainer never waits for them.
 */
public final class BatchIterator implements AutoCloseable {
    private final PreparedImages images;
    private final PairSpec spec;
    private final int batchSize;
    private final long seed;
    private final BlockingQueue<Object> queue;
    private final Thread worker;
    private volatile boolean closed;
    private long nextToBuild;

    /** Starts producing from batch number {@code firstBatch} (for resuming at the same point). */
    public BatchIterator(PreparedImages images, PairSpec spec, int batchSize, long seed, long firstBatch, int prefetch) {
        if (images.count() == 0) {
            throw new IllegalArgumentException("the data set has no images");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1");
        }
        this.images = images;
        this.spec = spec;
        this.batchSize = batchSize;
        this.seed = seed;
        this.nextToBuild = firstBatch;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, prefetch));
        this.worker = new Thread(this::produce, "inkwell-batches");
        worker.setDaemon(true);
        worker.start();
    }

    /** Builds batch {@code k} directly on the calling thread. */
    public static PairBatch build(PreparedImages images, PairSpec spec, int batchSize, long seed, long k) {
        return PairBatch.of(buildPairs(images, spec, batchSize, seed, k));
    }

    /** The pairs of batch {@code k}, exactly as training sees them. */
    public static List<TrainingPair> buildPairs(PreparedImages images, PairSpec spec, int batchSize, long seed, long k) {
        int n = images.count();
        // The k-th batch takes positions [k*B, (k+1)*B) of an endless sequence of per-epoch shuffles.
        List<TrainingPair> pairs = new ArrayList<>(batchSize);
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, k, 0xBA7C4L));
        long pos = k * batchSize;
        int attempts = 0;
        while (pairs.size() < batchSize) {
            long round = Math.floorDiv(pos, n);
            int idx = permutation(n, seed, round)[(int) (pos - round * n)];
            pos++;
            GrayImage clean = images.get(idx);
            if (clean == null) {
                if (++attempts > n) {
                    throw new IllegalStateException("no image in the data set could be read");
                }
                continue;
            }
            pairs.add(TrainingPair.make(clean, spec, rng));
        }
        return pairs;
    }

    private static final java.util.Map<Long, int[]> PERMS = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<Long, int[]> e) {
                    return size() > 8;
                }
            });

    static int[] permutation(int n, long seed, long round) {
        long key = Seeds.mix(seed, round, n);
        return PERMS.computeIfAbsent(key, k -> {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
            SplittableRandom r = new SplittableRandom(k);
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            return p;
        });
    }

    private void produce() {
        try {
            while (!closed) {
                Object item;
                try {
                    item = build(images, spec, batchSize, seed, nextToBuild++);
                } catch (RuntimeException e) {
                    item = e;
                }
                while (!closed && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    // wait for the consumer
                }
                if (item instanceof RuntimeException) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next batch; blocks only if the producer is behind. */
    public PairBatch next() throws InterruptedException {
        Object item = queue.take();
        if (item instanceof RuntimeException e) {
            throw e;
        }
        return (PairBatch) item;
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
