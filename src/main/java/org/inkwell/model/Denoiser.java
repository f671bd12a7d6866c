package org.inkwell.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.GrayImage;
import org.inkwell.data.Preprocess;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cleans images of any size at full resolution, keeping the aspect: pads with paper to a multiple of 32 and,
 * above {@code tileSize} pixels a side, runs overlapping tiles so memory stays bounded. The forward pass runs
 * through {@link InferencePlan}s (oneDNN, blocked layout, fused layers) where the network allows. Not thread-safe:
 * like the network it wraps, use it from one thread.
 */
public final class Denoiser implements AutoCloseable {
    public static final int DEFAULT_TILE = 512;
    public static final int DEFAULT_OVERLAP = 32;
    public static final double DEFAULT_THRESHOLD = 0.5;
    /** Images are padded (mirrored) at the bottom and right to multiples of this before the forward pass. */
    public static final int PAD_MULTIPLE = 32;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Denoiser.class);
    /** {@code -Dinkwell.inference=dl4j} runs DL4J's own forward pass instead of the oneDNN plans. */
    static final boolean PLANS_ON = !"dl4j".equals(System.getProperty("inkwell.inference"));
    /** Plans hold their activations natively: beyond this many input pixels in all, older plans are freed. */
    private static final long PLAN_PIXELS = 3L * 512 * 512;

    private final ComputationGraph net;
    private final int tileSize;
    private final int overlap;
    /** One plan per input shape, least recently used first; null when this network cannot use plans. */
    private java.util.LinkedHashMap<String, InferencePlan> plans;
    private long planPixels;
    /** The network's step count when the plans were made: plans copy the weights, so training makes them stale. */
    private long planIteration;
    /** Input shapes already checked against {@link ActivationBudget}. */
    private final java.util.Set<String> withinBudget = new java.util.HashSet<>();

    public Denoiser(ComputationGraph net) {
        this(net, DEFAULT_TILE, DEFAULT_OVERLAP);
    }

    public Denoiser(ComputationGraph net, int tileSize, int overlap) {
        if (tileSize % 32 != 0 || overlap % 32 != 0 || 2 * overlap >= tileSize) {
            throw new IllegalArgumentException("tile and overlap must be multiples of 32 with 2*overlap < tile");
        }
        this.net = net;
        this.tileSize = tileSize;
        this.overlap = overlap;
        // Plans are oneDNN on the CPU: a CUDA build keeps DL4J's pass on the GPU.
        this.plans = PLANS_ON && org.inkwell.runtime.Dl4jRuntime.backend().startsWith("CPU") && InferencePlan.supports(net)
                ? new java.util.LinkedHashMap<>(8, 0.75f, true) : null;
    }

    /** Frees the plans' native memory; the Denoiser still works afterwards (plans are made again when needed). */
    @Override
    public void close() {
        if (plans != null) {
            plans.values().forEach(InferencePlan::close);
            plans.clear();
            planPixels = 0;
        }
    }

    private static long pixels(String key) {
        long p = 1;
        for (String part : key.split("x")) {
            p *= Long.parseLong(part);
        }
        return p;
    }

    /** What runs the forward pass: "oneDNN plan" or "DL4J". */
    public String engine() {
        return plans != null ? "oneDNN plan" : "DL4J";
    }

    /**
     * The forward pass of {@code n} images of {@code h x w}: through the oneDNN plan for that shape, or DL4J's own
     * pass when the network has a layer the plans do not cover or a plan cannot be made (then for good, logged once).
     */
    private float[] forward(float[] flat, int n, int h, int w) {
        String shape = n + "x" + h + "x" + w;
        if (!withinBudget.contains(shape)) {
            // Before the pass allocates anything: a shape over the activation budget is one clear refusal.
            ActivationBudget.check(net.getConfiguration(), n, h, w);
            withinBudget.add(shape);
        }
        if (plans != null) {
            if (net.getIterationCount() != planIteration) {
                close();
                planIteration = net.getIterationCount();
            }
            String key = n + "x" + h + "x" + w;
            InferencePlan plan = plans.get(key);
            try {
                if (plan == null) {
                    plan = new InferencePlan(net, n, h, w);
                    plans.put(key, plan);
                    planPixels += (long) n * h * w;
                    var it = plans.entrySet().iterator();
                    while (planPixels > PLAN_PIXELS && plans.size() > 1) {
                        var eldest = it.next();
                        planPixels -= pixels(eldest.getKey());
                        eldest.getValue().close();
                        it.remove();
                    }
                }
                return plan.run(flat);
            } catch (RuntimeException e) {
                // A shape the plan cannot take exactly (e.g. not halvable at a pooling) or a primitive oneDNN refuses:
                // DL4J's pass for this call; the results are the same.
                LOG.debug("no inference plan for {}: {}", key, e.toString());
            } catch (LinkageError e) {
                LOG.warn("oneDNN inference plans unavailable ({}); using DL4J's forward pass", e.toString());
                close();
                plans = null;
            }
        }
        INDArray out = net.outputSingle(false, Nd4j.create(flat, new long[]{n, 1, h, w}, 'c'));
        return out.dup('c').data().asFloat(); // copied out: safe to hand to another thread
    }

    public ComputationGraph net() {
        return net;
    }

    /** Tiles done of all tiles, for a progress display; called on the cleaning thread. */
    @FunctionalInterface
    public interface TileProgress {
        void tilesDone(int done, int total);
    }

    /**
     * A tile whose every input pixel (its context border included) is at least this light is blank paper: it is
     * not sent through the network. On a binarized input that means "no ink at all"; on a flattened scan, nothing
     * darker than a tenth below the paper, far lighter than the faintest ink the models are trained on.
     */
    public static final float BLANK = 0.9f;

    /** Ink probability map as an image (0 = certainly ink), same size as the input. */
    public GrayImage reconstruct(GrayImage input) {
        return reconstruct(input, (done, total) -> { });
    }

    /**
     * How each tile of a large raw scan becomes network input: {@code apply} runs on the tile with {@code margin}
     * pixels of context on every side (mirrored at the scan's edges), and its centre is kept.
     */
    public record TilePrep(int margin, java.util.function.UnaryOperator<GrayImage> apply) {
        static final TilePrep NONE = new TilePrep(0, t -> t);
    }

    /**
     * Cleans a raw scan, preparing its input tile by tile: memory holds the scan, the result and a few tiles,
     * never a prepared copy of the whole scan.
     */
    public GrayImage reconstruct(GrayImage raw, TilePrep prep, TileProgress progress) {
        if (raw.width() <= tileSize && raw.height() <= tileSize) {
            GrayImage prepared = prep.apply().apply(raw);
            GrayImage padded = prepared.reflectOnto(Preprocess.roundUp(raw.width(), PAD_MULTIPLE), Preprocess.roundUp(raw.height(), PAD_MULTIPLE), 0, 0);
            return predict(padded).crop(0, 0, raw.width(), raw.height());
        }
        return tiled(raw, prep, progress);
    }

    /** As {@link #reconstruct(GrayImage)}, reporting tiles as they finish (large scans). */
    public GrayImage reconstruct(GrayImage input, TileProgress progress) {
        if (input.width() <= tileSize && input.height() <= tileSize) {
            // Mirrored, not paper, padding: noisy paper must not end at a clean edge the network reads as structure.
            GrayImage padded = input.reflectOnto(Preprocess.roundUp(input.width(), PAD_MULTIPLE), Preprocess.roundUp(input.height(), PAD_MULTIPLE), 0, 0);
            return predict(padded).crop(0, 0, input.width(), input.height());
        }
        return tiled(input, TilePrep.NONE, progress);
    }

    /** Thresholded reconstruction: ink where the paper probability is below {@code threshold}. */
    public GrayImage clean(GrayImage input, double threshold) {
        return reconstruct(input).threshold(threshold);
    }

    /**
     * Pixels per forward pass when cleaning a batch. Larger passes overflow the CPU's caches: 32 images at 224x224
     * took 2.3-2.8 s in one pass and 0.7-0.9 s in passes of 4 here (README, Performance).
     */
    static final long PIXELS_PER_PASS = 4L * 224 * 224;

    /** A batch of equally sized images (sides multiples of 32), in as few cache-sized forward passes as fit. */
    public GrayImage[] predictBatch(GrayImage[] inputs) {
        int w = inputs[0].width();
        int h = inputs[0].height();
        int perPass = (int) Math.max(1, PIXELS_PER_PASS / ((long) w * h));
        GrayImage[] res = new GrayImage[inputs.length];
        for (int start = 0; start < inputs.length; start += perPass) {
            int n = Math.min(perPass, inputs.length - start);
            float[] flat = new float[n * w * h];
            for (int i = 0; i < n; i++) {
                System.arraycopy(inputs[start + i].pixels(), 0, flat, i * w * h, w * h);
            }
            float[] probs = forward(flat, n, h, w);
            for (int i = 0; i < n; i++) {
                float[] p = new float[w * h];
                System.arraycopy(probs, i * w * h, p, 0, w * h);
                res[start + i] = new GrayImage(w, h, p);
            }
        }
        return res;
    }

    private GrayImage predict(GrayImage padded) {
        return predictBatch(new GrayImage[]{padded})[0];
    }

    /**
     * Overlapping tiles read straight from the input (mirrored across its edges), so no padded copy of a large
     * page is made; blank tiles are skipped. Memory: the input, the output and one tile.
     */
    private GrayImage tiled(GrayImage input, TilePrep prep, TileProgress progress) {
        int step = tileSize - 2 * overlap;
        int w = input.width();
        int h = input.height();
        int cols = (w + step - 1) / step;
        int rows = (h + step - 1) / step;
        float[] out = new float[w * h];
        int m = prep.margin();
        int side = tileSize + 2 * m;
        float[] tilePixels = new float[side * side];
        int done = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                // The tile covers [c*step - overlap, c*step - overlap + tileSize) of the input, mirrored outside it.
                int x0 = c * step - overlap - m;
                int y0 = r * step - overlap - m;
                for (int ty = 0; ty < side; ty++) {
                    int sy = GrayImage.mirror(y0 + ty, h);
                    for (int tx = 0; tx < side; tx++) {
                        tilePixels[ty * side + tx] = input.get(GrayImage.mirror(x0 + tx, w), sy);
                    }
                }
                GrayImage tile = new GrayImage(side, side, tilePixels.clone());
                if (m > 0) {
                    tile = prep.apply().apply(tile).crop(m, m, tileSize, tileSize);
                } else {
                    tile = prep.apply().apply(tile);
                }
                boolean blank = true;
                for (float v : tile.pixels()) {
                    if (v < BLANK) {
                        blank = false;
                        break;
                    }
                }
                GrayImage p = blank ? null : predict(tile);
                for (int y = 0; y < step; y++) {
                    int oy = r * step + y;
                    if (oy >= h) {
                        break;
                    }
                    for (int x = 0; x < step; x++) {
                        int ox = c * step + x;
                        if (ox >= w) {
                            break;
                        }
                        out[oy * w + ox] = blank ? GrayImage.PAPER : p.get(x + overlap, y + overlap);
                    }
                }
                progress.tilesDone(++done, rows * cols);
            }
        }
        return new GrayImage(w, h, out);
    }

    /** Tiles a scan of this size is cleaned in (1 when it fits one pass). */
    public int tilesFor(int w, int h) {
        if (w <= tileSize && h <= tileSize) {
            return 1;
        }
        int step = tileSize - 2 * overlap;
        return ((w + step - 1) / step) * ((h + step - 1) / step);
    }

    /** Bounding box of the ink plus {@code margin}, clipped to the image; the whole image when there is no ink. */
    public static GrayImage cropToInk(GrayImage img, int margin) {
        return InkExport.cropToInk(img, 0.5, margin);
    }
}
