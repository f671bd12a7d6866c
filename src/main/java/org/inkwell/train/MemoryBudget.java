package org.inkwell.train;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.model.TrainingConfig;

import java.util.Locale;

/** Refuses a training run that cannot fit in memory before it starts, with the flags that would make it fit. */
final class MemoryBudget {
    /** Batches the producer builds ahead of the trainer. */
    static final int PREFETCH = 3;

    private MemoryBudget() {
    }

    /**
     * Off-heap: forward activations, their gradients and oneDNN's scratch space are about three copies of every
     * layer output, and exceeding ND4J's limit crashes the JVM. Heap: validation pairs and prefetched batches.
     */
    static void check(TrainingConfig c, ComputationGraph net, int microBatch) {
        check(c, net, microBatch, 0);
    }

    /**
     * As above, with the training images' share of the heap: their shuffle order (4 bytes each, a few rounds cached)
     * and every image a run visits, kept packed at one bit a pixel.
     */
    static void check(TrainingConfig c, ComputationGraph net, int microBatch, int trainImages) {
        long side = c.pairSpec().sampleSide();
        // Only one micro-batch is in flight at a time.
        int inFlight = microBatch > 0 && microBatch < c.batchSize() ? microBatch : c.batchSize();
        long perSample = 0;
        for (var layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof ConvolutionLayer conv) {
                perSample += conv.getNOut();
            }
        }
        // Conv output channels summed over layers, x4 for activations, cached pre-activations, gradients and scratch,
        // 4 bytes each; halved because most layers run below full resolution (the first pooling quarters the area).
        long needed = 4L * inFlight * side * side * perSample * 4 / 2;
        long limit = org.bytedeco.javacpp.Pointer.maxBytes();
        if (limit > 0 && needed > limit) {
            long fits = Math.max(1, inFlight * limit / needed);
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%d samples of %dx%d at once need about %.1f GB, more than the %.1f GB ND4J may use here; "
                            + "use --batch %d, --micro-batch %d or a smaller --patch", inFlight, side, side, needed / 1e9,
                    limit / 1e9, fits, fits));
        }
        long heapNeeded = 4L * side * side * 2 * (c.validationCount() + (long) PREFETCH * c.batchSize());
        long heap = Runtime.getRuntime().maxMemory();
        if (heapNeeded > heap * 3 / 4) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "validation and prefetched batches of %dx%d images need about %.1f GB of Java memory, more than "
                            + "the %.1f GB available; use a smaller --validation, --batch or --size, or raise -Xmx",
                    side, side, heapNeeded / 1e9, heap / 1e9));
        }
        if (trainImages > 0) {
            long samples = (long) c.stepsPerEpoch() * c.epochs() * c.batchSize();
            long visited = Math.min(trainImages, samples);
            long size = c.inputSize();
            long rounds = Math.min(8, samples / trainImages + 2);
            long imagesNeeded = visited * (size * size / 8 + 32) + trainImages * (8L + 4L * rounds);
            if (heapNeeded + imagesNeeded > heap * 3 / 4) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%,d training images of %dx%d need about %.1f GB of Java memory (their shuffle order and "
                                + "packed pixels), more than the %.1f GB available; use fewer images or raise -Xmx",
                        trainImages, size, size, imagesNeeded / 1e9, heap / 1e9));
            }
        }
    }
}
