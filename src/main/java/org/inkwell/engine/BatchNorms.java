package org.inkwell.engine;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** A DL4J BatchNorm layer's running variance, whichever form it keeps (the variance, or log10 of the stdev). */
public final class BatchNorms {
    private BatchNorms() {
    }

    /**
     * The running variance, a copy, as DL4J's inference uses it: {@code (x - mean) / sqrt(var + eps)}; {@code layer}
     * must be a BatchNorm layer. A layer that keeps log10 of the stdev squares it, {@code var = 10^(2 log10stdev)}, and
     * DL4J still adds eps under the root (measured: InferencePlanTest's decoder, whose BatchNorms keep the log form,
     * gave DL4J's output to 1e-6 only this way; with eps taken off first it was 0.009 away).
     */
    public static INDArray variance(Layer layer) {
        var t = layer.paramTable();
        if (t.containsKey("var")) {
            return t.get("var").dup();
        }
        INDArray log10std = t.get("log10stdev");
        INDArray std = Transforms.pow(Nd4j.valueArrayOf(log10std.shape(), 10.0, log10std.dataType()), log10std, true);
        return std.muli(std);
    }

    /** The log10-of-stdev form of a running variance, for a layer that keeps that form: {@code 0.5 log10(var)}. */
    public static INDArray log10Stdev(INDArray variance) {
        return Transforms.log(variance, 10, true).muli(0.5);
    }
}
