package org.inkwell.onednn;

import org.inkwell.engine.BatchNorms;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.concat;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.resampling_forward;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationReLU;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_ATTR_MULTIPLE_POST_OP_BASE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MULTIPLE_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_1;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_binary_add;
import static org.bytedeco.dnnl.global.dnnl.dnnl_binary_mul;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_logistic;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_max;
import static org.bytedeco.dnnl.global.dnnl.dnnl_resampling_nearest;

/**
 * A trained Inkwell network's forward pass for one input shape as a fixed oneDNN plan (through its JavaCPP
 * presets): activations stay in oneDNN's blocked layout from the first layer to the last, and each convolution
 * runs with its ReLU, the following BatchNorm's per-channel scale and shift and the output sigmoid fused in as
 * post-ops. DL4J stays the training engine and the model format; the weights are copied in when the plan is made,
 * so a plan serves a network that no longer changes. {@code InferencePlanTest} pins it against DL4J's output.
 * Not thread-safe: use it on the thread that owns the network.
 */
final class InferencePlan extends DnnlPlan {
    private final Program forward = program();

    /**
     * Whether the plan computes exactly what DL4J computes for {@code net}: only the layer kinds and settings
     * Inkwell's architectures use (exact classes, so subclasses such as deconvolutions are refused), every BatchNorm
     * and the sigmoid loss directly after a convolution that feeds nothing else, NCHW, no preprocessors.
     */
    static boolean supports(ComputationGraph net) {
        ComputationGraphConfiguration conf = net.getConfiguration();
        if (!PlanLayers.oneInputOneOutput(conf) || conf.getDataType() != org.nd4j.linalg.api.buffer.DataType.FLOAT
                || !PlanLayers.oneChannelInput(conf)) {
            return false; // the plans are float32 over one-channel images, as build makes them
        }
        Map<String, List<String>> inputsOf = conf.getVertexInputs();
        Map<String, Integer> consumers = PlanLayers.consumers(inputsOf);
        for (String name : conf.getTopologicalOrderStr()) {
            GraphVertex v = conf.getVertices().get(name);
            if (v == null) {
                continue; // the input
            }
            if (v instanceof ScaleVertex sv) {
                if (sv.getScaleFactor() != 1.0) {
                    return false;
                }
            } else if (v instanceof LayerVertex lv) {
                if (lv.getPreProcessor() != null || !PlanLayers.supported(lv.getLayerConf().getLayer())) {
                    return false;
                }
                Layer l = lv.getLayerConf().getLayer();
                if (l.getClass() == BatchNormalization.class || l.getClass() == CnnLossLayer.class) {
                    List<String> from = inputsOf.get(name);
                    if (from.size() != 1 || consumers.getOrDefault(from.get(0), 0) != 1
                            || !(conf.getVertices().get(from.get(0)) instanceof LayerVertex pv)
                            || pv.getLayerConf().getLayer().getClass() != ConvolutionLayer.class) {
                        return false;
                    }
                }
            } else if (!PlanLayers.channelConcat(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Builds the plan for inputs of {@code n x 1 x h x w}; {@link #supports} must hold. Shapes the pooling cannot
     * halve exactly (DL4J's Same mode rounds up) are refused.
     */
    InferencePlan(ComputationGraph net, int n, int h, int w) {
        this(net, n, h, w, false);
    }

    /**
     * As above; with {@code bf16} the input (rounded once, after the float32 copy in), the activations between layers
     * and the convolutions' weights are bfloat16; the biases, BatchNorm's scale and shift, the accumulation and the
     * output probabilities stay float32.
     */
    InferencePlan(ComputationGraph net, int n, int h, int w, boolean bf16) {
        super(n, h, w);
        if (bf16) {
            activations = memory.data_type.bf16;
        }
        buildOrClose(() -> build(net));
    }

    /** The kernel oneDNN chose for the 16-phase convolution (null: none was tried). */
    private String phaseKernel;
    /** The channel block of the 16-phase convolution's output: 16 (nChw16c) or 8 (nChw8c). */
    private int phaseBlock;

    /** The kernel oneDNN chose for the 16-phase output convolution ("jit:avx512_common"...; null where none was tried). */
    String phaseKernel() {
        return phaseKernel;
    }

    /** Whether the output layer runs as the 16-phase convolution ({@link #phaseConv}), not the padded one. */
    boolean phaseOutput() {
        return phaseOutput != null;
    }

    /** Whether the plan's activations and weights are bfloat16. */
    boolean bf16() {
        return activations == memory.data_type.bf16;
    }

    private FloatPointer in;
    private FloatPointer out;

    private void build(ComputationGraph net) {
        ComputationGraphConfiguration conf = net.getConfiguration();
        Map<String, List<String>> inputsOf = conf.getVertexInputs();
        Map<String, Integer> consumers = PlanLayers.consumers(inputsOf);
        Map<String, Act> acts = new HashMap<>();
        in = keep(new FloatPointer((long) n * h * w));
        memory input = over(desc(new long[]{n, 1, h, w}, memory.format_tag.nchw), in);
        if (bf16()) {
            memory converted = alloc(actDesc(new long[]{n, 1, h, w}, memory.format_tag.nchw));
            add(forward, new reorder(input, converted), new IntMemoryMap().put(DNNL_ARG_FROM, input).put(DNNL_ARG_TO, converted));
            input = converted;
        }
        acts.put(conf.getNetworkInputs().get(0), new Act(input, 1, h, w));
        // A BatchNorm or the loss after a convolution is fused into it: the walk skips what already has its activation.
        GraphWalk.walk(conf, acts::containsKey, step -> {
            List<Act> src = step.from().stream().map(acts::get).toList();
            GraphVertex v = step.vertex();
            String name = step.name();
            Act result;
            if (v instanceof MergeVertex) {
                result = concat(forward, src);
            } else {
                Layer l = ((LayerVertex) v).getLayerConf().getLayer();
                if (l instanceof SubsamplingLayer) {
                    result = maxPool(forward, src.get(0), dnnl_forward_inference).dst();
                } else if (l instanceof Upsampling2D) {
                    String reader = GraphWalk.onlyConsumer(name, inputsOf, consumers);
                    if (UPSAMPLED_CONV && reader != null && !conf.getNetworkOutputs().contains(name)
                            && conf.getVertices().get(reader) instanceof LayerVertex rv
                            && rv.getLayerConf().getLayer().getClass() == ConvolutionLayer.class) {
                        // Left for the convolution that reads it to fold in (upsampledConv), or to run first.
                        result = new Act(null, src.get(0).c(), src.get(0).h() * 2, src.get(0).w() * 2);
                        pendingUpsample.put(name, src.get(0));
                    } else {
                        result = upsample(forward, src.get(0), dnnl_forward_inference).dst();
                    }
                } else if (l instanceof ConvolutionLayer c) {
                    String follower = GraphWalk.onlyConsumer(name, inputsOf, consumers);
                    Layer next = follower != null && conf.getVertices().get(follower) instanceof LayerVertex lv
                            ? lv.getLayerConf().getLayer() : null;
                    float[][] scaleShift = next instanceof BatchNormalization bn ? batchNorm(net, follower, bn) : null;
                    boolean sigmoid = next instanceof CnnLossLayer;
                    boolean output = sigmoid && conf.getNetworkOutputs().contains(follower);
                    result = conv(net, name, c, src.get(0), pendingUpsample.get(step.from().get(0)), scaleShift,
                            sigmoid, output);
                    if (scaleShift != null || sigmoid) {
                        acts.put(follower, result);
                    }
                } else {
                    throw new IllegalArgumentException("no inference plan for layer " + name);
                }
            }
            acts.put(name, result);
        });
        Act result = acts.get(conf.getNetworkOutputs().get(0));
        out = keep(new FloatPointer((long) n * h * w));
        if (phaseOutput != null && result != phaseOutput) {
            throw new IllegalStateException("the 16-phase convolution is not the network's output");
        }
        if (result == phaseOutput) {
            // The 16 phase channels back into place: phase ky*4+kx of block (h4, w4) is pixel (4*h4+ky, 4*w4+kx).
            // The same two buffers seen as n x h/4 x 2 x 2 x w/4 x 4 tensors (ky = 2*kyHi + kyLo) with their own
            // strides; one reorder. In nChw8c the two halves of ky are the two channel blocks.
            long h4 = h / 4, w4 = w / 4, b = phaseBlock;
            long[] dims = {n, h4, 2, 2, w4, 4};
            memory.desc from = keep(new memory.desc(dims, memory.data_type.f32,
                    new long[]{h4 * w4 * 16, w4 * b, b == 16 ? 8 : h4 * w4 * 8, 4, b, 1}));
            memory.desc to = keep(new memory.desc(dims, memory.data_type.f32,
                    new long[]{(long) h * w, 4L * w, 2L * w, w, 4, 1}));
            memory phases = keep(new memory(from, eng, result.mem().get_data_handle()));
            memory output = keep(new memory(to, eng, out));
            add(forward, new reorder(phases, output), new IntMemoryMap().put(DNNL_ARG_FROM, phases).put(DNNL_ARG_TO, output));
            return;
        }
        memory output = over(desc(new long[]{n, 1, h, w}, memory.format_tag.nchw), out);
        add(forward, new reorder(result.mem(), output), new IntMemoryMap().put(DNNL_ARG_FROM, result.mem()).put(DNNL_ARG_TO, output));
    }

    /** Floating-point operations of the convolutions' multiply-adds in one pass (two per multiply-add). */
    private long flops;

    /**
     * The convolutions' floating-point operations in one pass as this plan runs them (two per multiply-add, zero and
     * padding taps included): {@link #upsampledConv} does 4 taps a pixel where the network's count has 9, while
     * {@link #phaseConv} does 4 times the output layer's own count (its 6x6 kernels hold the 3x3 one among zeros;
     * still a quarter of what the 16-channel block of the plain convolution computes).
     */
    long flops() {
        return flops;
    }

    /** Upsamplings not yet run, by name: each one's input, for the convolution that reads it. */
    private final Map<String, Act> pendingUpsample = new HashMap<>();

    /** How many convolutions run as {@link #upsampledConv}: four 2x2 phases over the image before upsampling. */
    private int upsampledConvs;

    /** How many convolutions of this plan fold the upsampling before them into four 2x2 phases. */
    int upsampledConvs() {
        return upsampledConvs;
    }

    /** Off with -Dinkwell.upsampledConv=false (to measure the upsampling and the plain convolution against it). */
    private static final boolean UPSAMPLED_CONV = !"false".equals(System.getProperty("inkwell.upsampledConv"));

    /** The output layer's result when it was planned as {@link #phaseConv}: its 16 channels are pixels. */
    private Act phaseOutput;

    /** Off with -Dinkwell.phaseOutput=false (to measure the plain convolution against it). */
    private static final boolean PHASE_OUTPUT = !"false".equals(System.getProperty("inkwell.phaseOutput"));

    /**
     * The output layer (one channel, 3x3, sigmoid) as a convolution with 16 output channels, one per pixel of each
     * 4x4 block: stride 4, a 6x6 kernel that holds the 3x3 one at the block position of its channel, padding 1.
     * oneDNN computes convolutions in blocks of 16 output channels, so a 1-channel convolution does the work of 16;
     * this one does the work of 4 (36 taps per block of 16 pixels instead of 9 per pixel for 16 channels) and
     * computes the same sums. Its output, n x 16 x h/4 x w/4 in one 16-channel block (nChw16c) or, on AVX2, two
     * 8-channel ones (nChw8c), is put back in place by the final reorder. Null where only oneDNN's reference kernel would run it.
     * The returned activation says 1 x h x w, what it stands for; its memory is the 16 phases.
     */
    private Act phaseConv(float[] weights, float bias, Act src) {
        long inC = src.c();
        float[] phase = new float[(int) (16 * inC * 36)];
        for (int ky = 0; ky < 4; ky++) {
            for (int kx = 0; kx < 4; kx++) {
                int o = ky * 4 + kx;
                for (int c = 0; c < inC; c++) {
                    for (int dy = 0; dy < 3; dy++) {
                        for (int dx = 0; dx < 3; dx++) {
                            phase[(int) (((o * inC + c) * 6 + ky + dy) * 6 + kx + dx)] = weights[(int) ((c * 3 + dy) * 3 + dx)];
                        }
                    }
                }
            }
        }
        float[] biases = new float[16];
        java.util.Arrays.fill(biases, bias);
        post_ops ops = keep(new post_ops());
        ops.append_eltwise(1f, dnnl_eltwise_logistic, 0f, 0f);
        primitive_attr attr = keep(new primitive_attr());
        attr.set_post_ops(ops);
        long h4 = src.h() / 4, w4 = src.w() / 4;
        convolution_forward.primitive_desc pd = null;
        // The output in 16-channel blocks (AVX-512) or, where only that has an optimised kernel, 8-channel ones
        // (AVX2); where both would run on oneDNN's reference kernel, far slower, the plain convolution runs instead.
        for (memory.format_tag tag : new memory.format_tag[]{memory.format_tag.nChw16c, memory.format_tag.nChw8c}) {
            convolution_forward.desc d = keep(new convolution_forward.desc(dnnl_forward_inference, dnnl_convolution_direct,
                    keep(src.mem().get_desc()), actDesc(new long[]{16, inC, 6, 6}, memory.format_tag.any),
                    desc(new long[]{16}, memory.format_tag.x),
                    keep(new memory.desc(new long[]{n, 16, h4, w4}, memory.data_type.f32, tag)),
                    new long[]{4, 4}, new long[]{1, 1}, new long[]{1, 1}));
            pd = keep(new convolution_forward.primitive_desc(d, attr, eng));
            phaseKernel = pd.impl_info_str().getString();
            phaseBlock = tag == memory.format_tag.nChw16c ? 16 : 8;
            if (!phaseKernel.startsWith("ref")) {
                break;
            }
        }
        if (phaseKernel.startsWith("ref")) {
            return null;
        }
        flops += 2L * n * 16 * inC * 36 * h4 * w4;
        memory wMem = weights(pd, phase, new long[]{16, inC, 6, 6});
        memory dst = alloc(pd.dst_desc());
        add(forward, new convolution_forward(pd), new IntMemoryMap().put(DNNL_ARG_SRC, src.mem()).put(DNNL_ARG_WEIGHTS, wMem)
                .put(DNNL_ARG_BIAS, constant(new long[]{16}, memory.format_tag.x, biases)).put(DNNL_ARG_DST, dst));
        phaseOutput = new Act(dst, 1, src.h(), src.w());
        return phaseOutput;
    }

    /** BatchNorm in inference is a per-channel affine map: scale = gamma / sqrt(var + eps), shift = beta - mean * scale. */
    private static float[][] batchNorm(ComputationGraph net, String name, BatchNormalization bn) {
        float[] gamma = net.getParam(name + "_gamma").dup().data().asFloat();
        float[] beta = net.getParam(name + "_beta").dup().data().asFloat();
        float[] mean = net.getParam(name + "_mean").dup().data().asFloat();
        float[] var = BatchNorms.variance(net.getLayer(name)).data().asFloat();
        float[] scale = new float[gamma.length];
        float[] shift = new float[gamma.length];
        for (int k = 0; k < gamma.length; k++) {
            scale[k] = (float) (gamma[k] / Math.sqrt(var[k] + bn.getEps()));
            shift[k] = beta[k] - mean[k] * scale[k];
        }
        return new float[][]{scale, shift};
    }

    /**
     * @param lowRes where {@code src} is an upsampling not yet run ({@link #pendingUpsample}), the image before it:
     *               the convolution folds the upsampling in where it can, else runs it first
     */
    private Act conv(ComputationGraph net, String name, ConvolutionLayer c, Act src, Act lowRes, float[][] scaleShift,
                     boolean sigmoid, boolean output) {
        float[] weights = net.getParam(name + "_W").dup('c').data().asFloat();
        if (weights.length != c.getNOut() * src.c() * 9) {
            throw new IllegalArgumentException(name + ": weights of " + weights.length + " values do not fit a 3x3 convolution");
        }
        float[] bias = net.getParam(name + "_b").dup().data().asFloat();
        long outC = c.getNOut();
        if (lowRes != null) {
            if (!sigmoid) {
                Act folded = upsampledConv(weights, bias, lowRes, outC, c.getActivationFn() instanceof ActivationReLU, scaleShift);
                if (folded != null) {
                    return folded;
                }
            }
            src = upsample(forward, lowRes, dnnl_forward_inference).dst();
        }
        if (output && outC == 1 && scaleShift == null && !(c.getActivationFn() instanceof ActivationReLU)
                && src.h() % 4 == 0 && src.w() % 4 == 0 && PHASE_OUTPUT) {
            Act phased = phaseConv(weights, bias[0], src);
            if (phased != null) {
                return phased;
            }
        }
        long inC = src.c();
        boolean relu = c.getActivationFn() instanceof ActivationReLU;
        post_ops ops = postOps(relu, outC, scaleShift != null, sigmoid);
        // The output layer (the sigmoid's) writes float32 whatever the activations are.
        convolution_forward.primitive_desc pd = conv3x3(src, outC, dnnl_forward_inference, ops,
                sigmoid ? memory.data_type.f32 : activations);
        flops += 2L * n * outC * inC * 9 * src.h() * src.w();
        memory wMem = weights(pd, weights, new long[]{outC, inC, 3, 3});
        memory dst = alloc(pd.dst_desc());
        IntMemoryMap args = new IntMemoryMap().put(DNNL_ARG_SRC, src.mem()).put(DNNL_ARG_WEIGHTS, wMem)
                .put(DNNL_ARG_BIAS, constant(new long[]{outC}, memory.format_tag.x, bias)).put(DNNL_ARG_DST, dst);
        if (scaleShift != null) {
            putScaleShift(args, relu, constant(new long[]{1, outC, 1, 1}, memory.format_tag.nchw, scaleShift[0]),
                    constant(new long[]{1, outC, 1, 1}, memory.format_tag.nchw, scaleShift[1]));
        }
        add(forward, new convolution_forward(pd), args);
        return new Act(dst, outC, src.h(), src.w());
    }

    /**
     * A 3x3 Same convolution of a 2x nearest-neighbour upsampling, without the upsampling: output pixel (2i+a, 2j+b)
     * reads the 3x3 window of the upsampled image, whose rows are input rows i-1, i, i (a = 0) or i, i, i+1 (a = 1),
     * and likewise for columns. So each of the four phases (a, b) is a 2x2 convolution of the image before the
     * upsampling, its taps the sums of the 3x3 taps that read the same input pixel, padded by one at the top (a = 0)
     * or the bottom (a = 1) and at the left (b = 0) or the right (b = 1): 4 taps a pixel instead of 9, on an input a
     * quarter the size, with the same sums (the zero padding of the upsampled image is the zero padding of the
     * input). The four outputs, each n x outC x h x w in one blocked layout, are interleaved into the 2h x 2w result
     * by four reorders into strided views of it. Null (the caller upsamples and convolves) where the channels are
     * not whole blocks or only oneDNN's reference kernel would run a phase.
     */
    private Act upsampledConv(float[] weights, float[] bias, Act low, long outC, boolean relu, float[][] scaleShift) {
        long inC = low.c();
        long lh = low.h(), lw = low.w();
        int[][][] taps = {{{0}, {1, 2}}, {{0, 1}, {2}}}; // [phase][tap] -> the 3x3 rows (or columns) it sums
        post_ops ops = postOps(relu, outC, scaleShift != null, false);
        primitive_attr attr = keep(new primitive_attr());
        attr.set_post_ops(ops);
        int block = 0;
        convolution_forward.primitive_desc[] pds = new convolution_forward.primitive_desc[4];
        for (memory.format_tag tag : new memory.format_tag[]{memory.format_tag.nChw16c, memory.format_tag.nChw8c}) {
            int b = tag == memory.format_tag.nChw16c ? 16 : 8;
            if (outC % b != 0) {
                continue;
            }
            boolean ok = true;
            for (int p = 0; p < 4 && ok; p++) {
                int a = p / 2, bx = p % 2;
                convolution_forward.desc d = keep(new convolution_forward.desc(dnnl_forward_inference, dnnl_convolution_direct,
                        keep(low.mem().get_desc()), actDesc(new long[]{outC, inC, 2, 2}, memory.format_tag.any),
                        desc(new long[]{outC}, memory.format_tag.x),
                        keep(new memory.desc(new long[]{n, outC, lh, lw}, activations, tag)),
                        new long[]{1, 1}, new long[]{1 - a, 1 - bx}, new long[]{a, bx}));
                try {
                    pds[p] = keep(new convolution_forward.primitive_desc(d, attr, eng));
                    ok = !pds[p].impl_info_str().getString().startsWith("ref");
                } catch (RuntimeException e) {
                    ok = false; // no implementation at all for this layout: the next, or the plain path
                }
            }
            if (ok) {
                block = b;
                break;
            }
        }
        if (block == 0) {
            return null;
        }
        memory biasMem = constant(new long[]{outC}, memory.format_tag.x, bias);
        memory scale = scaleShift == null ? null : constant(new long[]{1, outC, 1, 1}, memory.format_tag.nchw, scaleShift[0]);
        memory shift = scaleShift == null ? null : constant(new long[]{1, outC, 1, 1}, memory.format_tag.nchw, scaleShift[1]);
        memory.format_tag tag = block == 16 ? memory.format_tag.nChw16c : memory.format_tag.nChw8c;
        memory result = alloc(actDesc(new long[]{n, outC, 2 * lh, 2 * lw}, tag));
        long cb = outC / block;
        long[] dims = {n, cb, lh, lw, block};
        // A phase's output as it lies (n, channel block, row, column, channel in block), and where its pixels go in
        // the result: every other row and column of a 2h x 2w image in the same layout.
        memory.desc phaseView = keep(new memory.desc(dims, activations,
                new long[]{cb * lh * lw * block, lh * lw * block, lw * block, block, 1}));
        memory.desc resultView = keep(new memory.desc(dims, activations,
                new long[]{cb * 4 * lh * lw * block, 4 * lh * lw * block, 4 * lw * block, 2L * block, 1}));
        long elementBytes = activations == memory.data_type.bf16 ? 2 : 4;
        List<Runnable> interleave = new java.util.ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int a = p / 2, bx = p % 2;
            float[] phase = new float[(int) (outC * inC * 4)];
            for (int o = 0; o < outC; o++) {
                for (int c = 0; c < inC; c++) {
                    for (int r = 0; r < 2; r++) {
                        for (int s = 0; s < 2; s++) {
                            float sum = 0;
                            for (int dy : taps[a][r]) {
                                for (int dx : taps[bx][s]) {
                                    sum += weights[(int) (((o * inC + c) * 3 + dy) * 3 + dx)];
                                }
                            }
                            phase[(int) (((o * inC + c) * 2 + r) * 2 + s)] = sum;
                        }
                    }
                }
            }
            flops += 2L * n * outC * inC * 4 * lh * lw;
            memory wMem = weights(pds[p], phase, new long[]{outC, inC, 2, 2});
            memory dst = alloc(pds[p].dst_desc());
            IntMemoryMap args = new IntMemoryMap().put(DNNL_ARG_SRC, low.mem()).put(DNNL_ARG_WEIGHTS, wMem)
                    .put(DNNL_ARG_BIAS, biasMem).put(DNNL_ARG_DST, dst);
            if (scaleShift != null) {
                putScaleShift(args, relu, scale, shift);
            }
            add(forward, new convolution_forward(pds[p]), args);
            long offset = ((long) a * 2 * lw + bx) * block * elementBytes;
            memory from = keep(new memory(phaseView, eng, dst.get_data_handle()));
            memory to = keep(new memory(resultView, eng,
                    keep(new org.bytedeco.javacpp.BytePointer(result.get_data_handle()).position(offset))));
            interleave.add(() -> add(forward, new reorder(from, to), new IntMemoryMap().put(DNNL_ARG_FROM, from).put(DNNL_ARG_TO, to)));
        }
        interleave.forEach(Runnable::run);
        upsampledConvs++;
        return new Act(result, outC, 2 * lh, 2 * lw);
    }

    /**
     * The convolution's weights in the layout it chose, from DL4J's plain [out, in, kh, kw] (OIHW) order; the plain
     * copy is freed once reordered.
     */
    private memory weights(convolution_forward.primitive_desc pd, float[] oihw, long[] dims) {
        memory wMem = alloc(pd.weights_desc());
        try (FloatPointer plain = new FloatPointer(oihw);
             memory.desc plainDesc = new memory.desc(dims, memory.data_type.f32, memory.format_tag.oihw);
             memory plainWeights = new memory(plainDesc, eng, plain);
             reorder toBlocked = new reorder(plainWeights, wMem);
             IntMemoryMap reorderArgs = new IntMemoryMap().put(DNNL_ARG_FROM, plainWeights).put(DNNL_ARG_TO, wMem)) {
            toBlocked.execute(strm, reorderArgs);
            strm._wait();
        }
        return wMem;
    }

    /** A convolution's post-ops: its ReLU, then the following BatchNorm's per-channel scale and shift, then the sigmoid. */
    private post_ops postOps(boolean relu, long outC, boolean batchNorm, boolean sigmoid) {
        post_ops ops = keep(new post_ops());
        if (relu) {
            ops.append_eltwise(1f, dnnl_eltwise_relu, 0f, 0f);
        }
        if (batchNorm) {
            memory.desc perChannel = desc(new long[]{1, outC, 1, 1}, memory.format_tag.nchw);
            ops.append_binary(dnnl_binary_mul, perChannel);
            ops.append_binary(dnnl_binary_add, perChannel);
        }
        if (sigmoid) {
            ops.append_eltwise(1f, dnnl_eltwise_logistic, 0f, 0f);
        }
        return ops;
    }

    /** The BatchNorm post-ops' scale and shift, numbered after the ReLU where {@link #postOps} put one. */
    private static void putScaleShift(IntMemoryMap args, boolean relu, memory scale, memory shift) {
        int index = relu ? 1 : 0;
        args.put(postOpArg(index), scale).put(postOpArg(index + 1), shift);
    }

    private static int postOpArg(int index) {
        return DNNL_ARG_ATTR_MULTIPLE_POST_OP_BASE * (index + 1) | DNNL_ARG_SRC_1;
    }





    /** Runs the plan on {@code x} one primitive at a time and returns each one's kind and time (profiling). */
    List<StepTime> profile(float[] x) {
        if (x.length != n * h * w) {
            throw new IllegalArgumentException("the plan is for " + n + " x " + h + " x " + w + " inputs");
        }
        in.put(x);
        return profile(forward);
    }

    /** Ink probabilities for {@code x}: n x 1 x h x w floats in NCHW order, as the plan's shape says. */
    float[] run(float[] x) {
        if (x.length != n * h * w) {
            throw new IllegalArgumentException("the plan is for " + n + " x " + h + " x " + w + " inputs");
        }
        in.put(x);
        execute(forward);
        float[] result = new float[n * h * w];
        out.get(result);
        return result;
    }

}
