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
    /** DL4J's binary cross-entropy clips probabilities to [eps, 1 - eps] in its score and gradient. */
    private static final double CLIP = 1e-5;

    /** Copies the plain parameters into the primitives' layouts. */
    private final Program load = program();
    private final Program forward = program();
    /** Backprop, ending with the weight gradients reordered to DL4J's layout. */
    private final Program backward = program();
    private FloatPointer in;
    private FloatPointer out;
    private FloatPointer outGradient;
    /** DL4J parameter key to the plan's plain copy of it ("enc1_W", "enc1_bn_gamma", ...). */
    private final Map<String, FloatPointer> params = new HashMap<>();
    /** DL4J gradient key to the plan's plain gradient ("enc1_W", ...); BatchNorm's "_mean"/"_var" are batch statistics. */
    private final Map<String, FloatPointer> gradients = new HashMap<>();
    /** BatchNorm layer name to its decay, for the running-statistics updates. */
    private final Map<String, Double> decays = new HashMap<>();

    private record Act(memory mem, long c, long h, long w) {
    }

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
        Map<String, String> aliasOf = new HashMap<>();
        List<String> order = new ArrayList<>();
        Map<String, Node> nodes = new HashMap<>();
        in = keep(new FloatPointer((long) n * h * w));
        acts.put(input, new Act(over(desc(new long[]{n, 1, h, w}, memory.format_tag.nchw), in), 1, h, w));
        for (String name : conf.getTopologicalOrderStr()) {
            GraphVertex v = conf.getVertices().get(name);
            if (v == null || name.equals(output)) {
                continue; // the input, or the loss, whose sigmoid is fused into the output convolution
            }
            List<String> from = inputsOf.get(name).stream().map(s -> aliasOf.getOrDefault(s, s)).toList();
            if (v instanceof ScaleVertex) {
                aliasOf.put(name, from.get(0));
                continue;
            }
            List<Act> src = from.stream().map(acts::get).toList();
            Node node;
            if (v instanceof MergeVertex) {
                node = concat(from, src);
            } else {
                Layer l = ((LayerVertex) v).getLayerConf().getLayer();
                if (l instanceof ConvolutionLayer c) {
                    node = conv(net, name, c, from.get(0), src.get(0), from.get(0).equals(input), name.equals(outputConv));
                } else if (l instanceof BatchNormalization bn) {
                    node = norm(net, name, bn, from.get(0), src.get(0));
                } else if (l instanceof SubsamplingLayer) {
                    node = pool(from.get(0), src.get(0));
                } else if (l instanceof Upsampling2D) {
                    node = upsample(from.get(0), src.get(0));
                } else {
                    throw new IllegalArgumentException("no training plan for layer " + name);
                }
            }
            acts.put(name, node.dst());
            nodes.put(name, node);
            order.add(name);
        }
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
            release(diff);
            release(node.dst().mem());
        }
    }

    /**
     * Buffers whose last reader in the pass has been laid out, for the backward steps after it (the next forward
     * pass writes every activation before reading it). Keeps a pass near the size of its forward activations.
     */
    private final List<memory> free = new ArrayList<>();

    /** A memory of {@code d} over the smallest free buffer that holds it, or a new one. */
    private memory scratch(memory.desc d) {
        long size = d.get_size();
        long elements = 1;
        for (long dim : dims(d)) {
            elements *= dim;
        }
        if (size != elements * Float.BYTES) {
            // A blocked layout with padded channels relies on zeros in the padding: only fresh memory has them.
            return alloc(d);
        }
        memory best = null;
        long bestSize = Long.MAX_VALUE;
        for (memory m : free) {
            long s = keep(m.get_desc()).get_size();
            if (s >= size && s < bestSize) {
                best = m;
                bestSize = s;
            }
        }
        if (best == null) {
            return alloc(d);
        }
        free.remove(best);
        return keep(new memory(d, eng, best.get_data_handle()));
    }

    private static long[] dims(memory.desc d) {
        org.bytedeco.dnnl.dnnl_memory_desc_t c = d.data();
        long[] dims = new long[c.ndims()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = c.dims().get(i);
        }
        return dims;
    }

    private void release(memory m) {
        free.add(m);
    }

    private ConvNode conv(ComputationGraph net, String name, ConvolutionLayer c, String input, Act src, boolean fromInput,
                          boolean isOutput) {
        long outC = c.getNOut();
        long inC = src.c();
        if (c.getNIn() != inC) {
            throw new IllegalArgumentException(name + " expects " + c.getNIn() + " input channels, gets " + inC);
        }
        boolean relu = c.getActivationFn() instanceof ActivationReLU;
        // The output too is left to oneDNN's choice and reordered after: a plain one-channel dst makes it slow.
        memory.desc dstDesc = desc(new long[]{n, outC, src.h(), src.w()}, memory.format_tag.any);
        convolution_forward.desc d = keep(new convolution_forward.desc(dnnl_forward_training, dnnl_convolution_direct,
                src.mem().get_desc(), desc(new long[]{outC, inC, 3, 3}, memory.format_tag.any),
                desc(new long[]{outC}, memory.format_tag.x), dstDesc, new long[]{1, 1}, new long[]{1, 1}, new long[]{1, 1}));
        post_ops ops = keep(new post_ops());
        if (relu) {
            ops.append_eltwise(1f, dnnl_eltwise_relu, 0f, 0f);
        }
        if (isOutput) {
            ops.append_eltwise(1f, dnnl_eltwise_logistic, 0f, 0f);
        }
        primitive_attr attr = keep(new primitive_attr());
        attr.set_post_ops(ops);
        convolution_forward.primitive_desc pd = keep(new convolution_forward.primitive_desc(d, attr, eng));
        FloatPointer plainW = param(name + "_W", outC * inC * 9);
        memory plainWeights = over(desc(new long[]{outC, inC, 3, 3}, memory.format_tag.oihw), plainW);
        memory weights = alloc(pd.weights_desc());
        add(load, new reorder(plainWeights, weights), new IntMemoryMap().put(DNNL_ARG_FROM, plainWeights).put(DNNL_ARG_TO, weights));
        memory bias = over(desc(new long[]{outC}, memory.format_tag.x), param(name + "_b", outC));
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
        memory diffBias = over(desc(new long[]{outC}, memory.format_tag.x), gradient(c.name() + "_b", outC));
        add(backward, new convolution_backward_weights(wpd), new IntMemoryMap().put(DNNL_ARG_SRC, c.src().mem())
                .put(DNNL_ARG_DIFF_DST, diff).put(DNNL_ARG_DIFF_WEIGHTS, diffWeights).put(DNNL_ARG_DIFF_BIAS, diffBias));
        memory plainDiffWeights = over(desc(new long[]{outC, inC, 3, 3}, memory.format_tag.oihw), gradient(c.name() + "_W", outC * inC * 9));
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

    private NormNode norm(ComputationGraph net, String name, BatchNormalization bn, String input, Act src) {
        long c = src.c();
        int flags = dnnl_use_scale | dnnl_use_shift;
        batch_normalization_forward.desc d = keep(new batch_normalization_forward.desc(dnnl_forward_training,
                keep(src.mem().get_desc()), (float) bn.getEps(), flags));
        batch_normalization_forward.primitive_desc pd = keep(new batch_normalization_forward.primitive_desc(d, eng));
        memory.desc perChannel = desc(new long[]{c}, memory.format_tag.x);
        memory scale = over(perChannel, param(name + "_gamma", c));
        memory shift = over(perChannel, param(name + "_beta", c));
        memory mean = over(perChannel, gradient(name + "_mean", c));
        memory variance = over(perChannel, gradient(name + "_var", c));
        memory dst = alloc(pd.dst_desc());
        decays.put(name, bn.getDecay());
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
        memory diffScale = over(perChannel, gradient(b.name() + "_gamma", b.src().c()));
        memory diffShift = over(perChannel, gradient(b.name() + "_beta", b.src().c()));
        Slot slot = slot(b.input(), b.src(), diffs);
        add(backward, new batch_normalization_backward(pd), new IntMemoryMap().put(DNNL_ARG_SRC, b.src().mem())
                .put(DNNL_ARG_MEAN, b.mean()).put(DNNL_ARG_VARIANCE, b.variance()).put(DNNL_ARG_DIFF_DST, diff)
                .put(DNNL_ARG_SCALE, b.scale()).put(DNNL_ARG_SHIFT, b.shift()).put(DNNL_ARG_DIFF_SRC, slot.target())
                .put(DNNL_ARG_DIFF_SCALE, diffScale).put(DNNL_ARG_DIFF_SHIFT, diffShift));
        accumulate(slot);
    }

    private PoolNode pool(String input, Act src) {
        if (src.h() % 2 != 0 || src.w() % 2 != 0) {
            throw new IllegalArgumentException("a " + h + " x " + w + " input cannot be halved exactly at every pooling");
        }
        pooling_forward.desc d = keep(new pooling_forward.desc(dnnl_forward_training, dnnl_pooling_max, keep(src.mem().get_desc()),
                desc(new long[]{n, src.c(), src.h() / 2, src.w() / 2}, memory.format_tag.any),
                new long[]{2, 2}, new long[]{2, 2}, new long[]{0, 0}, new long[]{0, 0}));
        pooling_forward.primitive_desc pd = keep(new pooling_forward.primitive_desc(d, eng));
        memory dst = alloc(pd.dst_desc());
        memory workspace = alloc(pd.workspace_desc());
        add(forward, new pooling_forward(pd), new IntMemoryMap().put(DNNL_ARG_SRC, src.mem()).put(DNNL_ARG_DST, dst)
                .put(DNNL_ARG_WORKSPACE, workspace));
        return new PoolNode(input, src, new Act(dst, src.c(), src.h() / 2, src.w() / 2), pd, workspace);
    }

    private void poolBackward(PoolNode p, memory diff, Map<String, memory> diffs) {
        pooling_backward.desc d = keep(new pooling_backward.desc(dnnl_pooling_max, keep(p.src().mem().get_desc()),
                keep(diff.get_desc()), new long[]{2, 2}, new long[]{2, 2}, new long[]{0, 0}, new long[]{0, 0}));
        pooling_backward.primitive_desc pd = keep(new pooling_backward.primitive_desc(d, eng, p.pd()));
        Slot slot = slot(p.input(), p.src(), diffs);
        add(backward, new pooling_backward(pd), new IntMemoryMap().put(DNNL_ARG_DIFF_DST, diff)
                .put(DNNL_ARG_WORKSPACE, p.workspace()).put(DNNL_ARG_DIFF_SRC, slot.target()));
        accumulate(slot);
        release(p.workspace());
    }

    private UpNode upsample(String input, Act src) {
        resampling_forward.desc d = keep(new resampling_forward.desc(dnnl_forward_training, dnnl_resampling_nearest,
                keep(src.mem().get_desc()), desc(new long[]{n, src.c(), src.h() * 2, src.w() * 2}, memory.format_tag.any)));
        resampling_forward.primitive_desc pd = keep(new resampling_forward.primitive_desc(d, eng));
        memory dst = alloc(pd.dst_desc());
        add(forward, new resampling_forward(pd), new IntMemoryMap().put(DNNL_ARG_SRC, src.mem()).put(DNNL_ARG_DST, dst));
        return new UpNode(input, src, new Act(dst, src.c(), src.h() * 2, src.w() * 2), pd);
    }

    private void upBackward(UpNode u, memory diff, Map<String, memory> diffs) {
        resampling_backward.desc d = keep(new resampling_backward.desc(dnnl_resampling_nearest,
                keep(u.src().mem().get_desc()), keep(diff.get_desc())));
        resampling_backward.primitive_desc pd = keep(new resampling_backward.primitive_desc(d, eng, u.pd()));
        Slot slot = slot(u.input(), u.src(), diffs);
        add(backward, new resampling_backward(pd), new IntMemoryMap().put(DNNL_ARG_DIFF_DST, diff).put(DNNL_ARG_DIFF_SRC, slot.target()));
        accumulate(slot);
    }

    /** Channel concatenation (U-Net skips), in the order DL4J's MergeVertex uses. */
    private ConcatNode concat(List<String> inputs, List<Act> parts) {
        long channels = parts.stream().mapToLong(Act::c).sum();
        Act first = parts.get(0);
        memory dst = concatChannels(forward, parts.stream().map(Act::mem).toList(), channels, first.h(), first.w());
        return new ConcatNode(inputs, parts, new Act(dst, channels, first.h(), first.w()));
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
        memory fresh = scratch(keep(act.mem().get_desc()));
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
        release(slot.target());
    }

    private FloatPointer param(String key, long size) {
        FloatPointer p = keep(new FloatPointer(size));
        params.put(key, p);
        return p;
    }

    private FloatPointer gradient(String key, long size) {
        FloatPointer p = keep(new FloatPointer(size));
        gradients.put(key, p);
        return p;
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
        for (var e : params.entrySet()) {
            float[] values = Arrays2.floats(net.getParam(e.getKey()));
            if (values.length != e.getValue().limit()) {
                throw new IllegalArgumentException(e.getKey() + " has " + values.length + " values, the plan expects " + e.getValue().limit());
            }
            e.getValue().put(values);
        }
        execute(load);
    }

    /** The pass's probabilities and loss gradient, reused from pass to pass. */
    private float[] probs;
    private float[] dz;
    /** One gradient's values, reused (sized for the largest). */
    private float[] grad = new float[0];

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
        float[] p = probs;
        out.get(p);
        double loss = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i];
            double pc = Math.min(1 - CLIP, Math.max(CLIP, pi));
            double yi = y[from + i];
            loss -= yi * Math.log(pc) + (1 - yi) * Math.log(1 - pc);
            // dL/dz of sigmoid + cross-entropy; DL4J's clipped form where the probability was clipped.
            dz[i] = (float) (pc == pi ? pi - yi : (pc - yi) / (pc * (1 - pc)) * pi * (1 - pi));
        }
        outGradient.put(dz);
        execute(backward);
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
        return loss;
    }
}
