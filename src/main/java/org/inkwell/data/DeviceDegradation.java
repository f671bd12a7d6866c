package org.inkwell.data;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Signatures as real devices deliver them, designed from how pens, paper, photocopiers and cameras fail rather than
 * from one renderer's parameters. Each phenomenon belongs to a {@link Family}; families can be held out (training
 * without them, to measure how a model does on degradations it never saw) or shown alone (the Samples pane, the
 * Compare pane's noise menu, per-family evaluation). Seeded and pure: the same clean image, level and seed give the
 * same pair.
 *
 * <p>The truth is the pen's continuous line: a gap where the ink skipped is still signature, and everything a device
 * added (toner, streaks, stains, shadows, dust) is paper. Every image ends as it reaches a computer: resampled and
 * JPEG-compressed ({@link Phenomenon#RESAMPLE}, {@link Phenomenon#JPEG}, always on).
 * <p>Longer than most classes: a catalogue of device phenomena, each a short method that can be switched on alone;
 * kept together so their strengths are tuned against each other.
 */
public record DeviceDegradation(double levelLo, double levelHi, Set<Family> families, Set<Phenomenon> phenomena,
                                boolean focus, boolean pepperAlways)
        implements NoiseModel, ScanRenderer {
    /** Groups of phenomena with one physical cause; the unit of hold-out. */
    public enum Family {
        PEN, PAPER, PHOTOCOPIER, CAMERA, PEPPER;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Family parse(String s) {
            for (Family f : values()) {
                if (f.id().equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown degradation family '" + s + "' (use pen, paper, photocopier, camera or pepper)");
        }
    }

    /** One physical effect; {@code null} family: always applied (how every image reaches a computer). */
    public enum Phenomenon {
        // The pen: what reaches the paper.
        PEN_TYPE(Family.PEN), PRESSURE(Family.PEN), LOW_INK_GAPS(Family.PEN), MOTTLING(Family.PEN), BLEED(Family.PEN),
        // The paper.
        TINT(Family.PAPER), TEXTURE(Family.PAPER), PRINTED_BACKGROUND(Family.PAPER), STAINS(Family.PAPER),
        CREASES(Family.PAPER), SHOW_THROUGH(Family.PAPER),
        // Office photocopiers and fax.
        EXPOSURE(Family.PHOTOCOPIER), TONER_BANDS(Family.PHOTOCOPIER), DRUM_STREAKS(Family.PHOTOCOPIER),
        HALFTONE(Family.PHOTOCOPIER), FAX(Family.PHOTOCOPIER), PLATEN_DUST(Family.PHOTOCOPIER),
        TONER_VOIDS(Family.PHOTOCOPIER),
        // Phone cameras.
        LIGHTING(Family.CAMERA), HAND_SHADOW(Family.CAMERA), COLOUR_CAST(Family.CAMERA), DEFOCUS(Family.CAMERA),
        MOTION_BLUR(Family.CAMERA), LOW_LIGHT_NOISE(Family.CAMERA), MOIRE(Family.CAMERA),
        // The seed's impulse noise on a grey scan: faint grey ink, specks darker than it.
        DARK_PEPPER(Family.PEPPER),
        // Always: the file a computer receives.
        RESAMPLE(null), JPEG(null);

        private final Family family;

        Phenomenon(Family family) {
            this.family = family;
        }

        public Family family() {
            return family;
        }

        static EnumSet<Phenomenon> of(Set<Family> families) {
            EnumSet<Phenomenon> s = EnumSet.noneOf(Phenomenon.class);
            for (Phenomenon p : values()) {
                if (p.family == null || families.contains(p.family)) {
                    s.add(p);
                }
            }
            return s;
        }
    }

    public DeviceDegradation {
        if (!(levelLo >= 0 && levelLo <= 1) || !(levelHi >= levelLo && levelHi <= 1)) {
            throw new IllegalArgumentException("device level must be in [0, 1], got " + levelLo + "-" + levelHi);
        }
        families = families.isEmpty() ? EnumSet.noneOf(Family.class) : EnumSet.copyOf(families);
        phenomena = phenomena.isEmpty() ? EnumSet.noneOf(Phenomenon.class) : EnumSet.copyOf(phenomena);
    }

    /**
     * @param focus every image shows each of {@code families}: the capture device is the listed one, the pepper
     *              always comes (evaluating one family); without it, each image draws its device (training)
     */
    public DeviceDegradation(double levelLo, double levelHi, Set<Family> families, Set<Phenomenon> phenomena) {
        this(levelLo, levelHi, families, phenomena, false);
    }

    /** @param pepperAlways every image gets the seed's pepper on a grey scan, the rest drawn as usual (with=pepper) */
    public DeviceDegradation(double levelLo, double levelHi, Set<Family> families, Set<Phenomenon> phenomena, boolean focus) {
        this(levelLo, levelHi, families, phenomena, focus, false);
    }

    /**
     * Every family, each image drawing its pen, paper and device as {@link #all} does, and every image with the seed's
     * pepper on a grey scan: what the pepper specialist meets ({@code device:LO-HI:with=pepper}).
     */
    public static DeviceDegradation withPepper(double lo, double hi) {
        EnumSet<Family> f = EnumSet.allOf(Family.class);
        return new DeviceDegradation(lo, hi, f, Phenomenon.of(f), false, true);
    }

    /** Every family: each image draws its pen, paper and capture device (photocopier, camera or a plain scanner). */
    public static DeviceDegradation all(double lo, double hi) {
        return of(lo, hi, EnumSet.allOf(Family.class));
    }

    /** The families given, each with all its phenomena; each image draws its capture device. */
    public static DeviceDegradation of(double lo, double hi, Set<Family> families) {
        return new DeviceDegradation(lo, hi, families, Phenomenon.of(families), false);
    }

    /** Every image shows the families given (the per-family evaluation sets, the Samples and Compare menus). */
    public static DeviceDegradation focused(double lo, double hi, Set<Family> families) {
        return new DeviceDegradation(lo, hi, families, Phenomenon.of(families), true);
    }

    /** Every family but {@code heldOut}: what a model trained for the leave-one-family-out protocol sees. */
    public static DeviceDegradation without(double lo, double hi, Family heldOut) {
        EnumSet<Family> f = EnumSet.allOf(Family.class);
        f.remove(heldOut);
        return of(lo, hi, f);
    }

    /** One phenomenon alone, always applied (tests, ablations): no other family's effects but the final file's. */
    public static DeviceDegradation only(double level, Phenomenon p) {
        EnumSet<Phenomenon> s = EnumSet.of(p);
        return new DeviceDegradation(level, level, p.family() == null ? EnumSet.noneOf(Family.class) : EnumSet.of(p.family()), s, true);
    }

    /** {@code device:LO-HI}, {@code device:LO-HI:without=camera}, {@code device:LO-HI:only=paper+pen}. */
    static DeviceDegradation parse(String range, String option) {
        String[] r = range.split("-");
        double lo = Double.parseDouble(r[0]);
        double hi = r.length > 1 ? Double.parseDouble(r[1]) : lo;
        if (option == null || option.isBlank()) {
            return all(lo, hi);
        }
        if (option.equals("with=pepper")) {
            return withPepper(lo, hi);
        }
        if (option.startsWith("without=")) {
            return without(lo, hi, Family.parse(option.substring("without=".length())));
        }
        if (option.startsWith("only=")) {
            EnumSet<Family> f = EnumSet.noneOf(Family.class);
            for (String s : option.substring("only=".length()).split("\\+")) {
                f.add(Family.parse(s));
            }
            if (f.contains(Family.PHOTOCOPIER) && f.contains(Family.CAMERA)) {
                throw new IllegalArgumentException("a page is captured by one device: give only=photocopier or only=camera,"
                        + " not both (device:LO-HI without only= draws a device per image)");
            }
            return focused(lo, hi, f);
        }
        throw new IllegalArgumentException("device noise takes without=FAMILY, only=FAMILY[+FAMILY] or with=pepper, not '"
                + option + "'");
    }

    @Override
    public double density() {
        return levelLo;
    }

    @Override
    public String spec() {
        String d = levelHi > levelLo ? levelLo + "-" + levelHi : String.valueOf(levelLo);
        if (!focus && families.equals(EnumSet.allOf(Family.class)) && phenomena.equals(Phenomenon.of(families))) {
            return "device:" + d + (pepperAlways ? ":with=pepper" : "");
        }
        EnumSet<Family> missing = EnumSet.complementOf(EnumSet.copyOf(families.isEmpty() ? EnumSet.noneOf(Family.class) : families));
        if (!focus && missing.size() == 1 && phenomena.equals(Phenomenon.of(families))) {
            return "device:" + d + ":without=" + missing.iterator().next().id();
        }
        List<String> ids = new ArrayList<>();
        families.forEach(f -> ids.add(f.id()));
        return "device:" + d + ":only=" + String.join("+", ids);
    }

    @Override
    public NoiseModel withDensity(double level) {
        return new DeviceDegradation(level, level, families, phenomena, focus, pepperAlways);
    }

    @Override
    public GrayImage apply(GrayImage clean, RandomGenerator rng) {
        return applyPair(clean, rng).noisy();
    }

    /** The pair as the grey model trains on it: the capture after {@link BackgroundFlattening}, and the truth. */
    @Override
    public TrainingPair applyPair(GrayImage clean, RandomGenerator rng) {
        TrainingPair raw = render(clean, rng);
        return new TrainingPair(BackgroundFlattening.apply(raw.noisy()), raw.clean());
    }

    private boolean on(Phenomenon p) {
        return phenomena.contains(p);
    }

    /** True when single phenomena were asked for ({@link #only}): then each is always applied. */
    private boolean forced() {
        return !phenomena.equals(Phenomenon.of(families));
    }

    /** The capture as the device saves it (grey), and the truth (the pen's continuous line). */
    @Override
    public TrainingPair render(GrayImage clean, RandomGenerator rng) {
        double level = levelHi > levelLo ? levelLo + (levelHi - levelLo) * rng.nextDouble() : levelLo;
        boolean forced = forced();
        int w = clean.width();
        int h = clean.height();
        // Which device captured this page: a photocopier, a phone camera, or a plain flatbed scanner.
        double device = rng.nextDouble();
        boolean always = forced || focus;
        boolean copier = families.contains(Family.PHOTOCOPIER) && (always || device < (families.contains(Family.CAMERA) ? 0.4 : 0.6));
        boolean camera = families.contains(Family.CAMERA) && !copier && (always || device < 0.85);
        boolean pepper = on(Phenomenon.DARK_PEPPER) && (always || pepperAlways || rng.nextDouble() < 0.3);

        // 1. The pen. Its width is part of the truth (a felt pen's line is signature); skips are not gaps in it.
        Pen pen = on(Phenomenon.PEN_TYPE) ? Pen.draw(rng) : Pen.BALLPOINT;
        GrayImage truth = ScanDegradation.dilateInk(clean, pen.radius(rng));
        float[] ink = coverage(truth, pen.edge);
        if (on(Phenomenon.PRESSURE) && (forced || rng.nextDouble() < 0.7)) {
            pressure(ink, w, h, level, rng);
        }
        if (on(Phenomenon.LOW_INK_GAPS) && (forced || rng.nextDouble() < 0.25 + 0.5 * level)) {
            gaps(ink, w, h, level, rng);
        }
        if (pen == Pen.PENCIL || on(Phenomenon.MOTTLING) && (forced || rng.nextDouble() < 0.5)) {
            mottle(ink, w, h, pen == Pen.PENCIL ? 0.5 + 0.3 * level : 0.15 + 0.35 * level, rng);
        }
        if (pen == Pen.FELT || on(Phenomenon.BLEED) && (forced || rng.nextDouble() < 0.4)) {
            ink = bleed(ink, w, h, level, rng);
        }
        float[] inkRgb = pen.colour(rng, pepper ? 0.35 + 0.25 * rng.nextDouble() : 0.0);

        // 2. The paper, and what is printed or spilled on it.
        float[] paper = {0.97f, 0.97f, 0.96f};
        if (on(Phenomenon.TINT) && (forced || rng.nextDouble() < 0.5)) {
            paper = tint(level, rng);
        }
        float[][] rgb = new float[3][w * h];
        for (int ch = 0; ch < 3; ch++) {
            for (int i = 0; i < ink.length; i++) {
                rgb[ch][i] = paper[ch] * (1 - ink[i]) + inkRgb[ch] * ink[i];
            }
        }
        if (on(Phenomenon.TEXTURE) && (forced || rng.nextDouble() < 0.6)) {
            texture(rgb, w, h, level, rng);
        }
        if (on(Phenomenon.PRINTED_BACKGROUND) && (forced || rng.nextDouble() < 0.25 + 0.3 * level)) {
            printedBackground(rgb, w, h, level, rng);
        }
        if (on(Phenomenon.SHOW_THROUGH) && (forced || rng.nextDouble() < 0.15 + 0.25 * level)) {
            ScanDegradation.darkenWith(rgb, ScanDegradation.showThrough(w, h, rng), (float) (0.06 + 0.14 * level),
                    new float[]{0.3f, 0.3f, 0.35f});
        }
        if (on(Phenomenon.STAINS) && (forced || rng.nextDouble() < 0.15 + 0.4 * level)) {
            stains(rgb, w, h, level, rng);
        }
        if (on(Phenomenon.CREASES) && (forced || rng.nextDouble() < 0.1 + 0.4 * level)) {
            crease(rgb, w, h, level, rng);
        }

        // 3. The capture device.
        if (copier) {
            photocopy(rgb, w, h, level, forced, rng);
        } else if (camera) {
            photograph(rgb, w, h, level, forced, rng);
        }
        GrayImage grey = ScanDegradation.toGray(rgb, w, h);
        if (pepper) {
            grey = darkPepper(grey, level, rng);
        }
        if (copier && on(Phenomenon.FAX) && (forced && phenomena.size() == 1 || rng.nextDouble() < 0.15 + 0.2 * level)) {
            grey = fax(grey, rng);
        } else if (copier && on(Phenomenon.HALFTONE) && (forced && phenomena.size() == 1 || rng.nextDouble() < 0.2 + 0.3 * level)) {
            grey = halftone(grey, level, rng);
        }

        // 4. The file: resampled by the device or the mail, then JPEG.
        if (on(Phenomenon.RESAMPLE) && rng.nextDouble() < 0.3 + 0.4 * level) {
            grey = resample(grey, 0.55 + 0.4 * rng.nextDouble());
        }
        if (on(Phenomenon.JPEG) && rng.nextDouble() < 0.3 + 0.6 * level) {
            float[][] g3 = {grey.pixels(), grey.pixels(), grey.pixels()};
            grey = ScanDegradation.jpeg(g3, w, h, (float) (0.92 - 0.55 * level * rng.nextDouble()));
        }
        return new TrainingPair(grey, truth);
    }

    // ---- the pen

    /** Pens people sign with: their stroke width, edge and colour. */
    enum Pen {
        BALLPOINT(0.45), GEL(0.5), FELT(0.9), PENCIL(0.5);

        final double edge;

        Pen(double edge) {
            this.edge = edge;
        }

        static Pen draw(RandomGenerator rng) {
            double u = rng.nextDouble();
            return u < 0.45 ? BALLPOINT : u < 0.7 ? GEL : u < 0.88 ? FELT : PENCIL;
        }

        int radius(RandomGenerator rng) {
            return switch (this) {
                case BALLPOINT -> rng.nextDouble() < 0.7 ? 0 : 1;
                case GEL -> 1;
                case FELT -> 1 + rng.nextInt(3);
                case PENCIL -> rng.nextDouble() < 0.5 ? 0 : 1;
            };
        }

        /** Ink colour; {@code faint} in (0, 1) makes it a pale grey (the seed's faint ink under dark pepper). */
        float[] colour(RandomGenerator rng, double faint) {
            if (faint > 0) {
                float v = (float) faint;
                return new float[]{v, v, v + 0.03f};
            }
            if (this == PENCIL) {
                float v = (float) (0.3 + 0.2 * rng.nextDouble());
                return new float[]{v, v, v};
            }
            double c = rng.nextDouble();
            if (c < 0.45) {
                return new float[]{0.05f + 0.05f * (float) rng.nextDouble(), 0.05f, 0.08f};
            }
            if (c < 0.85) { // blue, often thin and light
                return new float[]{0.12f, 0.18f + 0.15f * (float) rng.nextDouble(), 0.5f + 0.3f * (float) rng.nextDouble()};
            }
            return new float[]{0.3f + 0.2f * (float) rng.nextDouble(), 0.3f, 0.38f}; // faded
        }
    }

    private static float[] coverage(GrayImage truth, double edge) {
        float[] t = truth.pixels();
        float[] ink = new float[t.length];
        for (int i = 0; i < ink.length; i++) {
            ink[i] = t[i] < 0.5f ? 1f : 0f;
        }
        return Filters.gaussian(ink, truth.width(), truth.height(), edge);
    }

    /** Pressure varies along the stroke: light pressure gives a lighter, narrower trace. */
    private static void pressure(float[] ink, int w, int h, double level, RandomGenerator rng) {
        float[] p = ScanDegradation.smoothNoise(w, h, 8 + 12 * rng.nextDouble(), rng);
        double depth = 0.25 + 0.45 * level;
        for (int i = 0; i < ink.length; i++) {
            double f = 1 - depth * Math.max(0, Math.min(1, 0.5 - 0.5 * p[i]));
            ink[i] = (float) Math.max(0, ink[i] * f - (1 - f) * 0.3);
        }
    }

    /** A pen running dry or skipping: stretches of the stroke with no ink at all (still signature in the truth). */
    private static void gaps(float[] ink, int w, int h, double level, RandomGenerator rng) {
        float[] n = ScanDegradation.smoothNoise(w, h, 1.5 + 2.5 * rng.nextDouble(), rng);
        double cut = 1.6 - 1.3 * level; // higher level: more of the stroke skipped
        for (int i = 0; i < ink.length; i++) {
            if (n[i] > cut) {
                ink[i] *= (float) Math.max(0, 1 - 2.5 * (n[i] - cut));
            }
        }
    }

    /** Uneven ink (mottling, pencil grain on the paper's tooth). */
    private static void mottle(float[] ink, int w, int h, double depth, RandomGenerator rng) {
        float[] n = ScanDegradation.smoothNoise(w, h, 0.6, rng);
        for (int i = 0; i < ink.length; i++) {
            ink[i] *= (float) Math.max(0, Math.min(1, 1 - depth * (0.5 + 0.5 * n[i])));
        }
    }

    /** Ink wicking into the fibres: a feathered halo around the stroke, wider on soft paper. */
    private static float[] bleed(float[] ink, int w, int h, double level, RandomGenerator rng) {
        float[] halo = Filters.gaussian(ink, w, h, 0.6 + 0.9 * level * rng.nextDouble());
        float[] fibres = ScanDegradation.smoothNoise(w, h, 0.8, rng);
        float[] out = new float[ink.length];
        for (int i = 0; i < ink.length; i++) {
            float spread = (float) (halo[i] * (0.55 + 0.25 * fibres[i]));
            out[i] = Math.max(ink[i], Math.min(1, spread));
        }
        return out;
    }

    // ---- the paper

    private static float[] tint(double level, RandomGenerator rng) {
        float[][] tints = {{0.93f, 0.95f, 1.0f}, {0.92f, 0.98f, 0.9f}, {1.0f, 0.97f, 0.8f}, {1.0f, 0.9f, 0.92f},
                {0.86f, 0.85f, 0.82f}, {0.97f, 0.92f, 0.84f}};
        float[] t = tints[rng.nextInt(tints.length)].clone();
        float dim = (float) (1 - 0.15 * level * rng.nextDouble());
        for (int ch = 0; ch < 3; ch++) {
            t[ch] *= dim;
        }
        return t;
    }

    /** Paper fibres and recycled flecks: short faint strands and sparse light specks of other pulp. */
    private static void texture(float[][] rgb, int w, int h, double level, RandomGenerator rng) {
        ScanDegradation.multiply(rgb, ScanDegradation.smoothNoise(w, h, 0.7, rng), (float) (0.01 + 0.03 * level));
        ScanDegradation.multiply(rgb, ScanDegradation.smoothNoise(w, h, 12, rng), (float) (0.01 + 0.03 * level));
        int strands = (int) (w * h / 3000.0 * (0.5 + level));
        for (int k = 0; k < strands; k++) {
            double x = rng.nextDouble() * w;
            double y = rng.nextDouble() * h;
            double a = rng.nextDouble() * Math.PI;
            int len = 4 + rng.nextInt(12);
            float dark = (float) (0.04 + 0.1 * level * rng.nextDouble());
            for (int s = 0; s < len; s++) {
                ScanDegradation.disc(rgb, w, h, x + s * Math.cos(a), y + s * Math.sin(a), 0.4, dark);
            }
        }
    }

    /** Security patterns, ruled lines, a watermark: printed before the signing, not signature. */
    private static void printedBackground(float[][] rgb, int w, int h, double level, RandomGenerator rng) {
        float[] m = new float[w * h];
        double kind = rng.nextDouble();
        double period = 4 + 10 * rng.nextDouble();
        double a = rng.nextDouble() * Math.PI;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = x * Math.cos(a) + y * Math.sin(a);
                double v;
                if (kind < 0.4) { // a guilloche-like wave pattern
                    v = Math.sin(2 * Math.PI * u / period + 2 * Math.sin(2 * Math.PI * (x * Math.sin(a) - y * Math.cos(a)) / (period * 6)));
                    v = Math.max(0, v) * 0.6;
                } else if (kind < 0.75) { // ruled lines
                    v = (y % (int) (period * 2.5)) == 0 ? 1 : 0;
                } else { // a large, pale watermark-like tone field
                    v = 0;
                }
                m[y * w + x] = (float) v;
            }
        }
        if (kind >= 0.75) {
            m = ScanDegradation.printed(w, h, null, rng);
            m = Filters.gaussian(m, w, h, 2.5);
        }
        float[] colour = rng.nextDouble() < 0.5 ? new float[]{0.55f, 0.65f, 0.85f} : new float[]{0.6f, 0.6f, 0.6f};
        ScanDegradation.darkenWith(rgb, m, (float) (0.15 + 0.35 * level), colour);
    }

    /** A coffee ring (a darker rim) or a blotch, in a brownish or grey tone. */
    private static void stains(float[][] rgb, int w, int h, double level, RandomGenerator rng) {
        int n = 1 + rng.nextInt(1 + (int) (2 * level));
        float[] colour = rng.nextDouble() < 0.7 ? new float[]{0.6f, 0.45f, 0.3f} : new float[]{0.5f, 0.5f, 0.5f};
        for (int k = 0; k < n; k++) {
            double cx = rng.nextDouble() * w;
            double cy = rng.nextDouble() * h;
            double r = Math.min(w, h) * (0.1 + 0.35 * rng.nextDouble());
            boolean ring = rng.nextDouble() < 0.55;
            float[] wobble = ScanDegradation.smoothNoise(w, h, r / 4, rng);
            float[] m = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double d = Math.hypot(x - cx, y - cy) / r + 0.08 * wobble[y * w + x];
                    double v = ring ? Math.exp(-Math.pow((d - 1) / 0.035, 2)) + 0.25 * (d < 1 ? 1 : 0)
                            : 1 / (1 + Math.exp((d - 1) / 0.08));
                    m[y * w + x] = (float) v;
                }
            }
            ScanDegradation.darkenWith(rgb, m, (float) (0.15 + 0.4 * level * rng.nextDouble()), colour);
        }
    }

    /** A fold: a straight line across the page, one side a little shaded, the fold itself a thin dark or light line. */
    private static void crease(float[][] rgb, int w, int h, double level, RandomGenerator rng) {
        double a = (rng.nextDouble() < 0.5 ? 0 : Math.PI / 2) + (rng.nextDouble() - 0.5) * 0.3;
        double px = rng.nextDouble() * w;
        double py = rng.nextDouble() * h;
        double shade = 0.03 + 0.08 * level;
        double line = (rng.nextDouble() < 0.75 ? 1 : -1) * (0.1 + 0.3 * level);
        float[] f = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = (x - px) * -Math.sin(a) + (y - py) * Math.cos(a);
                double v = 1 - shade * Math.exp(-Math.max(0, d) / 25) * (d > 0 ? 1 : 0) - line * Math.exp(-d * d / 0.8);
                f[y * w + x] = (float) v;
            }
        }
        ScanDegradation.multiply(rgb, f, 1f);
    }

    // ---- office photocopiers

    private void photocopy(float[][] rgb, int w, int h, double level, boolean forced, RandomGenerator rng) {
        if (on(Phenomenon.EXPOSURE) && (forced || rng.nextDouble() < 0.6)) {
            exposure(rgb, level, rng);
        }
        if (on(Phenomenon.TONER_BANDS) && (forced || rng.nextDouble() < 0.3 + 0.5 * level)) {
            tonerBands(rgb, w, h, level, rng);
        }
        if (on(Phenomenon.DRUM_STREAKS) && (forced || rng.nextDouble() < 0.3 + 0.5 * level)) {
            streaks(rgb, w, h, level, rng);
        }
        if (on(Phenomenon.TONER_VOIDS) && (forced || rng.nextDouble() < 0.15 + 0.35 * level)) {
            tonerVoids(rgb, w, h, level, rng);
        }
        if (on(Phenomenon.PLATEN_DUST) && (forced || rng.nextDouble() < 0.2 + 0.4 * level)) {
            platenDust(rgb, w, h, level, rng);
        }
    }

    /**
     * A copier short of toner or with a worn drum: blotches where what is dark prints pale or not at all (voids,
     * drop-outs), so strokes come out broken. The truth stays the pen's line: the copier, not the pen, left them out.
     */
    private static void tonerVoids(float[][] rgb, int w, int h, double level, RandomGenerator rng) {
        float[] n = ScanDegradation.smoothNoise(w, h, 1.5 + 3 * rng.nextDouble(), rng);
        double cut = 1.5 - 1.2 * level * (0.5 + 0.5 * rng.nextDouble()); // lower cut: more of the page voided
        double depth = 0.6 + 0.4 * rng.nextDouble();
        for (int i = 0; i < n.length; i++) {
            if (n[i] > cut) {
                float fade = (float) (depth * Math.min(1, 2.5 * (n[i] - cut)));
                for (float[] c : rgb) {
                    c[i] += (0.95f - c[i]) * Math.max(0, fade);
                }
            }
        }
    }

    /**
     * Dust, hairs' ends and loose toner on the platen glass, copied with the page: grains of one to four pixels
     * scattered over the whole sheet, near black (toner is the darkest thing a copier prints, darker than faint or
     * pale ink), from a few hundred on a clean glass to about 2 % of the sheet on a dirty one. Kept well below the seed's
     * pepper (5-50 % of the pixels, the pepper family): a model trained without that family must not see it here.
     */
    private static void platenDust(float[][] rgb, int w, int h, double level, RandomGenerator rng) {
        double density = 0.001 + 0.015 * level * rng.nextDouble();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (rng.nextDouble() >= density) {
                    continue;
                }
                float dark = (float) (0.02 + 0.2 * rng.nextDouble());
                // Most grains are one pixel; some two side by side (0.7-0.85) or one above the other (0.85-0.95);
                // a few a 2x2 clump.
                double grain = rng.nextDouble();
                boolean wide = grain >= 0.7 && grain < 0.85 || grain >= 0.95;
                boolean tall = grain >= 0.85;
                int gw = wide ? 2 : 1;
                int gh = tall ? 2 : 1;
                for (int dy = 0; dy < gh && y + dy < h; dy++) {
                    for (int dx = 0; dx < gw && x + dx < w; dx++) {
                        int i = (y + dy) * w + x + dx;
                        for (float[] c : rgb) {
                            c[i] = Math.min(c[i], dark);
                        }
                    }
                }
            }
        }
    }

    /** Over-exposure washes faint strokes out; under-exposure turns the paper grey and contrasty. */
    private static void exposure(float[][] rgb, double level, RandomGenerator rng) {
        boolean over = rng.nextBoolean();
        double gamma = over ? 1 - 0.55 * level * rng.nextDouble() : 1 + 1.2 * level * rng.nextDouble();
        double floor = over ? 0 : 0.25 * level * rng.nextDouble();
        for (float[] c : rgb) {
            for (int i = 0; i < c.length; i++) {
                double v = Math.pow(Math.max(0, Math.min(1, c[i])), gamma);
                c[i] = (float) (over ? Math.min(1, v * (1 + 0.15 * level)) : v * (1 - floor));
            }
        }
    }

    /** Bands across the page where loose toner lands as grey-to-black speckle. */
    private static void tonerBands(float[][] rgb, int w, int h, double level, RandomGenerator rng) {
        boolean across = rng.nextDouble() < 0.7; // bands run across the feed direction
        int bands = 1 + rng.nextInt(2 + (int) (2 * level));
        int extent = across ? h : w;
        for (int b = 0; b < bands; b++) {
            double centre = rng.nextDouble() * extent;
            double width = 8 + extent * (0.05 + 0.2 * rng.nextDouble());
            double density = 0.03 + 0.25 * level * rng.nextDouble();
            float haze = (float) (0.03 + 0.12 * level * rng.nextDouble());
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double d = Math.abs((across ? y : x) - centre) / (width / 2);
                    if (d > 1) {
                        continue;
                    }
                    double inBand = 1 - d * d;
                    int i = y * w + x;
                    float f = (float) (1 - haze * inBand);
                    if (rng.nextDouble() < density * inBand) {
                        f *= (float) (0.15 + 0.6 * rng.nextDouble());
                    }
                    for (float[] c : rgb) {
                        c[i] *= f;
                    }
                }
            }
        }
    }

    /** Dirty drum or roller: long straight lines the whole length of the page, dark (or light, lifting the toner). */
    private static void streaks(float[][] rgb, int w, int h, double level, RandomGenerator rng) {
        boolean vertical = rng.nextBoolean();
        int n = 1 + rng.nextInt(1 + (int) (4 * level));
        int extent = vertical ? w : h;
        for (int k = 0; k < n; k++) {
            double pos = rng.nextDouble() * extent;
            double width = 0.6 + 3 * rng.nextDouble() * (0.3 + level);
            boolean light = rng.nextDouble() < 0.2;
            float dark = (float) (0.25 + 0.6 * rng.nextDouble());
            double drift = (rng.nextDouble() - 0.5) * 0.01;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double along = vertical ? y : x;
                    double d = Math.abs((vertical ? x : y) - (pos + drift * along));
                    double cover = Math.max(0, Math.min(1, width / 2 + 0.5 - d));
                    if (cover > 0) {
                        int i = y * w + x;
                        for (float[] c : rgb) {
                            c[i] = light ? (float) (c[i] + (0.95 - c[i]) * cover * dark) : c[i] * (float) (1 - dark * cover);
                        }
                    }
                }
            }
        }
    }

    /** A copier's halftone: grey rendered as a clustered-dot screen, slightly blurred by the optics. */
    private static GrayImage halftone(GrayImage grey, double level, RandomGenerator rng) {
        int cell = 3 + rng.nextInt(2 + (int) (2 * level));
        int w = grey.width();
        int h = grey.height();
        float[] p = grey.pixels();
        float[] out = new float[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double cx = (x % cell) + 0.5 - cell / 2.0;
                double cy = (y % cell) + 0.5 - cell / 2.0;
                double t = Math.hypot(cx, cy) / (cell / Math.sqrt(2)); // 0 at the dot's centre, 1 at the corner
                out[y * w + x] = (1 - p[y * w + x]) > t ? 0f : 1f;
            }
        }
        return new GrayImage(w, h, Filters.gaussian(out, w, h, 0.5 + 0.3 * cell / 3.0));
    }

    /** Fax: 204x98 dpi, black and white, jagged: half the vertical resolution, thresholded, stretched back. */
    private static GrayImage fax(GrayImage grey, RandomGenerator rng) {
        int w = grey.width();
        int h = grey.height();
        float t = (float) (0.45 + 0.2 * rng.nextDouble());
        float[] p = grey.pixels();
        float[] out = new float[p.length];
        for (int y = 0; y < h; y++) {
            int row = Math.min(h - 1, (y / 2) * 2);
            for (int x = 0; x < w; x++) {
                float v = (p[row * w + x] + p[Math.min(h - 1, row + 1) * w + x]) / 2;
                out[y * w + x] = v < t ? 0f : 1f;
            }
        }
        return new GrayImage(w, h, out);
    }

    // ---- phone cameras

    private void photograph(float[][] rgb, int w, int h, double level, boolean forced, RandomGenerator rng) {
        if (on(Phenomenon.LIGHTING) && (forced || rng.nextDouble() < 0.8)) {
            lighting(rgb, w, h, level, rng);
        }
        if (on(Phenomenon.HAND_SHADOW) && (forced || rng.nextDouble() < 0.25 + 0.4 * level)) {
            handShadow(rgb, w, h, level, rng);
        }
        if (on(Phenomenon.COLOUR_CAST) && (forced || rng.nextDouble() < 0.6)) {
            float[] cast = rng.nextBoolean() ? new float[]{1.0f, 0.9f, 0.72f} : new float[]{0.85f, 0.93f, 1.0f};
            for (int ch = 0; ch < 3; ch++) {
                float k = (float) (1 - (1 - cast[ch]) * (0.3 + 0.7 * level));
                for (int i = 0; i < rgb[ch].length; i++) {
                    rgb[ch][i] *= k;
                }
            }
        }
        if (on(Phenomenon.MOIRE) && (forced || rng.nextDouble() < 0.1 + 0.2 * level)) {
            moire(rgb, w, h, level, rng);
        }
        if (on(Phenomenon.DEFOCUS) && (forced || rng.nextDouble() < 0.5)) {
            double sigma = 0.4 + 1.6 * level * rng.nextDouble();
            for (int ch = 0; ch < 3; ch++) {
                rgb[ch] = Filters.gaussian(rgb[ch], w, h, sigma);
            }
        }
        if (on(Phenomenon.MOTION_BLUR) && (forced || rng.nextDouble() < 0.2 + 0.3 * level)) {
            int len = 2 + (int) Math.round(6 * level * rng.nextDouble());
            double a = rng.nextDouble() * Math.PI;
            for (int ch = 0; ch < 3; ch++) {
                rgb[ch] = motion(rgb[ch], w, h, len, a);
            }
        }
        if (on(Phenomenon.LOW_LIGHT_NOISE) && (forced || rng.nextDouble() < 0.6)) {
            double sigma = 0.01 + 0.07 * level * rng.nextDouble();
            float gain = (float) (1 - 0.3 * level * rng.nextDouble()); // dim light, pushed exposure
            for (int i = 0; i < w * h; i++) {
                double luma = sigma * rng.nextGaussian();
                for (int ch = 0; ch < 3; ch++) {
                    rgb[ch][i] = rgb[ch][i] * gain + (float) (luma + 0.6 * sigma * rng.nextGaussian());
                }
            }
        }
    }

    /** A lamp or window: a strong gradient across the page, and vignetting from the phone's lens. */
    private static void lighting(float[][] rgb, int w, int h, double level, RandomGenerator rng) {
        double a = rng.nextDouble() * 2 * Math.PI;
        double drop = level * (0.2 + 0.45 * rng.nextDouble());
        double vignette = level * 0.35 * rng.nextDouble();
        double diag = Math.hypot(w, h);
        float[] f = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double along = ((x - w / 2.0) * Math.cos(a) + (y - h / 2.0) * Math.sin(a)) / diag + 0.5;
                double r2 = (Math.pow(x - w / 2.0, 2) + Math.pow(y - h / 2.0, 2)) / Math.pow(diag / 2, 2);
                f[y * w + x] = (float) ((1 - drop * along) * (1 - vignette * r2));
            }
        }
        ScanDegradation.multiply(rgb, f, 1f);
    }

    /** The phone's or the hand's shadow: a large soft-edged dark region entering from one side. */
    private static void handShadow(float[][] rgb, int w, int h, double level, RandomGenerator rng) {
        double cx = rng.nextBoolean() ? -0.2 * w : 1.2 * w;
        double cy = rng.nextDouble() * h;
        double rx = w * (0.4 + 0.5 * rng.nextDouble());
        double ry = h * (0.4 + 0.6 * rng.nextDouble());
        double soft = 0.1 + 0.3 * rng.nextDouble();
        double depth = 0.2 + 0.45 * level * rng.nextDouble();
        float[] f = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = Math.hypot((x - cx) / rx, (y - cy) / ry);
                f[y * w + x] = (float) (1 - depth / (1 + Math.exp((d - 1) / soft)));
            }
        }
        ScanDegradation.multiply(rgb, f, 1f);
    }

    /** Interference of the sensor grid with a fine pattern: faint beating stripes. */
    private static void moire(float[][] rgb, int w, int h, double level, RandomGenerator rng) {
        double f1 = 0.8 + 0.6 * rng.nextDouble();
        double f2 = f1 * (1.02 + 0.05 * rng.nextDouble());
        double a = rng.nextDouble() * Math.PI;
        double amp = 0.02 + 0.06 * level;
        float[] f = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = x * Math.cos(a) + y * Math.sin(a);
                f[y * w + x] = (float) (1 - amp * (0.5 + 0.5 * Math.sin(u * f1) * Math.sin(u * f2)));
            }
        }
        ScanDegradation.multiply(rgb, f, 1f);
    }

    private static float[] motion(float[] c, int w, int h, int len, double a) {
        float[] out = new float[c.length];
        double dx = Math.cos(a);
        double dy = Math.sin(a);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sum = 0;
                for (int k = 0; k < len; k++) {
                    int xx = (int) Math.round(x + (k - len / 2.0) * dx);
                    int yy = (int) Math.round(y + (k - len / 2.0) * dy);
                    xx = Math.max(0, Math.min(w - 1, xx));
                    yy = Math.max(0, Math.min(h - 1, yy));
                    sum += c[yy * w + xx];
                }
                out[y * w + x] = (float) (sum / len);
            }
        }
        return out;
    }

    // ---- the seed's pepper on a grey scan, and the file

    /** The seed's pepper (5-50 % of the pixels) on a grey scan: specks darker than the faint ink. */
    private static GrayImage darkPepper(GrayImage grey, double level, RandomGenerator rng) {
        double density = 0.05 + 0.45 * level * (0.5 + 0.5 * rng.nextDouble());
        float[] p = grey.pixels().clone();
        for (int i = 0; i < p.length; i++) {
            if (rng.nextDouble() < density) {
                p[i] = (float) (0.05 * rng.nextDouble());
            }
        }
        return new GrayImage(grey.width(), grey.height(), p);
    }

    /** Down to {@code scale} of the resolution and back up, bilinear both ways, as devices and mailers resize. */
    private static GrayImage resample(GrayImage grey, double scale) {
        int w = grey.width();
        int h = grey.height();
        int sw = Math.max(8, (int) Math.round(w * scale));
        int sh = Math.max(8, (int) Math.round(h * scale));
        return bilinear(bilinear(grey, sw, sh), w, h);
    }

    private static GrayImage bilinear(GrayImage g, int nw, int nh) {
        float[] out = new float[nw * nh];
        int w = g.width();
        int h = g.height();
        for (int y = 0; y < nh; y++) {
            double sy = Math.max(0, Math.min(h - 1.0, (y + 0.5) * h / nh - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(h - 1, y0 + 1);
            double fy = sy - y0;
            for (int x = 0; x < nw; x++) {
                double sx = Math.max(0, Math.min(w - 1.0, (x + 0.5) * w / nw - 0.5));
                int x0 = (int) sx;
                int x1 = Math.min(w - 1, x0 + 1);
                double fx = sx - x0;
                double v = (1 - fy) * ((1 - fx) * g.get(x0, y0) + fx * g.get(x1, y0)) + fy * ((1 - fx) * g.get(x0, y1) + fx * g.get(x1, y1));
                out[y * nw + x] = (float) v;
            }
        }
        return new GrayImage(nw, nh, out);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "device %.2f-%.2f %s", levelLo, levelHi, families);
    }
}
