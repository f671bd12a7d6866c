package org.inkwell.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Pen movement from the kinematic theory of rapid movements: each pair of consecutive virtual targets is joined
 * by a sigma-lognormal stroke, and overlapping strokes are summed into a smooth pen velocity (Plamondon's model;
 * Ferrer et al., "Static Signature Synthesis", TPAMI 2015).
 */
final class SigmaLognormal {
    static final double DT = 0.0025;

    private SigmaLognormal() {
    }

    /** A virtual target the pen aims at, with the turning angle (radians, + = counter-clockwise) of the arc. */
    record Target(double x, double y, double curvature) {
    }

    /** One pen-down component: sampled positions (x-height units, y up) and speeds. */
    record Trajectory(double[] xs, double[] ys, double[] speeds) {
        int size() {
            return xs.length;
        }
    }

    /** A writer's motor timing: lognormal spread, base stroke duration and how much consecutive strokes overlap. */
    record Timing(double sigma, double strokeTime, double overlap) {
    }

    /** Sums one sigma-lognormal stroke per pair of consecutive targets into a pen trajectory. */
    static Trajectory integrate(List<Target> targets, Timing timing, SplittableRandom r) {
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
            sg[i] = timing.sigma() * (1 + 0.1 * r.nextGaussian());
            double duration = timing.strokeTime() * (0.75 + 0.35 * Math.sqrt(Math.max(chord, 0.05)));
            mu[i] = Math.log(duration) - 0.5;
            t0[i] = t;
            t += duration * (1 - timing.overlap()) * (0.9 + 0.2 * r.nextDouble());
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

    /** Abramowitz-Stegun 7.1.26, accurate to 1.5e-7: plenty for a pen angle. */
    static double erf(double x) {
        double sign = Math.signum(x);
        double a = Math.abs(x);
        double t = 1 / (1 + 0.3275911 * a);
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
                * Math.exp(-a * a);
        return sign * y;
    }
}
