package org.inkwell.data;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Impulse noise that corrupts a clean image. Density p means ceil(p * H * W) positions are drawn with
 * replacement (as the seed does), so slightly fewer than p of the pixels change.
 */
public interface NoiseModel {
    GrayImage apply(GrayImage clean, RandomGenerator rng);

    /** The model's input and its truth; a degradation that changes the ink itself (stroke width) changes both. */
    default TrainingPair applyPair(GrayImage clean, RandomGenerator rng) {
        return new TrainingPair(apply(clean, rng), clean);
    }

    double density();

    /** Short name used by the CLI and model metadata, e.g. {@code pepper:0.2}. */
    String spec();

    NoiseModel withDensity(double density);

    static NoiseModel pepper(double density) {
        return new Impulse("pepper", density, density, 0.0);
    }

    static NoiseModel salt(double density) {
        return new Impulse("salt", density, density, 1.0);
    }

    /** Salt-and-pepper: each drawn position becomes paper with probability {@code saltRatio}, else ink. */
    static NoiseModel saltAndPepper(double density, double saltRatio) {
        return new Impulse("saltpepper", density, density, saltRatio);
    }

    /**
     * Parses {@code pepper:0.2}, {@code salt:0.1}, {@code saltpepper:0.2:0.5} or a bare density (pepper). A range
     * such as {@code pepper:0.05-0.4} draws each image's density uniformly from it (training on many levels).
     */
    static NoiseModel parse(String spec) {
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":");
        try {
            if (parts.length == 1) {
                return pepper(Double.parseDouble(parts[0]));
            }
            String[] range = parts[1].split("-");
            double lo = Double.parseDouble(range[0]);
            double hi = range.length > 1 ? Double.parseDouble(range[1]) : lo;
            return switch (parts[0]) {
                case "scan" -> ScanDegradation.all(lo, hi);
                // Pens, paper, photocopiers, cameras and the seed's pepper on grey scans; a family may be held out.
                case "device" -> DeviceDegradation.parse(parts[1], parts.length > 2 ? parts[2] : null);
                // The bundled scan model's mix: devices, the earlier scan renderer, and the seed's impulse noise.
                // scans=S sets the earlier renderer's share (default 0.3), pepper=P a share of the seed's pepper on
                // grey scans alone (default 0); the seed's impulse noise keeps its fifth.
                case "devicemix" -> DeviceMix.parse(lo, hi, java.util.Arrays.copyOfRange(parts, 2, parts.length));
                // The pepper specialist's mix: half the seed's pepper on a grey scan alone, half on top of every family.
                case "peppermix" -> new PepperMix(DeviceDegradation.focused(lo, hi, java.util.EnumSet.of(DeviceDegradation.Family.PEPPER)),
                        DeviceDegradation.withPepper(lo, hi), parts.length == 2 ? 0.5 : PepperMix.aloneShare(parts, spec));
                // Scans, and the seed's impulse noise so binary inputs stay well served: three in five are scans.
                case "scanmix" -> new ScanMix(ScanDegradation.all(lo, hi),
                        new Mixed(new Impulse("pepper", 0.05, 0.45, 0.0), new Impulse("saltpepper", 0.05, 0.45, 0.5)));
                case "mixed" -> new Mixed(new Impulse("pepper", lo, hi, 0.0), new Impulse("saltpepper", lo, hi, 0.5));
                case "pepper" -> new Impulse("pepper", lo, hi, 0.0);
                case "salt" -> new Impulse("salt", lo, hi, 1.0);
                case "saltpepper", "salt-and-pepper", "sp" ->
                        new Impulse("saltpepper", lo, hi, parts.length > 2 ? Double.parseDouble(parts[2]) : 0.5);
                default -> throw new IllegalArgumentException("unknown noise type '" + parts[0]
                        + "' (use pepper, salt, saltpepper, mixed, scan, scanmix, device, devicemix or peppermix)");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad noise spec '" + spec + "': expected e.g. pepper:0.2", e);
        }
    }

    /** Number of positions drawn for an image of {@code pixels} pixels: ceil(p * pixels). */
    static long draws(double density, long pixels) {
        return (long) Math.ceil(density * pixels);
    }

    /** Impulse noise with a density drawn uniformly from [density, maxDensity] per image (equal for a fixed level). */
    record Impulse(String kind, double density, double maxDensity, double saltRatio) implements NoiseModel {
        public Impulse {
            if (!(density >= 0 && density <= 1) || !(maxDensity >= density && maxDensity <= 1)) {
                throw new IllegalArgumentException("noise density must be in [0, 1], got " + density
                        + (maxDensity != density ? "-" + maxDensity : ""));
            }
            if (!(saltRatio >= 0 && saltRatio <= 1)) {
                throw new IllegalArgumentException("salt ratio must be in [0, 1], got " + saltRatio);
            }
        }

        @Override
        public GrayImage apply(GrayImage clean, RandomGenerator rng) {
            GrayImage out = clean.copy();
            float[] px = out.pixels();
            int w = clean.width();
            int h = clean.height();
            double p = maxDensity > density ? density + (maxDensity - density) * rng.nextDouble() : density;
            long n = draws(p, (long) w * h);
            boolean pure = saltRatio == 0.0 || saltRatio == 1.0;
            float pureValue = saltRatio == 1.0 ? GrayImage.PAPER : GrayImage.INK;
            for (long i = 0; i < n; i++) {
                int y = rng.nextInt(h);
                int x = rng.nextInt(w);
                float v = pure ? pureValue : (rng.nextDouble() < saltRatio ? GrayImage.PAPER : GrayImage.INK);
                px[y * w + x] = v;
            }
            return out;
        }

        @Override
        public String spec() {
            String d = maxDensity > density ? density + "-" + maxDensity : String.valueOf(density);
            return kind.equals("saltpepper") ? kind + ":" + d + ":" + saltRatio : kind + ":" + d;
        }

        @Override
        public NoiseModel withDensity(double newDensity) {
            return new Impulse(kind, newDensity, newDensity, saltRatio);
        }
    }

    /** Each image gets pepper or salt-and-pepper (half salt) with equal probability: for training robust models. */
    record Mixed(Impulse pepper, Impulse saltAndPepper) implements NoiseModel {
        @Override
        public GrayImage apply(GrayImage clean, RandomGenerator rng) {
            return rng.nextBoolean() ? pepper.apply(clean, rng) : saltAndPepper.apply(clean, rng);
        }

        @Override
        public double density() {
            return pepper.density();
        }

        @Override
        public String spec() {
            return "mixed:" + pepper.spec().substring("pepper:".length());
        }

        @Override
        public NoiseModel withDensity(double d) {
            return new Mixed((Impulse) pepper.withDensity(d), (Impulse) saltAndPepper.withDensity(d));
        }
    }

    /**
     * What the pepper specialist trains on: {@code aloneShare} of the images (half by default) the seed's pepper on a
     * grey scan alone (the per-family evaluation's renderer), the rest that pepper on top of every other family as
     * {@code device:LO-HI:with=pepper} draws them (a pepper scan may also be a photocopy or a photo).
     */
    record PepperMix(DeviceDegradation alone, DeviceDegradation withFamilies, double aloneShare) implements NoiseModel {
        public PepperMix {
            if (!(aloneShare >= 0 && aloneShare <= 1)) {
                throw new IllegalArgumentException("peppermix alone share must lie in 0-1, not " + aloneShare);
            }
        }

        /** Parses the one option {@code alone=SHARE}. */
        static double aloneShare(String[] parts, String spec) {
            if (parts.length != 3 || !parts[2].startsWith("alone=")) {
                throw new IllegalArgumentException("peppermix takes alone=SHARE (e.g. peppermix:0-1:alone=0.7), not '" + spec + "'");
            }
            return Double.parseDouble(parts[2].substring("alone=".length()));
        }

        @Override
        public GrayImage apply(GrayImage clean, RandomGenerator rng) {
            return applyPair(clean, rng).noisy();
        }

        @Override
        public TrainingPair applyPair(GrayImage clean, RandomGenerator rng) {
            return drawsAlone(rng) ? alone.applyPair(clean, rng) : withFamilies.applyPair(clean, rng);
        }

        /** One coin for the default half (as the shipped specialist was trained: its runs replay), else one number. */
        boolean drawsAlone(RandomGenerator rng) {
            return aloneShare == 0.5 ? rng.nextBoolean() : rng.nextDouble() < aloneShare;
        }

        @Override
        public double density() {
            return alone.density();
        }

        @Override
        public String spec() {
            String range = withFamilies.spec().substring("device:".length(), withFamilies.spec().indexOf(":with="));
            return "peppermix:" + range + (aloneShare == 0.5 ? "" : ":alone=" + aloneShare);
        }

        @Override
        public NoiseModel withDensity(double d) {
            return new PepperMix((DeviceDegradation) alone.withDensity(d), (DeviceDegradation) withFamilies.withDensity(d), aloneShare);
        }
    }

    /**
     * A fifth of the images get the seed's pepper or salt-and-pepper on black and white, {@code scans} of them (three
     * in ten by default) come from {@link ScanDegradation}, {@code pepper} of them (none by default) are the seed's
     * pepper on a grey scan alone ({@link DeviceDegradation} focused on that family, the per-family evaluation's
     * renderer at every level), the rest (half by default) from {@link DeviceDegradation} (every family): one model
     * for what users bring.
     */
    record DeviceMix(DeviceDegradation device, ScanDegradation scan, Mixed impulse, double scans,
                     DeviceDegradation greyPepper, double pepper) implements NoiseModel {
        /** The earlier scan renderer's default share. */
        static final double SCANS = 0.3;
        /** The seed's impulse noise's share, whatever the other shares. */
        static final double IMPULSE = 0.2;

        public DeviceMix {
            if (!(scans >= 0 && pepper >= 0 && scans + pepper <= 1 - IMPULSE + 1e-12)) {
                throw new IllegalArgumentException("devicemix shares must be at least 0 and scans + pepper at most "
                        + (1 - IMPULSE) + ", not scans=" + scans + " pepper=" + pepper);
            }
        }

        /** {@code devicemix:LO-HI[:scans=S][:pepper=P]}, {@code options} being the parts after the range. */
        static DeviceMix parse(double lo, double hi, String[] options) {
            double scans = SCANS;
            double pepper = 0;
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String option : options) {
                String[] kv = option.split("=", 2);
                if (kv.length != 2 || !(kv[0].equals("scans") || kv[0].equals("pepper")) || !seen.add(kv[0])) {
                    throw new IllegalArgumentException("devicemix takes scans=SHARE and pepper=SHARE once each "
                            + "(e.g. devicemix:0-1:scans=0.5:pepper=0.1), not '" + option + "'");
                }
                double v = Double.parseDouble(kv[1]);
                if (kv[0].equals("scans")) {
                    scans = v;
                } else {
                    pepper = v;
                }
            }
            return new DeviceMix(DeviceDegradation.all(lo, hi), ScanDegradation.all(lo, hi),
                    new Mixed(new Impulse("pepper", 0.05, 0.45, 0.0), new Impulse("saltpepper", 0.05, 0.45, 0.5)), scans,
                    DeviceDegradation.focused(lo, hi, java.util.EnumSet.of(DeviceDegradation.Family.PEPPER)), pepper);
        }

        @Override
        public GrayImage apply(GrayImage clean, RandomGenerator rng) {
            return applyPair(clean, rng).noisy();
        }

        @Override
        public TrainingPair applyPair(GrayImage clean, RandomGenerator rng) {
            double u = rng.nextDouble();
            double devices = 1 - IMPULSE - scans - pepper;
            return u < devices ? device.applyPair(clean, rng) : u < devices + scans ? scan.applyPair(clean, rng)
                    : u < devices + scans + pepper ? greyPepper.applyPair(clean, rng) : impulse.applyPair(clean, rng);
        }

        @Override
        public double density() {
            return device.density();
        }

        @Override
        public String spec() {
            return "devicemix:" + device.spec().substring("device:".length()) + (scans == SCANS ? "" : ":scans=" + scans)
                    + (pepper == 0 ? "" : ":pepper=" + pepper);
        }

        @Override
        public NoiseModel withDensity(double d) {
            return new DeviceMix((DeviceDegradation) device.withDensity(d), (ScanDegradation) scan.withDensity(d), impulse,
                    scans, (DeviceDegradation) greyPepper.withDensity(d), pepper);
        }
    }

    /** Three in five images are scans at the given levels, the rest the seed's pepper or salt-and-pepper. */
    record ScanMix(ScanDegradation scan, Mixed impulse) implements NoiseModel {
        @Override
        public GrayImage apply(GrayImage clean, RandomGenerator rng) {
            return applyPair(clean, rng).noisy();
        }

        @Override
        public TrainingPair applyPair(GrayImage clean, RandomGenerator rng) {
            return rng.nextDouble() < 0.6 ? scan.applyPair(clean, rng) : impulse.applyPair(clean, rng);
        }

        @Override
        public double density() {
            return scan.density();
        }

        @Override
        public String spec() {
            return "scanmix:" + scan.spec().substring("scan:".length());
        }

        @Override
        public NoiseModel withDensity(double d) {
            return new ScanMix((ScanDegradation) scan.withDensity(d), impulse);
        }
    }
}
