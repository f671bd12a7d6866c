package org.inkwell.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.GrayImage;
import org.inkwell.data.PreparedImages;
import org.inkwell.data.SignatureSource;
import org.inkwell.data.TrainingPair;
import org.inkwell.eval.Metrics;
import org.inkwell.model.Denoiser;
import org.inkwell.model.TrainingConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Mean per-pixel BCE and mean F-measure (%) over the validation pairs, and the first pair's output. */
public record Validation(double bce, double fmeasure, GrayImage firstOutput) {
    private static final int BATCH = 8;

    /** A fixed, seeded set of held-out pairs, identical for every epoch and every run with the same seed. */
    public static List<TrainingPair> pairs(TrainingConfig config, SignatureSource validation) {
        List<TrainingPair> pairs = new ArrayList<>();
        if (validation == null || validation.size() == 0) {
            return pairs;
        }
        PreparedImages prepared = new PreparedImages(validation, config.pairSpec().mode(), config.inputSize());
        SplittableRandom rng = new SplittableRandom(config.dataSeed() ^ 0x7A11DL);
        for (int i = 0; i < config.validationCount() && i < 100 * validation.size(); i++) {
            GrayImage clean = prepared.get(i % validation.size());
            if (clean != null) {
                pairs.add(TrainingPair.make(clean, config.validationSpec(), rng));
            }
        }
        return pairs;
    }

    /** Scores {@code net} on {@code pairs}; NaN scores when there are none. Call on the thread that owns the network. */
    public static Validation of(ComputationGraph net, List<TrainingPair> pairs) {
        if (pairs.isEmpty()) {
            return new Validation(Double.NaN, Double.NaN, null);
        }
        // Training is float32 throughout: validation (and the best epoch it picks) does not follow the inference precision.
        try (Denoiser d = new Denoiser(net).pinPrecision(org.inkwell.engine.Precision.FLOAT32)) {
            return score(d, pairs);
        }
    }

    private static Validation score(Denoiser d, List<TrainingPair> pairs) {
        GrayImage first = null;
        double bce = 0;
        double f = 0;
        for (int start = 0; start < pairs.size(); start += BATCH) {
            int n = Math.min(BATCH, pairs.size() - start);
            GrayImage[] in = new GrayImage[n];
            for (int i = 0; i < n; i++) {
                in[i] = pairs.get(start + i).noisy();
            }
            GrayImage[] out = d.predictBatch(in);
            if (first == null) {
                first = out[0];
            }
            for (int i = 0; i < n; i++) {
                GrayImage clean = pairs.get(start + i).clean();
                bce += Metrics.bce(clean.pixels(), out[i].pixels());
                f += Metrics.fmeasure(clean, out[i].threshold(Denoiser.DEFAULT_THRESHOLD));
            }
        }
        return new Validation(bce / pairs.size(), f / pairs.size(), first);
    }
}
