package org.inkwell.engine;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** A DL4J BatchNorm layer's running variance, whichever form it keeps (the variance, or log10 of the stdev). */
public final class BatchNorms {
    private BatchNorms() {
    }

    /** The running variance, a copy; {@code layer} must be a BatchNorm layer. */
    public static INDArray variance(Layer layer) {
        var t = layer.paramTable();
        if (t.containsKey("var")) {
            return t.get("var").dup();
        }
        double eps = ((org.deeplearning4j.nn.conf.layers.BatchNormalization) layer.conf().getLayer()).getEps();
        INDArray log10std = t.get("log10stdev");
        INDArray std = Transforms.pow(Nd4j.valueArrayOf(log10std.shape(), 10.0, log10std.dataType()), log10std, true);
        return std.muli(std).subi(eps);
    }
}
