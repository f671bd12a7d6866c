package org.inkwell.data;

import org.inkwell.data.SigmaLognormal.Target;
import org.inkwell.data.SigmaLognormal.Trajectory;
import org.inkwell.data.SignatureGlyphs.Capital;
import org.inkwell.data.SignatureGlyphs.Letter;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A writer's fixed style and name, planned as virtual targets (letter-like nodes with slant, size, baseline drift
 * and pen-ups); {@link #write} makes one specimen's pen trajectories with that writer's natural variation.
 */
final class WriterStyle {
    final double slant;
    final double drift;
    final double xHeightPx;
    final double widthFactor;
    final double penWidthPx;
    final double speedThinning;
    final SigmaLognormal.Timing timing;
    final double jitter;
    final Flourish flourish;
    final boolean dots;
    final List<Word> words = new ArrayList<>();

    /** How a signature ends. */
    enum Flourish { NONE, UNDERLINE, SWEEP_BACK, END_TAIL }

    /** One word of the name: a capital, its lower-case letters, and whether it is written as an initial only. */
    record Word(Capital capital, Letter[] lower, boolean initialOnly) {
    }

    private WriterStyle(SplittableRandom r, boolean thin) {
        slant = 0.05 + 0.45 * r.nextDouble() - (r.nextDouble() < 0.15 ? 0.35 : 0);
        drift = -0.12 + 0.16 * r.nextDouble();
        xHeightPx = thin ? 12 + 6 * r.nextDouble() : 18 + 16 * r.nextDouble();
        widthFactor = 0.7 + 0.45 * r.nextDouble();
        penWidthPx = thin ? 1.0 + 0.6 * r.nextDouble() : 1.8 + 2.4 * r.nextDouble();
        speedThinning = 0.2 + 0.5 * r.nextDouble();
        double sigma = 0.2 + 0.12 * r.nextDouble();
        double strokeTime = 0.22 + 0.08 * r.nextDouble();
        timing = new SigmaLognormal.Timing(sigma, strokeTime, 0.42 + 0.2 * r.nextDouble());
        jitter = 0.05 + 0.06 * r.nextDouble();
        flourish = Flourish.values()[r.nextInt(4)];
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
            words.add(new Word(cap, lower, initialOnly));
        }
    }

    static WriterStyle create(SplittableRandom r, boolean thin) {
        return new WriterStyle(r, thin);
    }

    List<Trajectory> write(SplittableRandom r) {
        List<Trajectory> out = new ArrayList<>();
        List<double[]> extras = new ArrayList<>(); // i-dots and t-bars: {x0, y0, x1, y1}
        double scale = 1 + 0.08 * r.nextGaussian();
        double wf = widthFactor * (1 + 0.05 * r.nextGaussian());
        double penX = 0;
        double minX = 0;
        double maxX = 0;
        for (Word word : words) {
            Capital cap = word.capital();
            Letter[] lower = word.lower();
            boolean initialOnly = word.initialOnly();
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
            if (last && flourish == Flourish.END_TAIL) {
                targets.add(new Target(penX + 0.8, -0.4, -0.6));
                targets.add(new Target(penX + 2.2 + 0.3 * r.nextGaussian(), 0.6 + 0.2 * r.nextGaussian(), -0.5));
            } else if (last && flourish == Flourish.SWEEP_BACK) {
                targets.add(new Target(penX + 0.6, -0.5, -1.0));
                targets.add(new Target(minX + 0.5 * r.nextDouble(), -0.9 + 0.15 * r.nextGaussian(), -0.5));
                targets.add(new Target(minX + 1.2, -0.6, -1.9));
            }
            t = SigmaLognormal.integrate(targets, timing, r);
            out.add(t);
            maxX = Math.max(maxX, penX);
            if (initialOnly) {
                extras.add(new double[]{penX + 0.15, 0.05, penX + 0.22, 0.1}); // full stop after an initial
                penX += 0.6;
            } else {
                penX += 0.9 + 0.5 * r.nextDouble();
            }
        }
        if (flourish == Flourish.UNDERLINE) {
            double y = -0.55 - 0.25 * r.nextDouble();
            List<Target> line = List.of(new Target(minX + 0.3 * r.nextDouble(), y, 0),
                    new Target(maxX * (0.55 + 0.4 * r.nextDouble()), y + 0.1 * r.nextGaussian(), 0.25 * r.nextGaussian()),
                    new Target(maxX + 0.5, y + 0.3, 0.3));
            out.add(SigmaLognormal.integrate(line, timing, r));
        }
        for (double[] e : extras) {
            out.add(SigmaLognormal.integrate(List.of(new Target(e[0], e[1], 0), new Target(e[2], e[3], 0.2)), timing, r));
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
}
