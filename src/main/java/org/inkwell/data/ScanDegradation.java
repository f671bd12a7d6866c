package org.inkwell.data;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Renders a clean signature the way scanners and phones deliver it, seeded and pure like the generator: ink
 * tone and colour, stroke width, paper tone and grain, illumination, vignetting and soft shadows, optical blur,
 * sensor noise, dust, specks and hairs, JPEG, and things that are not the signature. A level in [0, 1] sets how
 * hard the scan is; each image draws its level from {@code [levelLo, levelHi]}.
 *
 * <p>What counts as "not signature" (rendered, and paper in the truth): a printed signature line (straight and
 * uniform, unlike a hand-drawn underline), printed form text, a stamp, and show-through of writing on the back of
 * the page. Everything the pen drew, including a flourish under the name, is signature.
 *
 * <p>The truth changes with the stroke width (a marker's stroke is ink in the truth too), so pairs come from
 * {@link #applyPair}. The scan is returned as grey (luminance, as {@link ImageFiles#toGray} reads colour) after
 * {@link BackgroundFlattening}, which is how the grey model sees every scan.
 * <p>Longer than most classes: a catalogue of scan phenomena, each a short method that can be switched on alone;
 * kept together so their strengths are tuned against each other.
 */
public record ScanDegradation(double levelLo, double levelHi, Set<Phenomenon> phenomena) implements NoiseModel, ScanRenderer {
    /** Each phenomenon can be switched on alone (tests, the Samples pane, ablations). */
    public enum Phenomenon {
        STROKE_WIDTH, INK, PAPER, ILLUMINATION, SHADOW, BLUR, SENSOR_NOISE, DUST, HAIRS, JPEG, NOT_SIGNATURE, SHOW_THROUGH
    }

    public ScanDegradation {
        if (!(levelLo >= 0 && levelLo <= 1) || !(levelHi >= levelLo && levelHi <= 1)) {
            throw new IllegalArgumentException("scan level must be in [0, 1], got " + levelLo + "-" + levelHi);
        }
        phenomena = phenomena.isEmpty() ? EnumSet.noneOf(Phenomenon.class) : EnumSet.copyOf(phenomena);
    }

    public static ScanDegradation all(double lo, double hi) {
        return new ScanDegradation(lo, hi, EnumSet.allOf(Phenomenon.class));
    }

    public static ScanDegradation only(double level, Phenomenon p) {
        return new ScanDegradation(level, level, EnumSet.of(p));
    }

    @Override
    public double density() {
        return levelLo;
    }

    @Override
    public String spec() {
        String d = levelHi > levelLo ? levelLo + "-" + levelHi : String.valueOf(levelLo);
        return "scan:" + d;
    }

    @Override
    public NoiseModel withDensity(double level) {
        return new ScanDegradation(level, level, phenomena);
    }

    @Override
    public GrayImage apply(GrayImage clean, RandomGenerator rng) {
        return applyPair(clean, rng).noisy();
    }

    private boolean on(Phenomenon p) {
        return phenomena.contains(p);
    }

    /** The pair as the grey model trains on it: the scan after {@link BackgroundFlattening}, and the truth. */
    @Override
    public TrainingPair applyPair(GrayImage clean, RandomGenerator rng) {
        TrainingPair raw = render(clean, rng);
        return new TrainingPair(BackgroundFlattening.apply(raw.noisy()), raw.clean());
    }

    /** The scan as a scanner or phone would save it (grey), and the truth (the signature's ink only). */
    @Override
    public TrainingPair render(GrayImage clean, RandomGenerator rng) {
        double level = levelHi > levelLo ? levelLo + (levelHi - levelLo) * rng.nextDouble() : levelLo;
        int w = clean.width();
        int h = clean.height();
        // 1. The pen: stroke width from a fine ballpoint to a marker. The truth is the ink as drawn.
        GrayImage truth = clean;
        if (on(Phenomenon.STROKE_WIDTH)) {
            double u = rng.nextDouble();
            int radius = u < 0.45 ? 0 : u < 0.75 ? 1 : u < 0.92 ? 2 : 3;
            truth = dilateInk(clean, radius);
        }
        float[] ink = new float[w * h]; // ink coverage 0..1
        float[] t = truth.pixels();
        for (int i = 0; i < ink.length; i++) {
            ink[i] = t[i] < 0.5f ? 1f : 0f;
        }
        // Soft, anti-aliased stroke edges as optics and ink spread give them.
        ink = Filters.gaussian(ink, w, h, 0.45 + 0.5 * rng.nextDouble());
        // 2. Ink tone and colour: black, blue ballpoint, faded; pressure varies along the stroke.
        float[] inkRgb = {0.08f, 0.08f, 0.1f};
        double darkness = 0.95;
        if (on(Phenomenon.INK)) {
            double c = rng.nextDouble();
            inkRgb = c < 0.45 ? new float[]{0.06f + 0.06f * (float) rng.nextDouble(), 0.06f, 0.09f}
                    : c < 0.85 ? new float[]{0.10f, 0.16f + 0.1f * (float) rng.nextDouble(), 0.45f + 0.2f * (float) rng.nextDouble()}
                    : new float[]{0.25f, 0.25f, 0.32f};
            darkness = 0.95 - level * (0.15 + 0.45 * rng.nextDouble()); // faint ink on hard scans
            float[] pressure = smoothNoise(w, h, 6 + 10 * rng.nextDouble(), rng);
            for (int i = 0; i < ink.length; i++) {
                ink[i] *= (float) Math.min(1, darkness * (1 + 0.25 * level * pressure[i]));
            }
        } else {
            for (int i = 0; i < ink.length; i++) {
                ink[i] *= (float) darkness;
            }
        }
        // 3. Paper: tone (white to cream or grey) and grain.
        float[] paper = {0.97f, 0.97f, 0.96f};
        if (on(Phenomenon.PAPER)) {
            float base = (float) (0.98 - 0.12 * level * rng.nextDouble());
            float warm = (float) (0.05 * rng.nextDouble());
            paper = new float[]{base, base - warm * 0.4f, base - warm};
        }
        float[][] rgb = new float[3][w * h];
        for (int ch = 0; ch < 3; ch++) {
            for (int i = 0; i < ink.length; i++) {
                rgb[ch][i] = paper[ch] * (1 - ink[i]) + inkRgb[ch] * ink[i];
            }
        }
        if (on(Phenomenon.PAPER)) {
            float[] grain = smoothNoise(w, h, 0.7, rng);
            float amp = (float) (0.01 + 0.03 * level);
            multiply(rgb, grain, amp);
        }
        // 4. Not the signature: a printed line, form text, a stamp; writing showing through from the back.
        if (on(Phenomenon.SHOW_THROUGH) && rng.nextDouble() < 0.15 + 0.3 * level) {
            darkenWith(rgb, showThrough(w, h, rng), (float) (0.06 + 0.12 * level), new float[]{0.3f, 0.3f, 0.35f});
        }
        if (on(Phenomenon.NOT_SIGNATURE) && rng.nextDouble() < 0.1 + 0.3 * level) {
            darkenWith(rgb, printed(w, h, truth, rng), (float) (0.5 + 0.4 * rng.nextDouble()),
                    rng.nextDouble() < 0.7 ? new float[]{0.1f, 0.1f, 0.1f} : new float[]{0.55f, 0.1f, 0.2f});
        }
        // 5. Dust, specks and hairs: dark marks on the paper that are not ink.
        if (on(Phenomenon.DUST)) {
            specks(rgb, w, h, (int) Math.round(level * level * (w * h) / 2500.0 * (0.5 + rng.nextDouble())) + (rng.nextDouble() < 0.5 ? 1 : 0), rng);
        }
        if (on(Phenomenon.HAIRS) && rng.nextDouble() < 0.15 + 0.5 * level) {
            int n = 1 + rng.nextInt(1 + (int) (3 * level));
            for (int k = 0; k < n; k++) {
                hair(rgb, w, h, rng);
            }
        }
        // 6. Light: a gradient across the page, vignetting, a soft shadow (a phone's hand, a book's gutter).
        if (on(Phenomenon.ILLUMINATION)) {
            multiply(rgb, illumination(w, h, level, rng), 1f);
        }
        if (on(Phenomenon.SHADOW) && rng.nextDouble() < 0.2 + 0.5 * level) {
            multiply(rgb, shadow(w, h, level, rng), 1f);
        }
        // 7. Optics and sensor.
        if (on(Phenomenon.BLUR)) {
            double sigma = 0.2 + 1.1 * level * rng.nextDouble();
            for (int ch = 0; ch < 3; ch++) {
                rgb[ch] = Filters.gaussian(rgb[ch], w, h, sigma);
            }
        }
        if (on(Phenomenon.SENSOR_NOISE)) {
            double sigma = 0.004 + 0.035 * level * rng.nextDouble();
            for (int i = 0; i < w * h; i++) {
                double luma = sigma * rng.nextGaussian();
                for (int ch = 0; ch < 3; ch++) {
                    rgb[ch][i] += (float) (luma + 0.3 * sigma * rng.nextGaussian());
                }
            }
        }
        GrayImage scan = toGray(rgb, w, h);
        if (on(Phenomenon.JPEG) && rng.nextDouble() < 0.3 + 0.6 * level) {
            scan = jpeg(rgb, w, h, (float) (0.95 - 0.6 * level * rng.nextDouble()));
        }
        return new TrainingPair(scan, truth);
    }

    // ---- the pieces

    /** Ink grown by a disc of {@code radius} pixels (0: unchanged). */
    static GrayImage dilateInk(GrayImage img, int radius) {
        if (radius <= 0) {
            return img;
        }
        int w = img.width();
        int h = img.height();
        float[] src = img.pixels();
        float[] out = new float[src.length];
        java.util.Arrays.fill(out, GrayImage.PAPER);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (src[y * w + x] >= 0.5f) {
                    continue;
                }
                for (int dy = -radius; dy <= radius; dy++) {
                    for (int dx = -radius; dx <= radius; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (dx * dx + dy * dy <= radius * radius + radius && yy >= 0 && yy < h && xx >= 0 && xx < w) {
                            out[yy * w + xx] = GrayImage.INK;
                        }
                    }
                }
            }
        }
        return new GrayImage(w, h, out);
    }

    /** Zero-mean noise of unit-ish amplitude, smooth over about {@code scale} pixels. */
    static float[] smoothNoise(int w, int h, double scale, RandomGenerator rng) {
        float[] n = new float[w * h];
        for (int i = 0; i < n.length; i++) {
            n[i] = (float) rng.nextGaussian();
        }
        float[] s = Filters.gaussian(n, w, h, scale);
        double var = 0;
        for (float v : s) {
            var += v * v;
        }
        float norm = (float) (1 / Math.sqrt(var / s.length + 1e-12));
        for (int i = 0; i < s.length; i++) {
            s[i] *= norm;
        }
        return s;
    }

    static void multiply(float[][] rgb, float[] field, float amp) {
        for (int ch = 0; ch < 3; ch++) {
            for (int i = 0; i < field.length; i++) {
                rgb[ch][i] *= amp == 1f ? field[i] : 1 + amp * field[i];
            }
        }
    }

    /** Blends {@code colour} in where {@code mask} (0..1) is, at {@code strength}. */
    static void darkenWith(float[][] rgb, float[] mask, float strength, float[] colour) {
        for (int i = 0; i < mask.length; i++) {
            float a = Math.min(1, mask[i] * strength);
            if (a > 0) {
                for (int ch = 0; ch < 3; ch++) {
                    rgb[ch][i] = Math.min(rgb[ch][i], rgb[ch][i] * (1 - a) + colour[ch] * a);
                }
            }
        }
    }

    private static float[] illumination(int w, int h, double level, RandomGenerator rng) {
        double angle = rng.nextDouble() * 2 * Math.PI;
        double span = 1500 * (0.5 + rng.nextDouble()); // a page-sized ramp, in pixels
        double drop = level * (0.1 + 0.35 * rng.nextDouble());
        double cx = rng.nextDouble() * w;
        double cy = rng.nextDouble() * h;
        double vignette = level * 0.25 * rng.nextDouble();
        double radius = 400 + 800 * rng.nextDouble();
        double ox = rng.nextDouble() * w;
        double oy = rng.nextDouble() * h;
        float[] f = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double along = ((x - cx) * Math.cos(angle) + (y - cy) * Math.sin(angle)) / span;
                double ramp = 1 - drop * (0.5 + Math.max(-0.5, Math.min(0.5, along)));
                double r2 = ((x - ox) * (x - ox) + (y - oy) * (y - oy)) / (radius * radius);
                f[y * w + x] = (float) (ramp * (1 - vignette * Math.min(1, r2)));
            }
        }
        return f;
    }

    private static float[] shadow(int w, int h, double level, RandomGenerator rng) {
        // A straight shadow edge at a random angle, softened over 5-40 px.
        double angle = rng.nextDouble() * 2 * Math.PI;
        double px = rng.nextDouble() * w;
        double py = rng.nextDouble() * h;
        double softness = 5 + 35 * rng.nextDouble();
        double depth = 0.15 + 0.45 * level * rng.nextDouble();
        float[] f = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = ((x - px) * Math.cos(angle) + (y - py) * Math.sin(angle)) / softness;
                double inShadow = 1 / (1 + Math.exp(-d));
                f[y * w + x] = (float) (1 - depth * inShadow);
            }
        }
        return f;
    }

    /** Round and irregular specks of 1-4 px, and rare larger blots. */
    private static void specks(float[][] rgb, int w, int h, int count, RandomGenerator rng) {
        for (int k = 0; k < count; k++) {
            double cx = rng.nextDouble() * w;
            double cy = rng.nextDouble() * h;
            int parts = rng.nextDouble() < 0.6 ? 1 : 2 + rng.nextInt(3);
            double size = rng.nextDouble() < 0.9 ? 0.5 + 1.6 * rng.nextDouble() : 2 + 2 * rng.nextDouble();
            float dark = (float) (0.3 + 0.65 * rng.nextDouble());
            for (int p = 0; p < parts; p++) {
                double ox = cx + (parts == 1 ? 0 : (rng.nextDouble() - 0.5) * 2 * size);
                double oy = cy + (parts == 1 ? 0 : (rng.nextDouble() - 0.5) * 2 * size);
                double r = size * (parts == 1 ? 1 : 0.5 + 0.5 * rng.nextDouble());
                disc(rgb, w, h, ox, oy, r, dark);
            }
        }
    }

    static void disc(float[][] rgb, int w, int h, double cx, double cy, double r, float dark) {
        int x0 = (int) Math.floor(cx - r - 1);
        int x1 = (int) Math.ceil(cx + r + 1);
        int y0 = (int) Math.floor(cy - r - 1);
        int y1 = (int) Math.ceil(cy + r + 1);
        for (int y = Math.max(0, y0); y <= Math.min(h - 1, y1); y++) {
            for (int x = Math.max(0, x0); x <= Math.min(w - 1, x1); x++) {
                double d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
                double cover = Math.max(0, Math.min(1, r + 0.5 - d));
                if (cover > 0) {
                    int i = y * w + x;
                    for (int ch = 0; ch < 3; ch++) {
                        rgb[ch][i] *= (float) (1 - dark * cover);
                    }
                }
            }
        }
    }

    /** A thin curved hair or scratch, dark (or, rarely, light), 10-60 px long. */
    static void hair(float[][] rgb, int w, int h, RandomGenerator rng) {
        double x = rng.nextDouble() * w;
        double y = rng.nextDouble() * h;
        double dir = rng.nextDouble() * 2 * Math.PI;
        int len = 10 + rng.nextInt(50);
        float dark = (float) (0.2 + 0.5 * rng.nextDouble());
        double width = 0.35 + 0.3 * rng.nextDouble();
        for (int s = 0; s < len * 2; s++) {
            dir += 0.08 * rng.nextGaussian();
            x += 0.5 * Math.cos(dir);
            y += 0.5 * Math.sin(dir);
            disc(rgb, w, h, x, y, width, dark / 3);
        }
    }

    /** Faint mirrored handwriting-like strokes, blurred as paper blurs what shows through it. */
    static float[] showThrough(int w, int h, RandomGenerator rng) {
        GrayImage other = new SignatureGenerator(rng.nextLong()).generate(rng.nextInt(1000));
        GrayImage placed = Preprocess.resizeNearest(other, w, h);
        float[] m = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = placed.get(w - 1 - x, y) < 0.5f ? 1f : 0f; // mirrored: it is the back of the page
            }
        }
        return Filters.gaussian(m, w, h, 1.2);
    }

    /** A printed signature line (straight, uniform), a few lines of form text, or a stamp's ring. */
    static float[] printed(int w, int h, GrayImage truth, RandomGenerator rng) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        var g = img.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(java.awt.Color.WHITE);
        double kind = rng.nextDouble();
        if (kind < 0.5) {
            // The printed line the signature sits on, often below the lowest ink.
            int y = (int) (h * (0.6 + 0.35 * rng.nextDouble()));
            int x0 = (int) (w * 0.05 * rng.nextDouble());
            int x1 = w - (int) (w * 0.05 * rng.nextDouble());
            g.setStroke(new java.awt.BasicStroke(0.8f + (float) rng.nextDouble(), java.awt.BasicStroke.CAP_BUTT,
                    java.awt.BasicStroke.JOIN_MITER, 1f, rng.nextDouble() < 0.3 ? new float[]{3f, 2f} : null, 0f));
            g.drawLine(x0, y, x1, y);
        } else if (kind < 0.8) {
            int size = 7 + rng.nextInt(6);
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, size));
            String[] words = {"Signature", "Date", "Name (print)", "Authorised by", "Place", "Witness"};
            int y = rng.nextBoolean() ? size + 2 : h - 4;
            g.drawString(words[rng.nextInt(words.length)] + ":", (int) (w * 0.05 * rng.nextDouble()) + 2, y);
        } else {
            int r = (int) (Math.min(w, h) * (0.3 + 0.3 * rng.nextDouble()));
            int cx = (int) (rng.nextDouble() * w);
            int cy = (int) (rng.nextDouble() * h);
            g.setStroke(new java.awt.BasicStroke(1.5f + 1.5f * (float) rng.nextDouble()));
            g.drawOval(cx - r, cy - r, 2 * r, 2 * r);
            g.drawOval(cx - r + 5, cy - r + 5, 2 * r - 10, 2 * r - 10);
        }
        g.dispose();
        float[] m = new float[w * h];
        var raster = img.getRaster();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                m[y * w + x] = row[x] / 255f;
            }
        }
        return m;
    }

    static GrayImage toGray(float[][] rgb, int w, int h) {
        float[] out = new float[w * h];
        for (int i = 0; i < out.length; i++) {
            float v = 0.299f * rgb[0][i] + 0.587f * rgb[1][i] + 0.114f * rgb[2][i];
            out[i] = Math.max(0f, Math.min(1f, v));
        }
        return new GrayImage(w, h, out);
    }

    /** Encodes the colour scan as JPEG at {@code quality} and decodes it, as a phone or a scanner's email does. */
    static GrayImage jpeg(float[][] rgb, int w, int h, float quality) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            int r = Math.round(255 * Math.max(0, Math.min(1, rgb[0][i])));
            int g = Math.round(255 * Math.max(0, Math.min(1, rgb[1][i])));
            int b = Math.round(255 * Math.max(0, Math.min(1, rgb[2][i])));
            px[i] = (r << 16) | (g << 8) | b;
        }
        img.setRGB(0, 0, w, h, px, 0, w);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam p = writer.getDefaultWriteParam();
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(Math.max(0.05f, Math.min(1f, quality)));
                writer.write(null, new IIOImage(img, null, null), p);
            } finally {
                writer.dispose();
            }
            return ImageFiles.toGray(ImageIO.read(new ByteArrayInputStream(bytes.toByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code scan:0.2}, {@code scan:0.1-0.6}. */
    static ScanDegradation parse(String range) {
        String[] r = range.split("-");
        double lo = Double.parseDouble(r[0]);
        double hi = r.length > 1 ? Double.parseDouble(r[1]) : lo;
        return all(lo, hi);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "scan %.2f-%.2f %s", levelLo, levelHi, phenomena);
    }
}
