package org.inkwell.onednn;

import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.HashMap;
import java.util.Map;

/**
 * Between a DL4J network and a training plan: the plan's plain copies of the parameters (filled from the network
 * before a step), and its plain gradients (read out after the backward pass, keyed as DL4J keys them), with
 * BatchNorm's running-statistics updates computed from the batch statistics the plan leaves in the "_mean" and
 * "_var" slots. Its buffers belong to the plan ({@code plan.keep}).
 */
final class ParameterBridge {
    private final DnnlPlan plan;
    /** DL4J parameter key to the plan's plain copy of it ("enc1_W", "enc1_bn_gamma", ...). */
    private final Map<String, FloatPointer> params = new HashMap<>();
    /** DL4J gradient key to the plan's plain gradient ("enc1_W", ...); BatchNorm's "_mean"/"_var" are batch statistics. */
    private final Map<String, FloatPointer> gradients = new HashMap<>();
    /** BatchNorm layer name to its decay, for the running-statistics updates. */
    private final Map<String, Double> decays = new HashMap<>();
    /** One gradient's values, reused (sized for the largest). */
    private float[] grad = new float[0];

    ParameterBridge(DnnlPlan plan) {
        this.plan = plan;
    }

    /** A plain buffer the plan reads parameter {@code key} from. */
    FloatPointer param(String key, long size) {
        FloatPointer p = plan.keep(new FloatPointer(size));
        params.put(key, p);
        return p;
    }

    /** A plain buffer the plan writes gradient (or batch statistic) {@code key} into. */
    FloatPointer gradient(String key, long size) {
        FloatPointer p = plan.keep(new FloatPointer(size));
        gradients.put(key, p);
        return p;
    }

    void decay(String batchNorm, double decay) {
        decays.put(batchNorm, decay);
    }

    /** Copies the network's current parameters into the plan's plain buffers. */
    void load(ComputationGraph net) {
        for (var e : params.entrySet()) {
            float[] values = Arrays2.floats(net.getParam(e.getKey()));
            if (values.length != e.getValue().limit()) {
                throw new IllegalArgumentException(e.getKey() + " has " + values.length + " values, the plan expects " + e.getValue().limit());
            }
            e.getValue().put(values);
        }
    }

    /**
     * Adds the pass's gradients into {@code into}; for BatchNorm's "_mean" and "_var" keys, DL4J's running-statistics
     * update {@code (1 - decay) * (running - batch)}, which the caller averages over passes.
     */
    void addGradients(ComputationGraph net, Map<String, float[]> into) {
        for (var e : gradients.entrySet()) {
            String key = e.getKey();
            int size = (int) e.getValue().limit();
            if (grad.length < size) {
                grad = new float[size];
            }
            float[] g = grad;
            e.getValue().get(g, 0, size);
            float[] acc = into.computeIfAbsent(key, k -> new float[size]);
            if (key.endsWith("_mean") || key.endsWith("_var")) {
                String layer = key.substring(0, key.lastIndexOf('_'));
                double keep = 1 - decays.get(layer);
                float[] running = Arrays2.floats(net.getParam(key));
                for (int k = 0; k < size; k++) {
                    acc[k] += (float) (keep * (running[k] - g[k]));
                }
            } else {
                for (int k = 0; k < size; k++) {
                    acc[k] += g[k];
                }
            }
        }
    }
}
