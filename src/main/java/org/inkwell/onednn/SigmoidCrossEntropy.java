package org.inkwell.onednn;

/**
 * The loss the plans train with, as DL4J computes it: binary cross-entropy of the sigmoid output, summed over the
 * pixels, with DL4J's clipping of the probability to [CLIP, 1 - CLIP] in both the score and the gradient.
 */
final class SigmoidCrossEntropy {
    /** DL4J's binary cross-entropy clips probabilities to [eps, 1 - eps] in its score and gradient. */
    static final double CLIP = 1e-5;

    private SigmoidCrossEntropy() {
    }

    /**
     * The summed loss of probabilities {@code p} against targets {@code y[from ...]}, and in {@code dz} its gradient
     * with respect to the sigmoid's input (p - y where the probability was not clipped; DL4J's clipped form where it
     * was).
     */
    static double lossAndGradient(float[] p, float[] y, int from, float[] dz) {
        double loss = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i];
            double pc = Math.min(1 - CLIP, Math.max(CLIP, pi));
            double yi = y[from + i];
            loss -= yi * Math.log(pc) + (1 - yi) * Math.log(1 - pc);
            dz[i] = (float) (pc == pi ? pi - yi : (pc - yi) / (pc * (1 - pc)) * pi * (1 - pi));
        }
        return loss;
    }
}
