package org.inkwell.onednn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.binary;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_backward;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.resampling_backward;
import org.bytedeco.dnnl.resampling_forward;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * One forward and backward pass of a network for one input shape as a fixed oneDNN plan: activations and their
 * gradients stay in oneDNN's blocked layout, each convolution's ReLU (and the output sigmoid) is fused into it, and
 * ReLU's backward runs in place on the BatchNorm gradient. It computes what DL4J's backprop computes (the loss's
 * gradient, BatchNorm's batch statistics and running-statistics updates); DL4J's updater still applies the step,
 * so the model, its optimizer state and checkpoints are unchanged. {@code TrainingPlanTest} pins a step against
 * DL4J's {@code fit}. Not thread-safe: use it on the thread that owns the network.
 */
final class TrainingPlan extends DnnlPlan {
    private static final double CLIP = SigmoidCrossEntropy.CLIP;

    /** Copies the plain parameters into the primitives' layouts. */
    private final Program load = program();
    private final Program forward = program();
    /** Backprop, ending with the weight gradients reordered to DL4J's layout. */
    private final Program backward = program();
    private FloatPointer in;
    private FloatPointer out;
    private FloatPointer outGradient;
    /** The parameters in, the gradients out. */
    private final ParameterBridge bridge = new ParameterBridge(this);
    /** Buffers free for the backward steps laid out after their last reader. */
    private final BufferPool pool = new BufferPool(this);

    /** What the backward pass needs of one vertex's forward pass. */
    private interface Node {
        Act dst();
    }

    private record ConvNode(String name, String input, Act src, Act dst, boolean relu, boolean fromInput,
                            convolution_forward.primitive_desc pd, memory weights, memory plainWeights) implements Node {
    }

    private record NormNode(String name, String input, Act src, Act dst, batch_normalization_forward.primitive_desc pd,
                            memory mean, memory variance, memory scale, memory shift, float eps) implements Node {
    }

    private record PoolNode(String input, Act src, Act dst, pooling_forward.primitive_desc pd, memory workspace) implements Node {
    }

    private record UpNode(String input, Act src, Act dst, resampling_forward.primitive_desc pd) implements Node {
    }

    private record ConcatNode(List<String> inputs, List<Act> parts, Act dst) implements Node {
    }

    /**
     * Whether a plan computes exactly DL4J's step for {@code net}: the layers the inference plans cover, BatchNorm
     * that stores the variance (not its log), the sigmoid cross-entropy loss after an identity convolution that feeds
     * nothing else, the input read by convolutions only, and no regularization or gradient normalization.
     */
    static boolean supports(ComputationGraph net) {
        ComputationGraphConfiguration conf = net.getConfiguration();
        return PlanLayers.oneInputOneOutput(conf) && conf.getDataType() == DataType.FLOAT && PlanLayers.oneChannelInput(conf)
                && conf.getVertices().get(conf.getNetworkOutputs().get(0)) instanceof LayerVertex out
                && out.getLayerConf().getLayer() instanceof CnnLossLayer && supportsVertices(conf);
    }

    private static boolean supportsVertices(ComputationGraphConfiguration conf) {
        String input = conf.getNetworkInputs().get(0);
        Map<String, List<String>> inputsOf = conf.getVertexInputs();
        Map<String, Integer> consumers = PlanLayers.consumers(inputsOf);
        for (String name : conf.getTopologicalOrderStr()) {
            GraphVertex v = conf.getVertices().get(name);
            if (v == null) {
                continue;
            }
            List<String> from = inputsOf.get(name);
            if (v instanceof ScaleVertex sv) {
                if (sv.getScaleFactor() != 1.0 || from.contains(input)) {
                    return false;
                }
            } else if (v instanceof LayerVertex lv) {
                Layer l = lv.getLayerConf().getLayer();
                if (lv.getPreProcessor() != null || !PlanLayers.supported(l)) {
                    return false;
                }
                // Training-time extras DL4J's layers apply and the plan does not.
                if (l.getIDropout() != null || (l.getConstraints() != null && !l.getConstraints().isEmpty())) {
                    return false;
                }
                if (l instanceof BaseLayer b && (!b.getRegularization().isEmpty() || !b.getRegularizationBias().isEmpty()
                        || b.getWeightNoise() != null
                        || (b.getGradientNormalization() != null && b.getGradientNormalization() != GradientNormalization.None))) {
                    return false;
                }
                if (l instanceof BatchNormalization bn && (bn.isUseLogStd() || !bn.isMinibatch())) {
                    return false;
                }
                if (l.getClass() != ConvolutionLayer.class && from.contains(input)) {
                    return false;
                }
                if (l instanceof CnnLossLayer loss) {
                    if (!(loss.getLossFn() instanceof LossBinaryXENT xent) || xent.getWeights() != null
                            || xent.getClipEps() != CLIP || from.size() != 1 || consumers.getOrDefault(from.get(0), 0) != 1
                            || !(conf.getVertices().get(from.get(0)) instanceof LayerVertex pv)
                            || !(pv.getLayerConf().getLayer() instanceof ConvolutionLayer c)
                            || c.getActivationFn() instanceof ActivationReLU
                            || !conf.getNetworkOutputs().get(0).equals(name)) {
                        return false;
                    }
                }
            } else if (!PlanLayers.channelConcat(v) || from.contains(input)) {
                return false;
            }
        }
        return true;
    }

    /** Builds the plan for passes of {@code n x 1 x h x w}; {@link #supports} must hold. */
    TrainingPlan(ComputationGraph net, int n, int h, int w) {
        super(n, h, w);
        buildOrClose(() -> build(net));
    }

    int passSize() {
        return n;
    }

    private void build(ComputationGraph net) {
        ComputationGraphConfiguration conf = net.getConfiguration();
        Map<String, List<String>> inputsOf = conf.getVertexInputs();
        String input = conf.getNetworkInputs().get(0);
        String output = conf.getNetworkOutputs().get(0);
        String outputConv = inputsOf.get(output).get(0);
        Map<String, Act> acts = new HashMap<>();
        List<String> order = new ArrayList<>();
        Map<String, Node> nodes = new HashMap<>();
        in = keep(new FloatPointer((long) n * h * w));
        acts.put(input, new Act(over(desc(new long[]{n, 1, h, w}, memory.format_tag.nchw), in), 1, h, w));
        // The loss is left out: its sigmoid is fused into the output convolution.
        GraphWalk.walk(conf, output::equals, step -> {
            String name = step.name();
            List<String> from = step.from();
            List<Act> src = from.stream().map(acts::get).toList();
            Node node;
            if (step.vertex() instanceof MergeVertex) {
                node = new ConcatNode(from, src, concat(forward, src));
            } else {
                Layer l = ((LayerVertex) step.vertex()).getLayerConf().getLayer();
                if (l instanceof ConvolutionLayer c) {
                    node = conv(name, c, from.get(0), src.get(0), from.get(0).equals(input), name.equals(outputConv));
                } else if (l instanceof BatchNormalization bn) {
                    node = norm(name, bn, from.get(0), src.get(0));
                } else if (l instanceof SubsamplingLayer) {
                    Pooled p = maxPool(forward, src.get(0), dnnl_forward_training);
                    node = new PoolNode(from.get(0), src.get(0), p.dst(), p.pd(), p.workspace());
                } else if (l instanceof Upsampling2D) {
                    Upsampled u = upsample(forward, src.get(0), dnnl_forward_training);
                    node = new UpNode(from.get(0), src.get(0), u.dst(), u.pd());
                } else {
                    throw new IllegalArgumentException("no training plan for layer " + name);
                }
            }
            acts.put(name, node.dst());
            nodes.put(name, node);
            order.add(name);
        });
        Map<String, memory> diffs = new HashMap<>();
        outGradient = keep(new FloatPointer((long) n * h * w));
        memory plainGradient = over(desc(new long[]{n, 1, h, w}, memory.format_tag.nchw), outGradient);
        memory outDiff = alloc(keep(acts.get(outputConv).mem().get_desc()));
        add(backward, new reorder(plainGradient, outDiff), new IntMemoryMap().put(DNNL_ARG_FROM, plainGradient).put(DNNL_ARG_TO, outDiff));
        diffs.put(outputConv, outDiff);
        for (int i = order.size() - 1; i >= 0; i--) {
            String name = order.get(i);
            memory diff = diffs.get(name);
            if (diff == null) {
                throw new IllegalArgumentException("vertex " + name + " does not reach the output");
            }
            Node node = nodes.get(name);
            if (node instanceof ConvNode c) {
                convBackward(c, diff, diffs);
            } else if (node instanceof NormNode b) {
                normBackward(b, diff, diffs);
            } else if (node instanceof PoolNode p) {
                poolBackward(p, diff, diffs);
            } else if (node instanceof UpNode u) {
                upBackward(u, diff, diffs);
            } else {
                concatBackward((ConcatNode) node, diff, diffs);
            }
            // Every reader of this vertex's output and gradient has been laid out: their buffers serve later steps.
            pool.release(diff);
            pool.release(node.dst().mem());
        }
    }

    private ConvNode conv(String name, ConvolutionLayer c, String input, Act src, boolean fromInput, boolean isOutput) {
        long outC = c.getNOut();
        long inC = src.c();
        if (c.getNIn() != inC) {
            throw new IllegalArgumentException(name + " expects " + c.getNIn() + " input channels, gets " + inC);
        }
        boolean relu = c.getActivationFn() instanceof ActivationReLU;
        post_ops ops = keep(new post_ops());
        if (relu) {
            ops.append_eltwise(1f, dnnl_eltwise_relu, 0f, 0f);
        }
        if (isOutput) {
            ops.append_eltwise(1f, dnnl_eltwise_logistic, 0f, 0f);
        }
        // The output too is left to oneDNN's choice and reordered after: a plain one-channel dst makes it slow.
        convolution_forward.primitive_desc pd = conv3x3(src, outC, dnnl_forward_training, ops);
        FloatPointer plainW = bridge.param(name + "_W", outC * inC * 9);
        memory plainWeights = over(desc(new long[]{outC, inC, 3, 3}, memory.format_tag.oihw), plainW);
        memory weights = alloc(pd.weights_desc());
        add(load, new reorder(plainWeights, weights), new IntMemoryMap().put(DNNL_ARG_FROM, plainWeights).put(DNNL_ARG_TO, weights));
        memory bias = over(desc(new long[]{outC}, memory.format_tag.x), bridge.param(name + "_b", outC));
        memory dst = alloc(pd.dst_desc());
        add(forward, new convolution_forward(pd), new IntMemoryMap().put(DNNL_ARG_SRC, src.mem()).put(DNNL_ARG_WEIGHTS, weights)
                .put(DNNL_ARG_BIAS, bias).put(DNNL_ARG_DST, dst));
        if (isOutput) {
            out = keep(new FloatPointer((long) n * h * w));
            memory plainOut = over(desc(new long[]{n, 1, h, w}, memory.format_tag.nchw), out);
            add(forward, new reorder(dst, plainOut), new IntMemoryMap().put(DNNL_ARG_FROM, dst).put(DNNL_ARG_TO, plainOut));
        }
        return new ConvNode(name, input, src, new Act(dst, outC, src.h(), src.w()), relu, fromInput, pd, weights, plainWeights);
    }

    private void convBackward(ConvNode c, memory diff, Map<String, memory> diffs) {
        memory.desc diffDesc = keep(diff.get_desc());
        if (c.relu()) {
            // ReLU's gradient from its output (the convolution's dst), in place on the incoming gradient.
            eltwise_forward.desc hintDesc = keep(new eltwise_forward.desc(dnnl_forward_training, dnnl_eltwise_relu_use_dst_for_bwd,
                    keep(c.dst().mem().get_desc()), 0f, 0f));
            eltwise_forward.primitive_desc hint = keep(new eltwise_forward.primitive_desc(hintDesc, eng));
            eltwise_backward.desc d = keep(new eltwise_backward.desc(dnnl_eltwise_relu_use_dst_for_bwd, diffDesc,
                    keep(c.dst().mem().get_desc()), 0f, 0f));
            eltwise_backward.primitive_desc pd = keep(new eltwise_backward.primitive_desc(d, eng, hint));
            add(backward, new eltwise_backward(pd), new IntMemoryMap().put(DNNL_ARG_DST, c.dst().mem())
                    .put(DNNL_ARG_DIFF_DST, diff).put(DNNL_ARG_DIFF_SRC, diff));
        }
        long outC = c.dst().c();
        long inC = c.src().c();
        convolution_backward_weights.desc wd = keep(new convolution_backward_weights.desc(dnnl_convolution_direct,
                keep(c.src().mem().get_desc()), desc(new long[]{outC, inC, 3, 3}, memory.format_tag.any),
                desc(new long[]{outC}, memory.format_tag.x), diffDesc, new long[]{1, 1}, new long[]{1, 1}, new long[]{1, 1}));
        convolution_backward_weights.primitive_desc wpd = keep(new convolution_backward_weights.primitive_desc(wd, eng, c.pd()));
        memory diffWeights = alloc(wpd.diff_weights_desc());
        memory diffBias = over(desc(new long[]{outC}, memory.format_tag.x), bridge.gradient(c.name() + "_b", outC));
        add(backward, new convolution_backward_weights(wpd), new IntMemoryMap().put(DNNL_ARG_SRC, c.src().mem())
                .put(DNNL_ARG_DIFF_DST, diff).put(DNNL_ARG_DIFF_WEIGHTS, diffWeights).put(DNNL_ARG_DIFF_BIAS, diffBias));
        memory plainDiffWeights = over(desc(new long[]{outC, inC, 3, 3}, memory.format_tag.oihw), bridge.gradient(c.name() + "_W", outC * inC * 9));
        add(backward, new reorder(diffWeights, plainDiffWeights),
                new IntMemoryMap().put(DNNL_ARG_FROM, diffWeights).put(DNNL_ARG_TO, plainDiffWeights));
        if (c.fromInput()) {
            return;
        }
        convolution_backward_data.desc dd = keep(new convolution_backward_data.desc(dnnl_convolution_direct,
                keep(c.src().mem().get_desc()), desc(new long[]{outC, inC, 3, 3}, memory.format_tag.any), diffDesc,
                new long[]{1, 1}, new long[]{1, 1}, new long[]{1, 1}));
        convolution_backward_data.primitive_desc dpd = keep(new convolution_backward_data.primitive_desc(dd, eng, c.pd()));
        memory weights = c.weights();
        if (!keep(dpd.weights_desc()).equals(keep(c.weights().get_desc()))) {
            weights = alloc(dpd.weights_desc());
            add(load, new reorder(c.plainWeights(), weights), new IntMemoryMap().put(DNNL_ARG_FROM, c.plainWeights()).put(DNNL_ARG_TO, weights));
        }
        Slot slot = slot(c.input(), c.src(), diffs);
        add(backward, new convolution_backward_data(dpd), new IntMemoryMap().put(DNNL_ARG_DIFF_DST, diff)
                .put(DNNL_ARG_WEIGHTS, weights).put(DNNL_ARG_DIFF_SRC, slot.target()));
        accumulate(slot);
    }

    private NormNode norm(String name, BatchNormalization bn, String input, Act src) {
        long c = src.c();
        int flags = dnnl_use_scale | dnnl_use_shift;
        batch_normalization_forward.desc d = keep(new batch_normalization_forward.desc(dnnl_forward_training,
                keep(src.mem().get_desc()), (float) bn.getEps(), flags));
        batch_normalization_forward.primitive_desc pd = keep(new batch_normalization_forward.primitive_desc(d, eng));
        memory.desc perChannel = desc(new long[]{c}, memory.format_tag.x);
        memory scale = over(perChannel, bridge.param(name + "_gamma", c));
        memory shift = over(perChannel, bridge.param(name + "_beta", c));
        memory mean = over(perChannel, bridge.gradient(name + "_mean", c));
        memory variance = over(perChannel, bridge.gradient(name + "_var", c));
        memory dst = alloc(pd.dst_desc());
        bridge.decay(name, bn.getDecay());
        add(forward, new batch_normalization_forward(pd), new IntMemoryMap().put(DNNL_ARG_SRC, src.mem())
                .put(DNNL_ARG_SCALE, scale).put(DNNL_ARG_SHIFT, shift).put(DNNL_ARG_MEAN, mean)
                .put(DNNL_ARG_VARIANCE, variance).put(DNNL_ARG_DST, dst));
        return new NormNode(name, input, src, new Act(dst, c, src.h(), src.w()), pd, mean, variance, scale, shift, (float) bn.getEps());
    }

    private void normBackward(NormNode b, memory diff, Map<String, memory> diffs) {
        int flags = dnnl_use_scale | dnnl_use_shift;
        batch_normalization_backward.desc d = keep(new batch_normalization_backward.desc(dnnl_backward, keep(diff.get_desc()),
                keep(b.src().mem().get_desc()), b.eps(), flags));
        batch_normalization_backward.primitive_desc pd = keep(new batch_normalization_backward.primitive_desc(d, eng, b.pd()));
        memory.desc perChannel = desc(new long[]{b.src().c()}, memory.format_tag.x);
        memory diffScale = over(perChannel, bridge.gradient(b.name() + "_gamma", b.src().c()));
        memory diffShift = over(perChannel, bridge.gradient(b.name() + "_beta", b.src().c()));
        Slot slot = slot(b.input(), b.src(), diffs);
        add(backward, new batch_normalization_backward(pd), new IntMemoryMap().put(DNNL_ARG_SRC, b.src().mem())
                .put(DNNL_ARG_MEAN, b.mean()).put(DNNL_ARG_VARIANCE, b.variance()).put(DNNL_ARG_DIFF_DST, diff)
                .put(DNNL_ARG_SCALE, b.scale()).put(DNNL_ARG_SHIFT, b.shift()).put(DNNL_ARG_DIFF_SRC, slot.target())
                .put(DNNL_ARG_DIFF_SCALE, diffScale).put(DNNL_ARG_DIFF_SHIFT, diffShift));
        accumulate(slot);
    }

    private void poolBackward(PoolNode p, memory diff, Map<String, memory> diffs) {
        pooling_backward.desc d = keep(new pooling_backward.desc(dnnl_pooling_max, keep(p.src().mem().get_desc()),
                keep(diff.get_desc()), new long[]{2, 2}, new long[]{2, 2}, new long[]{0, 0}, new long[]{0, 0}));
        pooling_backward.primitive_desc pd = keep(new pooling_backward.primitive_desc(d, eng, p.pd()));
        Slot slot = slot(p.input(), p.src(), diffs);
        add(backward, new pooling_backward(pd), new IntMemoryMap().put(DNNL_ARG_DIFF_DST, diff)
                .put(DNNL_ARG_WORKSPACE, p.workspace()).put(DNNL_ARG_DIFF_SRC, slot.target()));
        accumulate(slot);
        pool.release(p.workspace());
    }

    private void upBackward(UpNode u, memory diff, Map<String, memory> diffs) {
        resampling_backward.desc d = keep(new resampling_backward.desc(dnnl_resampling_nearest,
                keep(u.src().mem().get_desc()), keep(diff.get_desc())));
        resampling_backward.primitive_desc pd = keep(new resampling_backward.primitive_desc(d, eng, u.pd()));
        Slot slot = slot(u.input(), u.src(), diffs);
        add(backward, new resampling_backward(pd), new IntMemoryMap().put(DNNL_ARG_DIFF_DST, diff).put(DNNL_ARG_DIFF_SRC, slot.target()));
        accumulate(slot);
    }

    /** The gradient of a concatenation is its channel slices, one per input. */
    private void concatBackward(ConcatNode c, memory diff, Map<String, memory> diffs) {
        memory.desc whole = keep(diff.get_desc());
        long offset = 0;
        for (int i = 0; i < c.parts().size(); i++) {
            Act part = c.parts().get(i);
            memory.desc sliceDesc = keep(whole.submemory_desc(new long[]{n, part.c(), part.h(), part.w()}, new long[]{0, offset, 0, 0}));
            memory slice = keep(new memory(sliceDesc, eng, diff.get_data_handle()));
            Slot slot = slot(c.inputs().get(i), part, diffs);
            add(backward, new reorder(slice, slot.target()), new IntMemoryMap().put(DNNL_ARG_FROM, slice).put(DNNL_ARG_TO, slot.target()));
            accumulate(slot);
            offset += part.c();
        }
    }

    /** Where a backward step writes the gradient of {@code name}: straight into it, or beside it to be added. */
    private record Slot(memory target, memory sum) {
    }

    private Slot slot(String name, Act act, Map<String, memory> diffs) {
        memory existing = diffs.get(name);
        memory fresh = pool.scratch(keep(act.mem().get_desc()));
        if (existing == null) {
            diffs.put(name, fresh);
            return new Slot(fresh, null);
        }
        return new Slot(fresh, existing);
    }

    /** An activation read by several vertices gets the sum of their gradients. */
    private void accumulate(Slot slot) {
        if (slot.sum() == null) {
            return;
        }
        memory.desc d = keep(slot.sum().get_desc());
        binary.desc bd = keep(new binary.desc(dnnl_binary_add, d, keep(slot.target().get_desc()), d));
        binary.primitive_desc pd = keep(new binary.primitive_desc(bd, eng));
        add(backward, new binary(pd), new IntMemoryMap().put(DNNL_ARG_SRC_0, slot.sum()).put(DNNL_ARG_SRC_1, slot.target())
                .put(DNNL_ARG_DST, slot.sum()));
        pool.release(slot.target());
    }

    /**
     * Milliseconds per primitive kind ("forward convolution_forward", "backward eltwise_backward", ...) of one forward
     * and backward pass on the plan's current input and gradient, each primitive run and waited for alone.
     */
    Map<String, Double> profile() {
        Map<String, Double> byKind = new java.util.LinkedHashMap<>();
        profile(forward).forEach(t -> byKind.merge("forward " + t.primitive(), t.ms(), Double::sum));
        profile(backward).forEach(t -> byKind.merge("backward " + t.primitive(), t.ms(), Double::sum));
        return byKind;
    }

    /** Copies the network's current parameters into the plan. */
    void load(ComputationGraph net) {
        bridge.load(net);
        execute(load);
    }

    /** The pass's probabilities and loss gradient, reused from pass to pass. */
    private float[] probs;
    private float[] dz;

    /**
     * One forward and backward pass over {@code length} values of {@code x} and its targets {@code y} from
     * {@code from} (n x 1 x h x w each, NCHW); adds the gradients (sums over the pass) into {@code into}, keyed as
     * DL4J keys them, and returns the summed loss. For BatchNorm's "_mean" and "_var" keys it adds DL4J's
     * running-statistics update, {@code (1 - decay) * (running - batch)}, which the caller averages over passes.
     */
    double pass(ComputationGraph net, float[] x, float[] y, int from, int length, Map<String, float[]> into) {
        if (length != n * h * w || from < 0 || from + length > x.length || y.length != x.length) {
            throw new IllegalArgumentException("the plan is for passes of " + n + " x " + h + " x " + w);
        }
        if (probs == null) {
            probs = new float[length];
            dz = new float[length];
        }
        in.put(x, from, length);
        execute(forward);
        out.get(probs);
        double loss = SigmoidCrossEntropy.lossAndGradient(probs, y, from, dz);
        outGradient.put(dz);
        execute(backward);
        bridge.addGradients(net, into);
        return loss;
    }
}
