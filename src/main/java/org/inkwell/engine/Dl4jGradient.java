package org.inkwell.engine;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DL4J's backprop: {@code computeGradientAndScore} per pass, the passes' gradients summed in the network's gradient
 * view, BatchNorm's running-statistics updates averaged over the passes (they move once per optimizer step).
 */
final class Dl4jGradient implements GradientEngine {
    private final ComputationGraph net;

    Dl4jGradient(ComputationGraph net) {
        this.net = net;
    }

    @Override
    public Engine engine() {
        return Engine.DL4J;
    }

    @Override
    public Result gradient(INDArray x, INDArray y, int micro) {
        long n = x.size(0);
        long pass = micro <= 0 || micro >= n ? n : micro;
        INDArray accumulated = null;
        double loss = 0;
        int parts = 0;
        try {
            for (long s = 0; s < n; s += pass) {
                long e = Math.min(n, s + pass);
                boolean whole = s == 0 && e == n;
                net.setInputs(whole ? x : x.get(NDArrayIndex.interval(s, e)).dup());
                net.setLabels(whole ? y : y.get(NDArrayIndex.interval(s, e)).dup());
                net.computeGradientAndScore();
                loss += net.score() * (e - s);
                if (!whole) {
                    INDArray g = net.getFlattenedGradients();
                    if (accumulated == null) {
                        accumulated = g.dup();
                    } else {
                        accumulated.addi(g);
                    }
                }
                parts++;
            }
            if (accumulated != null) {
                net.getFlattenedGradients().assign(accumulated);
            }
        } finally {
            if (accumulated != null) {
                accumulated.close();
            }
        }
        Gradient gradient = net.gradient();
        if (parts > 1) {
            for (var entry : gradient.gradientForVariable().entrySet()) {
                if (entry.getKey().endsWith("_mean") || entry.getKey().endsWith("_var")) {
                    entry.getValue().divi(parts);
                }
            }
        }
        return new Result(gradient, loss);
    }

    @Override
    public void close() {
    }
}
