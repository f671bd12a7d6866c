package org.inkwell.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.GrayImage;
import org.inkwell.data.Preprocess;
import org.inkwell.engine.Engine;
import org.inkwell.engine.EngineSetting;
import org.inkwell.engine.Engines;
import org.inkwell.engine.ForwardEngine;

/**
 * Cleans images of any size at full resolution, keeping the aspect: pads with paper to a multiple of 32 and,
 * above {@code tileSize} pixels a side, runs overlapping tiles so memory stays bounded. The forward pass runs
 * through its {@link ForwardEngine} (the oneDNN plans where the network allows, else DL4J's). Not thread-safe:
 * like the network it wraps, use it from one thread.
 */
public final class Denoiser implements AutoCloseable {
    public static final int DEFAULT_TILE = 512;
    public static final int DEFAULT_OVERLAP = 32;
    public static final double DEFAULT_THRESHOLD = 0.5;
    /** Images are padded (mirrored) at the bottom and right to multiples of this before the forward pass. */
    public static final int PAD_MULTIPLE = 32;

    private final ComputationGraph net;
    private final int tileSize;
    private final int overlap;
    /** The forward pass: the oneDNN plans where the network allows (and the setting says), else DL4J's. */
    private final ForwardEngine engine;
    /** Input shapes already checked against {@link ActivationBudget}. */
    private final java.util.Set<String> withinBudget = new java.util.HashSet<>();

    public Denoiser(ComputationGraph net) {
        this(net, DEFAULT_TILE, DEFAULT_OVERLAP);
    }

    public Denoiser(ComputationGraph net, int tileSize, int overlap) {
        this(net, tileSize, overlap, EngineSetting.forInference());
    }

    /** With the forward engine chosen by {@code setting} rather than the setting in force. */
    public Denoiser(ComputationGraph net, int tileSize, int overlap, EngineSetting setting) {
        if (tileSize % 32 != 0 || overlap % 32 != 0 || 2 * overlap >= tileSize) {
            throw new IllegalArgumentException("tile and overlap must be multiples of 32 with 2*overlap < tile");
        }
        this.net = net;
        this.tileSize = tileSize;
        this.overlap = overlap;
        this.engine = Engines.forward(net, setting);
    }

    /** Frees the engine's native memory; the Denoiser still works afterwards (what it needs is made again). */
    @Override
    public void close() {
        engine.close();
    }

    /** What runs the forward pass ({@link Engine#DL4J} once the plans were given up). */
    public Engine engine() {
        return engine.engine();
    }

    /** What ran the last forward pass (a shape the plans refused runs on DL4J). */
    public Engine lastEngine() {
        return engine.lastUsed();
    }

    /** Fixes the forward pass's number format whatever the precision setting says (null: follow it); returns this. */
    public Denoiser pinPrecision(org.inkwell.engine.Precision precision) {
        engine.pinPrecision(precision);
        return this;
    }

    /** The number format of the last forward pass: "float32" or "bfloat16" (see {@link org.inkwell.engine.Precision}). */
    public String precision() {
        return engine.precision();
    }

    /** Native bytes the forward engine holds now (the plans' buffers). */
    public long nativeBytes() {
        return engine.nativeBytes();
    }

    /** The forward pass of {@code n} images of {@code h x w}, after the activation budget's check. */
    private float[] forward(float[] flat, int n, int h, int w) {
        String shape = n + "x" + h + "x" + w;
        if (!withinBudget.contains(shape)) {
            // Before the pass allocates anything: a shape over the activation budget is one clear refusal.
            ActivationBudget.check(net.getConfiguration(), n, h, w);
            withinBudget.add(shape);
        }
        return engine.forward(flat, n, h, w);
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
