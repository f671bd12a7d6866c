package org.inkwell.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Endless fresh (noisy, clean) batches as the seed's generator makes them: walk a shuffled list of the images,
 * new augmentation and noise every time. Batch {@code k} depends only on (seed, k), and batches are built
 * a few ahead on a producer executor so the trainer never waits for them (inline when the executor is).
 */
public final class BatchIterator implements AutoCloseable {
    private final PreparedImages images;
    private final PairSpec spec;
    private final int batchSize;
    private final long seed;
    private final BlockingQueue<Object> queue;
    private final Executor producer;
    /** Set when this iterator made its producer thread itself, so it stops it. */
    private final ExecutorService ownProducer;
    private final AtomicBoolean filling = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean failed;
    /** What stopped the producer (an exception or an Error such as OutOfMemoryError); the consumer rethrows it. */
    private volatile Throwable failure;
    private long nextToBuild; // touched only by the one fill running at a time

    /**
     * Starts producing from batch number {@code firstBatch} (for resuming at the same point), {@code prefetch}
     * batches ahead on {@code producer}; a null producer means a thread of this iterator's own.
     */
    public BatchIterator(PreparedImages images, PairSpec spec, int batchSize, long seed, long firstBatch, int prefetch,
                         Executor producer) {
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
        this.ownProducer = producer == null ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "inkwell-batches");
            t.setDaemon(true);
            return t;
        }) : null;
        this.producer = producer == null ? ownProducer : producer;
        requestFill();
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

    /** Starts one fill of the queue unless one is running; at most one fill runs at a time. */
    private void requestFill() {
        if (!closed && !failed && filling.compareAndSet(false, true)) {
            producer.execute(this::fill);
        }
    }

    private void fill() {
        try {
            while (!closed && !failed && queue.remainingCapacity() > 0) {
                Object item;
                try {
                    item = build(images, spec, batchSize, seed, nextToBuild++);
                } catch (Throwable e) {
                    // Errors too (OutOfMemoryError above all): a producer that dies silently leaves the trainer
                    // waiting for a batch that never comes.
                    failure = e;
                    failed = true;
                    return;
                }
                queue.add(item); // only this fill adds, and there was room
            }
        } catch (Throwable e) {
            failure = e;
            failed = true;
        } finally {
            filling.set(false);
        }
    }

    /**
     * The next batch; blocks only if the producer is behind. Whatever stopped the producer, exception or Error, is
     * rethrown here once the batches built before it are used up, so the caller never waits forever.
     */
    public PairBatch next() throws InterruptedException {
        requestFill();
        Object item;
        while ((item = queue.poll(100, TimeUnit.MILLISECONDS)) == null) {
            Throwable t = failure;
            if (t != null && queue.isEmpty()) {
                throw rethrow(t);
            }
            if (closed) {
                throw new IllegalStateException("the batch iterator is closed");
            }
            requestFill();
        }
        requestFill();
        return (PairBatch) item;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("the batch producer failed: " + t, t);
    }

    @Override
    public void close() {
        closed = true;
        if (ownProducer != null) {
            ownProducer.shutdownNow();
        }
    }
}
