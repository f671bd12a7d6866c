package org.inkwell.model;

import org.inkwell.data.Binarizer;
import org.inkwell.data.DarkSpecks;
import org.inkwell.data.GrayImage;

/**
 * What cleans a user's image: a network with the input preparation it was trained with and, for the bundled
 * model, two specialists. Images that are already black and white (the seed's case, pepper noise) go to the binary
 * specialist, which the scan-trained network serves slightly less well; grey scans sprinkled all over with specks
 * darker than the ink (the seed's pepper on a grey scan, {@link DarkSpecks#coverage} at least
 * {@link #PEPPER_COVERAGE}) go to the pepper specialist when they are cleaned at full resolution. The choice is a
 * classical step in front of the networks, made per image; everything else goes to the main network.
 */
public final class Cleaner implements AutoCloseable {
    private final Denoiser main;
    private final ModelInput input;
    private final Denoiser binary;
    /** Loads the pepper specialist on first use (null: none); the cleaner's thread only. */
    private final java.util.function.Supplier<Denoiser> pepperLoader;
    private Denoiser pepper;
    private boolean pepperTried;

    /**
     * Share of 8x8 blocks holding a dark speck from which a grey scan goes to the pepper specialist: above every scan
     * of the photocopy, pen, paper, camera and scan sets measured (at most 59 %), below 98 of 100 scans with the seed's
     * pepper at about 20 %; docs/quality.md, "The pepper specialist".
     */
    public static final double PEPPER_COVERAGE = 0.62;

    /**
     * How many views of a scan the pepper specialist cleans and averages: the scan as it is, mirrored either way or
     * both, and each of those transposed (the eight symmetries of a square). On scans with the seed's pepper at about
     * 20 % the average is 0.4-0.5 F above one view (docs/quality.md, "The pepper specialist"), for eight times the
     * compute on those scans only, within {@link #VIEW_TILE_BUDGET}.
     */
    public static final int PEPPER_VIEWS = 8;

    public Cleaner(Denoiser main, ModelInput input, Denoiser binary) {
        this(main, input, binary, null);
    }

    /** @param pepperLoader the pepper specialist, loaded when a scan first needs it (null: none) */
    public Cleaner(Denoiser main, ModelInput input, Denoiser binary, java.util.function.Supplier<Denoiser> pepperLoader) {
        this.main = main;
        this.input = input;
        this.binary = binary;
        this.pepperLoader = pepperLoader;
    }

    /** The model's own network; the bundled model also brings its binary and pepper specialists. */
    public static Cleaner of(ModelStore.StoredModel m) throws ModelLoadException {
        Denoiser specialist = null;
        java.util.function.Supplier<Denoiser> pepper = null;
        ModelInput input = ModelInput.of(m.metadata());
        if ("bundled".equals(m.source())) {
            ModelStore.StoredModel b = ModelStore.loadBundledBinary();
            specialist = b == null ? null : new Denoiser(b.net());
            if (input == ModelInput.GREY && ModelStore.hasBundledPepper()) {
                pepper = () -> {
                    try {
                        return new Denoiser(ModelStore.loadBundledPepper().net());
                    } catch (ModelLoadException e) {
                        org.slf4j.LoggerFactory.getLogger(Cleaner.class).warn(
                                "the pepper specialist did not load ({}); the main network cleans every scan", e.getMessage());
                        return null;
                    }
                };
            }
        }
        return new Cleaner(new Denoiser(m.net()), input, specialist, pepper);
    }

    /**
     * The pepper specialist, loaded on first call; null when there is none or it did not load (one warning, and the
     * main network cleans every scan from then on, this one included).
     */
    private Denoiser pepper() {
        if (!pepperTried) {
            pepperTried = true;
            try {
                pepper = pepperLoader == null ? null : pepperLoader.get();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Cleaner.class).warn(
                        "the pepper specialist did not load ({}); the main network cleans every scan", e.toString());
                pepper = null;
            }
        }
        return pepper;
    }

    /** Which network cleaned the last image: "main", "binary specialist" or "pepper specialist"; empty before any. */
    public String lastNetwork() {
        Denoiser d = lastUsed;
        return d == null ? "" : d == main ? "main" : d == binary ? "binary specialist" : "pepper specialist";
    }

    public ModelInput input() {
        return input;
    }

    private Denoiser lastUsed;

    /**
     * What ran the last {@code reconstruct}: "oneDNN plan, bfloat16", "DL4J", "pepper specialist, 8 views
     * averaged, oneDNN plan, float32", "binary specialist, DL4J"... (a specialist is named); empty before the first.
     */
    public String lastEngine() {
        Denoiser d = lastUsed;
        if (d == null) {
            return "";
        }
        org.inkwell.engine.Engine e = d.lastEngine();
        String engine = e == org.inkwell.engine.Engine.ONEDNN ? e.label() + ", " + d.precision() : e.label();
        return d == main ? engine
                : d == pepper && lastViews > 1 ? lastNetwork() + ", " + lastViews + " views averaged, " + engine
                : lastNetwork() + ", " + engine;
    }

    /**
     * The network whose encoder describes black-and-white signatures (the Map, similar signatures): the one that cleans
     * them ({@link ModelStore#loadSpecForFeatures}).
     */
    public org.deeplearning4j.nn.graph.ComputationGraph featuresNet() {
        return denoiserFor(true).net();
    }

    /** The network that cleans this kind of image. */
    public Denoiser denoiserFor(boolean binaryImage) {
        return binaryImage && binary != null ? binary : main;
    }

    /**
     * Ink probabilities of a grey scan or a binary image, same size. A large grey image whose strokes are thicker
     * than the network needs (a phone photo of a page) is cleaned at a working resolution of about
     * {@link #WORKING_PIXELS} pixels, never making its typical stroke thinner than {@link #MIN_STROKE} px, and the
     * probabilities are brought back to full size.
     */
    public GrayImage reconstruct(GrayImage scan, Denoiser.TileProgress progress) {
        if (binary != null && Binarizer.isBinary(scan)) {
            lastUsed = binary;
            return binary.reconstruct(scan, progress);
        }
        double scale = input == ModelInput.GREY ? workingScale(scan) : 1;
        Denoiser network = networkFor(scan, scale);
        if (network == pepper) {
            lastUsed = pepper;
            return overViews(pepper, scan, PEPPER_VIEWS, progress);
        }
        return reconstructAt(scan, scale, progress);
    }

    /**
     * The mean of the network's probabilities over the first {@code views} (1-8) of the scan's eight symmetries, each
     * mapped back onto the scan: view k mirrors left-right if bit 0 is set, top-bottom if bit 1, then transposes if
     * bit 2. Progress counts the tiles of all views. Time: fewer views (4, 2, 1: the first of them) on a scan whose
     * tiles would take more than {@link #VIEW_TILE_BUDGET} passes. Memory: the mean, one view and its probabilities
     * (three floats a pixel); where they would take more than half of Java's maximum, one view is cleaned, with one
     * warning.
     */
    GrayImage overViews(Denoiser network, GrayImage scan, int views, Denoiser.TileProgress progress) {
        if (views < 1 || views > 8) {
            throw new IllegalArgumentException("views must be 1-8: " + views);
        }
        int w = scan.width(), h = scan.height();
        views = viewsWithinBudget(views, network.tilesFor(w, h));
        // Half of Java's maximum, not what is free now: the same scan gets the same views whatever the collector did.
        int fit = viewsThatFit(views, (long) w * h, Runtime.getRuntime().maxMemory() / 2);
        if (fit < views) {
            org.slf4j.LoggerFactory.getLogger(Cleaner.class).warn("not enough Java memory to average {} views of a {}x{} "
                    + "scan (about {} MB); cleaning it once (give Java more memory with -Xmx)", views, w, h,
                    (3L * w * h * Float.BYTES + VIEW_MARGIN) >> 20);
            views = fit;
        }
        lastViews = views;
        if (views == 1) {
            return network.reconstruct(scan, input.tilePrep(scan), progress);
        }
        float[] src = scan.pixels();
        float[] sum = new float[src.length];
        float[] view = new float[src.length];
        for (int k = 0; k < views; k++) {
            boolean mx = (k & 1) != 0, my = (k & 2) != 0, t = (k & 4) != 0;
            int vw = t ? h : w;
            // scan pixel (x, y) is view pixel (x', y'): mirrored, then transposed
            for (int y = 0; y < h; y++) {
                int yy = my ? h - 1 - y : y;
                for (int x = 0; x < w; x++) {
                    int xx = mx ? w - 1 - x : x;
                    view[t ? xx * vw + yy : yy * vw + xx] = src[y * w + x];
                }
            }
            GrayImage v = new GrayImage(vw, t ? w : h, view);
            int done = k, all = views;
            float[] probs = network.reconstruct(v, input.tilePrep(v),
                    (d, total) -> progress.tilesDone(done * total + d, all * total)).pixels();
            for (int y = 0; y < h; y++) {
                int yy = my ? h - 1 - y : y;
                for (int x = 0; x < w; x++) {
                    int xx = mx ? w - 1 - x : x;
                    sum[y * w + x] += probs[t ? xx * vw + yy : yy * vw + xx];
                }
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= views;
        }
        return new GrayImage(w, h, sum);
    }

    /**
     * Tile passes the views of one scan may take together: 64, about 4.5-6 s of the pepper specialist's compute on
     * this project's 2-core machine. A scan of up to 8 tiles (about 1.6 megapixels: 896x896, 1790x890) gets eight
     * views, up to 16 four, up to 32 two; an A4 page at 300 dpi (48 tiles, 3.4-4.5 s once when peppered all over, no
     * blank tile to skip) one.
     */
    static final int VIEW_TILE_BUDGET = 64;

    /** The most of 8, 4, 2 or 1 views, at most {@code views}, whose tiles fit {@link #VIEW_TILE_BUDGET}. */
    static int viewsWithinBudget(int views, int tiles) {
        int v = views;
        while (v > 1 && (long) v * tiles > VIEW_TILE_BUDGET) {
            v /= 2;
        }
        return v;
    }

    /** {@code views}, or 1 where the mean, a view and its probabilities (and a margin) do not fit in {@code free} bytes. */
    static int viewsThatFit(int views, long pixels, long free) {
        return views > 1 && free < 3 * pixels * Float.BYTES + VIEW_MARGIN ? 1 : views;
    }

    /** Java memory left free beyond the views' own arrays (the network's tiles, the caller's images). */
    private static final long VIEW_MARGIN = 64L << 20;

    /** Views averaged in the last {@link #overViews}. */
    private int lastViews;

    /**
     * The per-image choice: black and white to the binary specialist; a grey scan cleaned at full resolution
     * ({@code scale} 1) whose specks cover the page to the pepper specialist (loaded now if it was not); else main.
     */
    Denoiser networkFor(GrayImage scan, double scale) {
        if (binary != null && Binarizer.isBinary(scan)) {
            return binary;
        }
        if (scale <= 1 && pepperLoader != null && DarkSpecks.coverage(scan) >= PEPPER_COVERAGE && pepper() != null) {
            return pepper;
        }
        return main;
    }

    /** As {@link #reconstruct(GrayImage, Denoiser.TileProgress)}, at a chosen reduction (1: full resolution). */
    public GrayImage reconstructAt(GrayImage scan, double scale, Denoiser.TileProgress progress) {
        lastUsed = main;
        if (scale <= 1) {
            return main.reconstruct(scan, input.tilePrep(scan), progress);
        }
        int w = Math.max(1, (int) Math.round(scan.width() / scale));
        int h = Math.max(1, (int) Math.round(scan.height() / scale));
        GrayImage small = Resample.area(scan, w, h);
        GrayImage probs = main.reconstruct(small, input.tilePrep(small), progress);
        return Resample.bilinear(probs, scan.width(), scan.height());
    }

    /**
     * Network input a large photo may cost, in pixels of whole tiles (0: always full resolution);
     * {@code -Dinkwell.workingPixels}. The default, twelve 512 px tiles, cleans a 12-megapixel photo in about 2 s.
     */
    public static final long WORKING_PIXELS = Long.getLong("inkwell.workingPixels", 12L * Denoiser.DEFAULT_TILE * Denoiser.DEFAULT_TILE);
    /** The typical stroke is never made thinner than this many pixels by the reduction. */
    public static final double MIN_STROKE = 1.0;

    /**
     * How much smaller than {@code scan} it is cleaned: 1 for full resolution. The least reduction whose tiles fit
     * {@link #WORKING_PIXELS}, the image filling its tiles (no tile mostly empty), capped by the strokes' width.
     */
    public static double workingScale(GrayImage scan) {
        int w = scan.width();
        int h = scan.height();
        int step = Denoiser.DEFAULT_TILE - 2 * Denoiser.DEFAULT_OVERLAP;
        long tile = (long) Denoiser.DEFAULT_TILE * Denoiser.DEFAULT_TILE;
        if (WORKING_PIXELS <= 0 || tilesAt(w, h, 1, step) * tile <= WORKING_PIXELS) {
            return 1;
        }
        double best = Double.MAX_VALUE;
        for (int cols = 1; cols * tile <= WORKING_PIXELS; cols++) {
            double s = (double) w / (cols * step);
            int rows = (int) Math.ceil(h / s / step);
            if ((long) cols * rows * tile <= WORKING_PIXELS) {
                best = Math.min(best, Math.max(s, (double) h / (rows * step)));
            }
        }
        double scale = Math.min(best, Resample.typicalStroke(scan) / MIN_STROKE);
        if (scale < 1.2) {
            return 1;
        }
        // As many tiles as that takes, filled: the least reduction at the same cost.
        int cols = (int) Math.ceil(w / scale / step);
        int rows = (int) Math.ceil(h / scale / step);
        return Math.max((double) w / (cols * step), (double) h / (rows * step));
    }

    /** {@code probs} brought back to the working resolution it was made at (area average); itself at scale 1. */
    public static GrayImage atWorkingResolution(GrayImage probs, double scale) {
        if (scale <= 1) {
            return probs;
        }
        return Resample.area(probs, Math.max(1, (int) Math.round(probs.width() / scale)),
                Math.max(1, (int) Math.round(probs.height() / scale)));
    }

    private static long tilesAt(int w, int h, double s, int step) {
        return (long) Math.ceil(w / s / step) * (long) Math.ceil(h / s / step);
    }

    public GrayImage reconstruct(GrayImage scan) {
        return reconstruct(scan, (done, total) -> { });
    }

    /** Tiles a scan of this size takes (for progress displays). */
    public int tilesFor(int w, int h) {
        return main.tilesFor(w, h);
    }

    /** Frees the inference plans of its networks (their native memory); call when this cleaner is replaced. */
    @Override
    public void close() {
        main.close();
        if (binary != null) {
            binary.close();
        }
        if (pepper != null) {
            pepper.close();
        }
    }
}
