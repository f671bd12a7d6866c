package org.inkwell.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Procedural handwritten signatures from the kinematic theory of rapid movements: a writer plans a sequence of
 * virtual target points (letter-like nodes with slant, size, baseline drift and pen-ups); each pair of targets
 * is joined by a sigma-lognormal stroke, and overlapping strokes are summed into a smooth pen velocity
 * (Plamondon's model; Ferrer et al., "Static Signature Synthesis", TPAMI 2015). The trajectory is drawn
 * anti-aliased with a width that shrinks as the pen speeds up, then binarized.
 *
 * <p>Image {@code i} is a pure function of (seed, i). Consecutive groups of {@link #samplesPerWriter} images share
 * one writer (name, letter shapes, style) and differ like repeated signatures of one person.
 */
public final class SignatureGenerator {
    public static final int DEFAULT_SAMPLES_PER_WRITER = 4;
    private static final double DT = 0.0025;

    private final long seed;
    private final int samplesPerWriter;
    private final boolean thin;

    public SignatureGenerator(long seed) {
        this(seed, DEFAULT_SAMPLES_PER_WRITER);
    }

    public SignatureGenerator(long seed, int samplesPerWriter) {
        this(seed, samplesPerWriter, false);
    }

    private SignatureGenerator(long seed, int samplesPerWriter, boolean thin) {
        if (samplesPerWriter < 1) {
            throw new IllegalArgumentException("samplesPerWriter must be >= 1");
        }
        this.seed = seed;
        this.samplesPerWriter = samplesPerWriter;
        this.thin = thin;
    }

    /**
     * A harder family for evaluation: a fine pen (1 to 1.6 px) at large size, every i-dot, t-bar and full stop
     * drawn. These are the details a blurring network or a median filter erases first.
     */
    public static SignatureGenerator thinStrokesAndDots(long seed) {
        return new SignatureGenerator(seed, 1, true);
    }

    public boolean thin() {
        return thin;
    }

    public long seed() {
        return seed;
    }

    public int samplesPerWriter() {
        return samplesPerWriter;
    }

    public long writerOf(long index) {
        return Math.floorDiv(index, samplesPerWriter);
    }

    /** The binarized signature number {@code index}: ink 0, paper 1, size depends on the signature. */
    public GrayImage generate(long index) {
        Writer writer = Writer.create(new SplittableRandom(Seeds.mix(seed, writerOf(index), 0x5157L)), thin);
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, index, 0xA11CEL));
        List<Trajectory> strokes = writer.write(rng);
        return render(strokes, writer, rng);
    }

    // ---------------------------------------------------------------- planning

    /** A virtual target the pen aims at, with the turning angle (radians, + = counter-clockwise) of the arc. */
    record Target(double x, double y, double curvature) {
    }

    /** One pen-down component: sampled positions (x-height units, y up) and speeds. */
    record Trajectory(double[] xs, double[] ys, double[] speeds) {
        int size() {
            return xs.length;
        }
    }

    /** Letter shapes as targets relative to the letter's entry point; y in x-heights, x in letter widths. */
    enum Letter {
        N(1.0, new double[][]{{0.12, 1.0, 0.4}, {0.18, 0.0, 0.1}, {0.55, 1.0, -1.6}, {0.78, 0.0, -0.5}, {1.0, 0.35, 0.8}}),
        M(1.45, new double[][]{{0.1, 1.0, 0.4}, {0.14, 0.0, 0.1}, {0.42, 1.0, -1.6}, {0.55, 0.0, -0.4}, {0.85, 1.0, -1.6},
                {1.05, 0.0, -0.5}, {1.45, 0.4, 0.8}}),
        U(1.0, new double[][]{{0.15, 1.0, -0.3}, {0.35, 0.05, 1.5}, {0.72, 1.0, 0.9}, {0.78, 0.0, 0.1}, {1.0, 0.35, 0.8}}),
        E(0.8, new double[][]{{0.55, 0.75, 0.5}, {0.25, 0.7, 2.2}, {0.35, 0.02, 1.3}, {0.8, 0.35, 0.6}}),
        O(0.95, new double[][]{{0.65, 0.95, 0.4}, {0.15, 0.75, 1.7}, {0.35, 0.0, 1.5}, {0.7, 0.75, 1.4}, {0.55, 0.95, 1.2},
                {0.95, 0.75, -0.8}}),
        A(1.05, new double[][]{{0.65, 0.9, 0.4}, {0.15, 0.7, 1.8}, {0.35, 0.0, 1.6}, {0.68, 0.8, 1.0}, {0.74, 0.0, 0.0},
                {1.05, 0.35, 0.8}}),
        L(0.75, new double[][]{{0.55, 2.2, 0.6}, {0.2, 2.0, 2.4}, {0.3, 0.0, 0.4}, {0.75, 0.35, 0.9}}),
        H(1.15, new double[][]{{0.5, 2.2, 0.6}, {0.15, 2.0, 2.4}, {0.2, 0.0, 0.2}, {0.55, 1.0, -1.6}, {0.8, 0.0, -0.4},
                {1.15, 0.35, 0.8}}),
        I(0.55, new double[][]{{0.25, 1.0, 0.3}, {0.32, 0.0, 0.1}, {0.55, 0.35, 0.9}}),
        T(0.7, new double[][]{{0.35, 1.9, 0.2}, {0.38, 0.0, 0.1}, {0.7, 0.35, 0.9}}),
        R(0.85, new double[][]{{0.2, 1.0, 0.3}, {0.22, 0.0, 0.0}, {0.45, 0.85, -1.2}, {0.85, 0.8, 0.3}}),
        S(0.8, new double[][]{{0.45, 1.05, 0.4}, {0.25, 0.65, 1.3}, {0.65, 0.3, -1.6}, {0.2, 0.02, -1.2}, {0.8, 0.35, 0.8}}),
        G(1.0, new double[][]{{0.65, 0.9, 0.4}, {0.15, 0.7, 1.8}, {0.35, 0.0, 1.6}, {0.68, 0.85, 1.0}, {0.6, -1.5, 0.0},
                {0.15, -1.2, -2.2}, {1.0, 0.35, -0.6}}),
        Y(1.0, new double[][]{{0.15, 1.0, -0.3}, {0.35, 0.05, 1.5}, {0.72, 1.0, 0.9}, {0.62, -1.5, 0.0},
                {0.15, -1.2, -2.2}, {1.0, 0.35, -0.6}}),
        D(1.05, new double[][]{{0.65, 0.9, 0.4}, {0.15, 0.7, 1.8}, {0.35, 0.0, 1.6}, {0.7, 0.8, 1.0}, {0.8, 2.1, 0.2},
                {0.72, 0.0, 0.1}, {1.05, 0.35, 0.8}}),
        K(1.0, new double[][]{{0.5, 2.2, 0.6}, {0.15, 2.0, 2.4}, {0.2, 0.0, 0.2}, {0.45, 0.9, -1.8}, {0.55, 0.5, -1.5},
                {0.95, 0.0, 0.4}, {1.0, 0.3, 0.8}});

        final double advance;
        final double[][] nodes;

        Letter(double advance, double[][] nodes) {
            this.advance = advance;
            this.nodes = nodes;
        }
    }

    /** Capitals: larger, often starting with a pen movement from above. Heights in x-heights. */
    enum Capital {
        LOOP_O(1.6, new double[][]{{0.9, 2.6, 0.6}, {0.1, 2.0, 1.6}, {0.3, 0.1, 1.6}, {1.2, 0.7, 1.4}, {1.3, 2.3, 1.2},
                {0.7, 2.5, 1.0}, {1.6, 0.4, -0.6}}),
        PEAKS_M(2.0, new double[][]{{0.1, 0.0, 0.0}, {0.35, 2.7, -0.4}, {0.8, 0.2, -0.2}, {1.15, 2.5, -0.4}, {1.5, 0.0, -0.2},
                {2.0, 0.4, 0.8}}),
        STEM_B(1.5, new double[][]{{0.4, 2.7, 0.3}, {0.35, 0.0, 0.0}, {0.3, 2.5, 0.2}, {1.3, 2.0, -2.4}, {0.5, 1.4, -1.2},
                {1.3, 0.6, -2.2}, {0.3, 0.1, -1.5}, {1.5, 0.4, 0.6}}),
        SWAN_S(1.4, new double[][]{{1.2, 2.6, 0.5}, {0.5, 2.2, 1.6}, {0.9, 1.1, -1.4}, {1.1, 0.3, -1.6}, {0.1, 0.1, -1.2},
                {0.4, 0.6, -1.8}, {1.4, 0.4, 0.4}}),
        HOOK_J(1.3, new double[][]{{0.3, 2.4, 0.8}, {1.4, 2.7, -0.6}, {0.9, 0.0, -0.3}, {0.2, -0.8, -1.6}, {0.3, 0.3, -1.4},
                {1.3, 0.4, 0.5}}),
        ARCH_N(1.7, new double[][]{{0.2, 2.5, 0.6}, {0.25, 0.0, 0.0}, {0.9, 2.4, -1.4}, {1.2, 0.0, -0.2}, {1.7, 2.2, 0.8},
                {1.7, 0.4, 0.5}}),
        CROSS_T(1.5, new double[][]{{0.0, 2.4, 0.3}, {1.6, 2.6, -0.3}, {0.8, 2.5, 0.0}, {0.7, 0.0, -0.2}, {0.2, 0.3, -1.6},
                {1.5, 0.4, 0.6}});

        final double advance;
        final double[][] nodes;

        Capital(double advance, double[][] nodes) {
            this.advance = advance;
            this.nodes = nodes;
        }
    }

    /** A writer's fixed style and name; {@link #write} makes one specimen with that writer's natural variation. */
    static final class Writer {
        final double slant;
        final double drift;
        final double xHeightPx;
        final double widthFactor;
        final double penWidthPx;
        final double speedThinning;
        final double sigma;
        final double strokeTime;
        final double overlap;
        final double jitter;
        final int flourish;
        final boolean dots;
        final List<Object[]> words = new ArrayList<>(); // each: {Capital, Letter[] lower, Boolean initialOnly}

        private Writer(SplittableRandom r, boolean thin) {
            slant = 0.05 + 0.45 * r.nextDouble() - (r.nextDouble() < 0.15 ? 0.35 : 0);
            drift = -0.12 + 0.16 * r.nextDouble();
            xHeightPx = thin ? 12 + 6 * r.nextDouble() : 18 + 16 * r.nextDouble();
            widthFactor = 0.7 + 0.45 * r.nextDouble();
            penWidthPx = thin ? 1.0 + 0.6 * r.nextDouble() : 1.8 + 2.4 * r.nextDouble();
            speedThinning = 0.2 + 0.5 * r.nextDouble();
            sigma = 0.2 + 0.12 * r.nextDouble();
            strokeTime = 0.22 + 0.08 * r.nextDouble();
            overlap = 0.42 + 0.2 * r.nextDouble();
            jitter = 0.05 + 0.06 * r.nextDouble();
            flourish = r.nextInt(4); // 0 none, 1 underline, 2 sweep back, 3 end tail
            dots = thin || r.nextDouble() < 0.8;
            int wordCount = 1 + (r.nextDouble() < 0.75 ? 1 : 0) + (r.nextDouble() < 0.15 ? 1 : 0);
            Letter[] common = {Letter.N, Letter.E, Letter.A, Letter.O, Letter.I, Letter.R, Letter.S, Letter.U, Letter.L,
                    Letter.T, Letter.M, Letter.H, Letter.E, Letter.N, Letter.A, Letter.I, Letter.G, Letter.Y, Letter.D, Letter.K};
            for (int w = 0; w < wordCount; w++) {
                Capital cap = Capital.values()[r.nextInt(Capital.values().length)];
                boolean initialOnly = w < wordCount - 1 && r.nextDouble() < 0.45;
                int len = initialOnly ? 0 : 2 + r.nextInt(w == wordCount - 1 ? 7 : 5);
                Letter[] lower = new Letter[len];
                for (int i = 0; i < len; i++) {
                    lower[i] = common[r.nextInt(common.length)];
                }
                words.add(new Object[]{cap, lower, initialOnly});
            }
        }

        static Writer create(SplittableRandom r, boolean thin) {
            return new Writer(r, thin);
        }

        List<Trajectory> write(SplittableRandom r) {
            List<Trajectory> out = new ArrayList<>();
            List<double[]> extras = new ArrayList<>(); // i-dots and t-bars: {x0, y0, x1, y1}
            double scale = 1 + 0.08 * r.nextGaussian();
            double wf = widthFactor * (1 + 0.05 * r.nextGaussian());
            double penX = 0;
            double minX = 0;
            double maxX = 0;
            for (Object[] word : words) {
                Capital cap = (Capital) word[0];
                Letter[] lower = (Letter[]) word[1];
                boolean initialOnly = (Boolean) word[2];
                List<Target> targets = new ArrayList<>();
                double capScale = 0.9 + 0.15 * r.nextGaussian();
                targets.add(new Target(penX + 0.2, 0.6 + 0.3 * r.nextDouble(), 0));
                for (double[] n : cap.nodes) {
                    targets.add(jittered(penX + n[0] * wf * capScale, n[1] * capScale, n[2], r));
                }
                penX += cap.advance * wf * capScale;
                for (Letter letter : lower) {
                    for (double[] n : letter.nodes) {
                        targets.add(jittered(penX + n[0] * wf, n[1], n[2], r));
                    }
                    if (dots && letter == Letter.I) {
                        double dx = penX + 0.3 * wf + 0.15;
                        extras.add(new double[]{dx, 1.65, dx + 0.08, 1.72});
                    }
                    if (dots && letter == Letter.T) {
                        extras.add(new double[]{penX + 0.0, 1.25, penX + 0.8 * wf, 1.35 + 0.1 * r.nextGaussian()});
                    }
                    penX += letter.advance * wf;
                }
                Trajectory t;
                boolean last = word == words.get(words.size() - 1);
                if (last && flourish == 3) {
                    targets.add(new Target(penX + 0.8, -0.4, -0.6));
                    targets.add(new Target(penX + 2.2 + 0.3 * r.nextGaussian(), 0.6 + 0.2 * r.nextGaussian(), -0.5));
                } else if (last && flourish == 2) {
                    targets.add(new Target(penX + 0.6, -0.5, -1.0));
                    targets.add(new Target(minX + 0.5 * r.nextDouble(), -0.9 + 0.15 * r.nextGaussian(), -0.5));
                    targets.add(new Target(minX + 1.2, -0.6, -1.9));
                }
                t = integrate(targets, r);
                out.add(t);
                maxX = Math.max(maxX, penX);
                if (initialOnly) {
                    extras.add(new double[]{penX + 0.15, 0.05, penX + 0.22, 0.1}); // full stop after an initial
                    penX += 0.6;
                } else {
                    penX += 0.9 + 0.5 * r.nextDouble();
                }
            }
            if (flourish == 1) {
                double y = -0.55 - 0.25 * r.nextDouble();
                List<Target> line = List.of(new Target(minX + 0.3 * r.nextDouble(), y, 0),
                        new Target(maxX * (0.55 + 0.4 * r.nextDouble()), y + 0.1 * r.nextGaussian(), 0.25 * r.nextGaussian()),
                        new Target(maxX + 0.5, y + 0.3, 0.3));
                out.add(integrate(line, r));
            }
            for (double[] e : extras) {
                out.add(integrate(List.of(new Target(e[0], e[1], 0), new Target(e[2], e[3], 0.2)), r));
            }
            // Per-specimen scale, then writer's slant and baseline drift (in that order, as a person would tilt the page).
            double angle = drift + 0.03 * r.nextGaussian();
            double shear = Math.tan(slant + 0.04 * r.nextGaussian());
            double[] m = placement(scale, shear, angle);
            List<Trajectory> placed = new ArrayList<>(out.size());
            for (Trajectory t : out) {
                double[] xs = new double[t.size()];
                double[] ys = new double[t.size()];
                for (int i = 0; i < t.size(); i++) {
                    xs[i] = m[0] * t.xs()[i] + m[1] * t.ys()[i];
                    ys[i] = m[2] * t.xs()[i] + m[3] * t.ys()[i];
                }
                placed.add(new Trajectory(xs, ys, t.speeds()));
            }
            return placed;
        }

        /**
         * Scale, then slant (a shear), then a rotation by {@code angle}, as one matrix {a, b, c, d}: x' = a x + b y,
         * y' = c x + d y. The rotation's cosine and sine come from the same angle (they once did not, which scaled
         * and sheared specimens by accident).
         */
        static double[] placement(double scale, double shear, double angle) {
            double cos = Math.cos(angle);
            double sin = Math.sin(angle);
            return new double[]{cos * scale, (cos * shear - sin) * scale, sin * scale, (sin * shear + cos) * scale};
        }

        private Target jittered(double x, double y, double c, SplittableRandom r) {
            return new Target(x + jitter * r.nextGaussian(), y + jitter * r.nextGaussian(), c * (1 + 0.15 * r.nextGaussian()));
        }

        /** Sums one sigma-lognormal stroke per pair of consecutive targets into a pen trajectory. */
        Trajectory integrate(List<Target> targets, SplittableRandom r) {
            int strokes = targets.size() - 1;
            double[] t0 = new double[strokes];
            double[] mu = new double[strokes];
            double[] sg = new double[strokes];
            double[] dist = new double[strokes];
            double[] thS = new double[strokes];
            double[] thE = new double[strokes];
            double t = 0;
            double end = 0;
            for (int i = 0; i < strokes; i++) {
                Target a = targets.get(i);
                Target b = targets.get(i + 1);
                double dx = b.x() - a.x();
                double dy = b.y() - a.y();
                double chord = Math.hypot(dx, dy);
                double c = b.curvature();
                double ang = Math.atan2(dy, dx);
                thS[i] = ang - c / 2;
                thE[i] = ang + c / 2;
                dist[i] = Math.abs(c) < 1e-6 ? chord : chord * (c / 2) / Math.sin(c / 2);
                sg[i] = sigma * (1 + 0.1 * r.nextGaussian());
                double duration = strokeTime * (0.75 + 0.35 * Math.sqrt(Math.max(chord, 0.05)));
                mu[i] = Math.log(duration) - 0.5;
                t0[i] = t;
                t += duration * (1 - overlap) * (0.9 + 0.2 * r.nextDouble());
                end = Math.max(end, t0[i] + Math.exp(mu[i] + 3.5 * sg[i]));
            }
            int steps = Math.max(2, (int) Math.ceil(end / DT));
            double[] xs = new double[steps];
            double[] ys = new double[steps];
            double[] speeds = new double[steps];
            double x = targets.get(0).x();
            double y = targets.get(0).y();
            for (int k = 0; k < steps; k++) {
                double time = k * DT;
                double vx = 0;
                double vy = 0;
                for (int i = 0; i < strokes; i++) {
                    double tau = time - t0[i];
                    if (tau <= 0) {
                        continue;
                    }
                    double z = (Math.log(tau) - mu[i]) / sg[i];
                    double speed = dist[i] / (sg[i] * Math.sqrt(2 * Math.PI) * tau) * Math.exp(-0.5 * z * z);
                    double phi = thS[i] + (thE[i] - thS[i]) * 0.5 * (1 + erf(z / Math.sqrt(2)));
                    vx += speed * Math.cos(phi);
                    vy += speed * Math.sin(phi);
                }
                x += vx * DT;
                y += vy * DT;
                xs[k] = x;
                ys[k] = y;
                speeds[k] = Math.hypot(vx, vy);
            }
            return new Trajectory(xs, ys, speeds);
        }
    }

    /** Abramowitz-Stegun 7.1.26, accurate to 1.5e-7: plenty for a pen angle. */
    static double erf(double x) {
        double sign = Math.signum(x);
        double a = Math.abs(x);
        double t = 1 / (1 + 0.3275911 * a);
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
                * Math.exp(-a * a);
        return sign * y;
    }

    // ---------------------------------------------------------------- rendering

    private GrayImage render(List<Trajectory> strokes, Writer w, SplittableRandom r) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        double maxSpeed = 1e-9;
        for (Trajectory t : strokes) {
            for (int i = 0; i < t.size(); i++) {
                minX = Math.min(minX, t.xs()[i]);
                maxX = Math.max(maxX, t.xs()[i]);
                minY = Math.min(minY, t.ys()[i]);
                maxY = Math.max(maxY, t.ys()[i]);
                maxSpeed = Math.max(maxSpeed, t.speeds()[i]);
            }
        }
        double px = w.xHeightPx * (1 + 0.05 * r.nextGaussian());
        double pen = w.penWidthPx * (1 + 0.08 * r.nextGaussian());
        int margin = 10 + r.nextInt(25);
        int width = (int) Math.ceil((maxX - minX) * px) + 2 * margin;
        int height = (int) Math.ceil((maxY - minY) * px) + 2 * margin;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            for (Trajectory t : strokes) {
                double lastX = margin + (t.xs()[0] - minX) * px;
                double lastY = margin + (maxY - t.ys()[0]) * px;
                if (t.size() < 3 || pathLength(t) * px < pen) {
                    g.fill(new Ellipse2D.Double(lastX - pen * 0.7, lastY - pen * 0.7, pen * 1.4, pen * 1.4));
                    continue;
                }
                for (int i = 1; i < t.size(); i++) {
                    double x = margin + (t.xs()[i] - minX) * px;
                    double y = margin + (maxY - t.ys()[i]) * px;
                    if (Math.hypot(x - lastX, y - lastY) < 0.6 && i < t.size() - 1) {
                        continue;
                    }
                    double relSpeed = Math.min(1, t.speeds()[i] / maxSpeed);
                    float width2 = (float) Math.max(0.9, pen * (1 + 0.3 * w.speedThinning - w.speedThinning * relSpeed));
                    g.setStroke(new BasicStroke(width2, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                    g.draw(new Line2D.Double(lastX, lastY, x, y));
                    lastX = x;
                    lastY = y;
                }
            }
        } finally {
            g.dispose();
        }
        return ImageFiles.toGray(img).threshold(0.5);
    }

    private static double pathLength(Trajectory t) {
        double len = 0;
        for (int i = 1; i < t.size(); i++) {
            len += Math.hypot(t.xs()[i] - t.xs()[i - 1], t.ys()[i] - t.ys()[i - 1]);
        }
        return len;
    }
}
