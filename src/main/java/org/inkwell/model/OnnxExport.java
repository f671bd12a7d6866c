package org.inkwell.model;

import onnx.Onnx;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.BackgroundFlattening;
import org.inkwell.data.OutputPolicy;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes an Inkwell network as an ONNX model (opset {@value #OPSET}) that ONNX Runtime and other engines run without
 * Inkwell: batch, height and width are symbolic, and the input contract (polarity, preparation, padding, what the
 * output means) and the training metadata are in the model's {@code metadata_props}, keys {@code inkwell.*}.
 * <p>The graph is built with the ONNX protobuf classes ({@code onnx.Onnx}, generated from {@code onnx.proto}) that
 * ship inside {@code org.nd4j:nd4j-api}, already on Inkwell's classpath, on its shaded protobuf runtime
 * ({@code org.nd4j:protobuf}): no new dependency at all. {@code org.nd4j:samediff-import-onnx} holds only SameDiff's
 * Kotlin import rules and would pull in ByteDeco's native ONNX presets, JGit and Kotlin; {@code org.bytedeco:onnx}
 * is native code for every platform.
 * <p>The walk over the DL4J {@link ComputationGraph} translates exactly, or refuses in one line: convolutions
 * (weights [out, in, kh, kw] as ONNX's; "same" padding as explicit pads where the input size cannot change them,
 * else {@code SAME_UPPER}, which is DL4J's rule), BatchNormalization in inference mode with its running statistics
 * (emitted as a node: Inkwell puts ReLU between convolution and BatchNorm, so it cannot be folded into the
 * convolution), max pooling, nearest upsampling ({@code Resize}), concatenation, scaling, element-wise sums and the
 * output layer's activation. See {@link #SUPPORTED}.
 */
public final class OnnxExport {
    public static final int OPSET = 17;
    /** ONNX IR version 8 is the first that opset 17 may use. */
    public static final long IR_VERSION = 8;
    public static final String PREFIX = "inkwell.";
    /** What the exporter translates; anything else is refused by name. */
    public static final String SUPPORTED = "ConvolutionLayer, BatchNormalization, ActivationLayer, DropoutLayer, "
            + "SubsamplingLayer (max), Upsampling2D, CnnLossLayer, MergeVertex, ScaleVertex, ElementWiseVertex (add); "
            + "activations identity, relu, leakyrelu, sigmoid, tanh; NCHW";
    private static final Pattern RUN_FOLDER = Pattern.compile("\\d{8}-\\d{6}(-\\d+)?");

    private OnnxExport() {
    }

    /** A network the exporter cannot translate exactly; the message is one line naming the layer and what it is. */
    public static final class UnsupportedNetworkException extends IllegalArgumentException {
        UnsupportedNetworkException(String message) {
            super(message);
        }
    }

    /** Checks {@code target}, builds the ONNX model of {@code model} and writes it atomically; returns the real path. */
    public static Path write(ModelStore.StoredModel model, Path target, OutputPolicy policy) throws IOException {
        policy.check(target, OutputPolicy.Kind.ONNX);
        // The training run's own id when the model records one; else its run folder's name.
        String run = model.metadata() != null && model.metadata().runId() != null ? model.metadata().runId() : runId(model.source());
        Onnx.ModelProto onnx = toModel(model.net(), model.metadata(), run);
        if ("bundled".equals(model.source())) {
            onnx = onnx.toBuilder().addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(PREFIX + "bundled")
                    .setValue("Inkwell's bundled model: this network cleans grey scans; Inkwell sends images that are "
                            + "already exactly black and white to a second, binary-input network, and grey scans sprinkled "
                            + "with dark pepper specks to a third; neither is in this file")).build();
        }
        byte[] bytes = onnx.toByteArray();
        return policy.write(target, OutputPolicy.Kind.ONNX, out -> out.write(bytes));
    }

    /** The run folder a model file lies in (yyyyMMdd-HHmmss, the workbench's runs), else null. */
    public static String runId(String source) {
        if (source == null || source.equals("bundled")) {
            return null;
        }
        Path parent;
        try {
            parent = Path.of(source).toAbsolutePath().getParent();
        } catch (java.nio.file.InvalidPathException e) {
            return null; // a description such as "seed.hdf5 (Keras)" on a file system that refuses it
        }
        return parent != null && parent.getFileName() != null && RUN_FOLDER.matcher(parent.getFileName().toString()).matches()
                ? parent.getFileName().toString() : null;
    }

    /** The ONNX model of {@code net}; {@code meta} and {@code runId} may be null. */
    public static Onnx.ModelProto toModel(ComputationGraph net, ModelMetadata meta, String runId) {
        GraphWalk walk = new GraphWalk(net);
        walk.run();
        Onnx.ModelProto.Builder m = Onnx.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("Inkwell")
                .setProducerVersion(Version.get())
                .setDomain("org.inkwell")
                .setModelVersion(meta == null ? 0 : meta.step())
                .setDocString("Inkwell signature cleaner: grey image in [0, 1] (paper 1, ink 0), NCHW float32 [batch, 1, "
                        + "height, width]; out: paper probability, ink below 0.5. The keys inkwell.* say how to prepare the input.")
                .setGraph(walk.graph)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata(meta, runId, walk.divisor).forEach((k, v) ->
                m.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    /** The {@code metadata_props}: the input contract, then what the model zip says about its training. */
    static Map<String, String> metadata(ModelMetadata meta, String runId, int divisor) {
        Map<String, String> p = new LinkedHashMap<>();
        ModelInput input = ModelInput.of(meta);
        p.put(PREFIX + "input", "grey image in [0, 1], 1 = paper (white), 0 = ink (black); float32 NCHW [batch, 1, height, width]");
        p.put(PREFIX + "input.grey", "luminance 0.299 R + 0.587 G + 0.114 B of 8-bit sRGB divided by 255; transparent pixels count as paper");
        p.put(PREFIX + "input.preparation", input == ModelInput.GREY ? "flatten" : "binarize");
        p.put(PREFIX + "input.preparation.detail", input == ModelInput.GREY
                ? "flatten: background = box mean (radius " + BackgroundFlattening.RADIUS + ", clamped borders) of the "
                + "max filter (radius " + BackgroundFlattening.RADIUS + ", clamped borders) of the grey image; "
                + "input = min(1, grey / max(background, 0.05))"
                : "binarize: images of exact 0 and 1 stay as they are; otherwise Otsu's threshold t over 8-bit levels "
                + "round(255 grey), and levels <= t become 0 (ink), the rest 1 (paper)");
        p.put(PREFIX + "input.pad_multiple", Integer.toString(Denoiser.PAD_MULTIPLE));
        p.put(PREFIX + "input.padding", "pad bottom and right to multiples of " + Denoiser.PAD_MULTIPLE + " by mirroring "
                + "with the edge pixel repeated (numpy mode 'symmetric'); crop the output back to the image (the network "
                + "itself needs multiples of " + divisor + ")");
        p.put(PREFIX + "input.tiling", "Inkwell cleans images larger than " + Denoiser.DEFAULT_TILE + " px a side in "
                + Denoiser.DEFAULT_TILE + " px tiles overlapping by " + Denoiser.DEFAULT_OVERLAP + " px to bound memory; "
                + "one pass over the whole padded image is the same network");
        p.put(PREFIX + "output", "paper probability (sigmoid) per pixel, same shape as the input: 1 = paper, 0 = ink");
        p.put(PREFIX + "output.threshold", Double.toString(Denoiser.DEFAULT_THRESHOLD));
        p.put(PREFIX + "output.ink", "a pixel is ink where the output is below the threshold");
        p.put(PREFIX + "exported_by", "Inkwell " + Version.get());
        if (runId != null) {
            p.put(PREFIX + "run_id", runId);
        }
        if (meta == null) {
            return p;
        }
        Object[] training = {"architecture", meta.architecture(), "version", meta.inkwellVersion(), "input_size",
                meta.inputSize(), "preprocess", meta.preprocess(), "patch", meta.patch(), "noise", meta.noise(), "data",
                meta.data(), "data_seed", meta.dataSeed(), "epochs", meta.epochs(), "step", meta.step(), "created", meta.created()};
        for (int i = 0; i < training.length; i += 2) {
            if (training[i + 1] != null) { // older model files lack some fields
                p.put(PREFIX + training[i], String.valueOf(training[i + 1]));
            }
        }
        if (meta.metrics() != null) {
            new java.util.TreeMap<>(meta.metrics()).forEach((k, v) -> p.put(PREFIX + "metrics." + k, Double.toString(v)));
        }
        p.put(PREFIX + "metadata_json", ModelStore.toJson(meta));
        return p;
    }

    /** One pass over the network in topological order, emitting nodes and initializers. */
    private static final class GraphWalk {
        private final ComputationGraph net;
        private final ComputationGraphConfiguration conf;
        private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
        /** The ONNX tensor that holds each DL4J vertex's output. */
        private final Map<String, String> tensor = new HashMap<>();
        /** How many times each tensor has been downsampled (product of strides) and upsampled, for the output shape. */
        private final Map<String, int[]> scale = new HashMap<>();
        private int divisor = 1;

        GraphWalk(ComputationGraph net) {
            this.net = net;
            this.conf = net.getConfiguration();
        }

        void run() {
            List<String> inputs = conf.getNetworkInputs();
            List<String> outputs = conf.getNetworkOutputs();
            if (inputs.size() != 1 || outputs.size() != 1) {
                throw new UnsupportedNetworkException("cannot export to ONNX: the network has " + inputs.size()
                        + " inputs and " + outputs.size() + " outputs; Inkwell exports one image in and one out");
            }
            String in = inputs.get(0);
            String out = outputs.get(0);
            tensor.put(in, "input");
            scale.put(in, new int[]{1, 1});
            graph.setName("inkwell");
            graph.addInput(valueInfo("input", "height", "width"));
            for (int idx : net.topologicalSortOrder()) {
                String name = net.getVertices()[idx].getVertexName();
                if (!name.equals(in)) {
                    // Tensors are named after the vertices; the graph's own input and output are "input" and "output".
                    String t = name.equals(out) ? "output" : name.equals("input") || name.equals("output") ? name + "_" : name;
                    vertex(name, t, conf.getVertices().get(name), conf.getVertexInputs().get(name));
                }
            }
            int[] s = scale.get(out);
            boolean same = s[0] == s[1];
            graph.addOutput(valueInfo("output", same ? "height" : "out_height", same ? "width" : "out_width"));
        }

        private void vertex(String name, String out, GraphVertex v, List<String> ins) {
            List<String> in = ins.stream().map(tensor::get).toList();
            int[] s = scale.get(ins.get(0));
            if (v instanceof LayerVertex lv) {
                if (lv.getPreProcessor() != null) {
                    throw unsupported(name, "has an input preprocessor (" + lv.getPreProcessor().getClass().getSimpleName() + ")");
                }
                layer(name, out, lv.getLayerConf().getLayer(), in.get(0), s);
            } else if (v instanceof MergeVertex mv) {
                graph.addNode(node("Concat", name, in, out, intAttr("axis", mv.getMergeAxis())));
            } else if (v instanceof ScaleVertex sv) {
                if (sv.getScaleFactor() == 1.0) {
                    graph.addNode(node("Identity", name, in, out));
                } else {
                    String factor = constant(name + ".scale", new float[]{(float) sv.getScaleFactor()}, new long[0]);
                    graph.addNode(node("Mul", name, List.of(in.get(0), factor), out));
                }
            } else if (v instanceof ElementWiseVertex ev && ev.getOp() == ElementWiseVertex.Op.Add) {
                graph.addNode(node("Sum", name, in, out));
            } else {
                throw unsupported(name, "is a " + describe(v));
            }
            tensor.put(name, out);
            scale.putIfAbsent(name, s);
        }

        private void layer(String name, String out, Layer l, String in, int[] s) {
            if (l instanceof ConvolutionLayer c && l.getClass() == ConvolutionLayer.class) {
                conv(name, out, c, in, s);
            } else if (l instanceof BatchNormalization bn) {
                batchNorm(name, out, bn, in);
            } else if (l instanceof SubsamplingLayer p && l.getClass() == SubsamplingLayer.class) {
                pool(name, out, p, in, s);
            } else if (l instanceof Upsampling2D u) {
                upsample(name, out, u, in, s);
            } else if (l instanceof ActivationLayer a) {
                activation(name, a.getActivationFn(), in, out);
            } else if (l instanceof DropoutLayer) {
                graph.addNode(node("Identity", name, List.of(in), out)); // dropout is off in inference
            } else if (l instanceof CnnLossLayer loss) {
                requireNchw(name, loss.getFormat());
                activation(name, loss.getActivationFn(), in, out);
            } else {
                throw unsupported(name, "is a " + l.getClass().getSimpleName());
            }
        }

        /** DL4J's Upsampling2D repeats each pixel: Resize, nearest, with integer scales. */
        private void upsample(String name, String out, Upsampling2D u, String in, int[] s) {
            requireNchw(name, u.getFormat());
            int[] size = u.getSize();
            scale.put(name, new int[]{s[0], s[1] * size[0]});
            String scales = constant(name + ".scales", new float[]{1, 1, size[0], size[1]}, new long[]{4});
            graph.addNode(node("Resize", name, List.of(in, "", scales), out, strAttr("mode", "nearest"),
                    strAttr("coordinate_transformation_mode", "asymmetric"), strAttr("nearest_mode", "floor")));
        }

        /** Records a stride: the sides the network needs are multiples of the largest product of strides. */
        private void downsample(String name, int[] s, int[] stride) {
            divisor = Math.max(divisor, s[0] * Math.max(stride[0], stride[1]));
            scale.put(name, new int[]{s[0] * stride[0], s[1]});
        }

        private void requireNchw(String name, CNN2DFormat format) {
            if (format != CNN2DFormat.NCHW) {
                throw unsupported(name, "is in " + format + "; the exporter writes NCHW");
            }
        }

        private void conv(String name, String out, ConvolutionLayer c, String in, int[] s) {
            requireNchw(name, c.getCnn2dDataFormat());
            downsample(name, s, c.getStride());
            List<String> inputs = new ArrayList<>(List.of(in, weights(name, "W")));
            if (c.hasBias()) {
                inputs.add(weights(name, "b"));
            }
            List<Onnx.AttributeProto> attrs = new ArrayList<>(List.of(ints("kernel_shape", c.getKernelSize()),
                    ints("strides", c.getStride()), ints("dilations", c.getDilation())));
            attrs.addAll(padding(name, c.getConvolutionMode(), c.getKernelSize(), c.getStride(), c.getDilation(), c.getPadding()));
            graph.addNode(node("Conv", name + "/conv", inputs, out + "/conv", attrs.toArray(new Onnx.AttributeProto[0])));
            activation(name, c.getActivationFn(), out + "/conv", out);
        }

        /**
         * DL4J's "same" mode pads (effective kernel - 1) in all when the stride is 1, the smaller half first: explicit
         * pads. With a larger stride the total depends on the input size; ONNX's SAME_UPPER computes it the same way
         * (the extra pixel at the end). Truncate and Strict modes use the layer's own symmetric padding.
         */
        private List<Onnx.AttributeProto> padding(String name, ConvolutionMode mode, int[] k, int[] stride, int[] dilation, int[] pad) {
            if (mode == ConvolutionMode.Same) {
                if (stride[0] != 1 || stride[1] != 1) {
                    return List.of(strAttr("auto_pad", "SAME_UPPER"));
                }
                int th = (k[0] - 1) * dilation[0];
                int tw = (k[1] - 1) * dilation[1];
                return List.of(ints("pads", new int[]{th / 2, tw / 2, th - th / 2, tw - tw / 2}));
            }
            if (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) {
                return List.of(ints("pads", new int[]{pad[0], pad[1], pad[0], pad[1]}));
            }
            throw unsupported(name, "uses convolution mode " + mode);
        }

        /** Inference mode: the running mean and variance (DL4J's log10 of the standard deviation turned back into one). */
        private void batchNorm(String name, String out, BatchNormalization bn, String in) {
            requireNchw(name, bn.getCnn2DFormat());
            var layer = net.getLayer(name);
            INDArray mean = layer.getParam("mean");
            long n = mean.length();
            String gamma;
            String beta;
            if (bn.isLockGammaBeta()) {
                gamma = constant(name + ".gamma", filled(n, bn.getGamma()), new long[]{n});
                beta = constant(name + ".beta", filled(n, bn.getBeta()), new long[]{n});
            } else {
                gamma = weights(name, "gamma");
                beta = weights(name, "beta");
            }
            String var;
            if (bn.isUseLogStd()) {
                // DL4J's inference squares the stdev and adds eps under the root, as ONNX does (BatchNorms.variance)
                var = constant(name + ".var", org.inkwell.engine.BatchNorms.variance(layer).data().asFloat(), new long[]{n});
            } else {
                var = weights(name, "var");
            }
            graph.addNode(node("BatchNormalization", name, List.of(in, gamma, beta, weights(name, "mean"), var), out,
                    floatAttr("epsilon", bn.getEps())));
        }

        private void pool(String name, String out, SubsamplingLayer p, String in, int[] s) {
            if (p.getPoolingType() != PoolingType.MAX) {
                throw unsupported(name, "is " + p.getPoolingType() + " pooling; the exporter supports max pooling");
            }
            requireNchw(name, p.getCnn2dDataFormat());
            int[] stride = p.getStride();
            downsample(name, s, stride);
            List<Onnx.AttributeProto> attrs = new ArrayList<>(List.of(ints("kernel_shape", p.getKernelSize()),
                    ints("strides", stride), ints("dilations", p.getDilation())));
            attrs.addAll(padding(name, p.getConvolutionMode(), p.getKernelSize(), stride, p.getDilation(), p.getPadding()));
            graph.addNode(node("MaxPool", name, List.of(in), out, attrs.toArray(new Onnx.AttributeProto[0])));
        }

        /** The layer's activation from {@code in} to {@code out}, an Identity node when it has none. */
        private void activation(String layer, IActivation a, String in, String out) {
            String op;
            List<Onnx.AttributeProto> attrs = new ArrayList<>();
            if (a == null || a instanceof ActivationIdentity) {
                op = "Identity";
            } else if (a instanceof ActivationReLU r) {
                // DL4J's ReLU may carry a cap, a threshold or a negative slope; only the plain one is translated.
                if (r.getMax() != null || (r.getThreshold() != null && r.getThreshold() != 0)
                        || (r.getNegativeSlope() != null && r.getNegativeSlope() != 0)) {
                    throw unsupported(layer, "uses a ReLU with a cap, threshold or negative slope (" + r + ")");
                }
                op = "Relu";
            } else if (a instanceof ActivationLReLU l) {
                op = "LeakyRelu";
                attrs.add(floatAttr("alpha", l.getAlpha()));
            } else if (a instanceof ActivationSigmoid) {
                op = "Sigmoid";
            } else if (a instanceof ActivationTanH) {
                op = "Tanh";
            } else {
                throw unsupported(layer, "uses the activation " + a);
            }
            graph.addNode(node(op, layer + "/" + op.toLowerCase(Locale.ROOT), List.of(in), out, attrs.toArray(new Onnx.AttributeProto[0])));
        }

        private String weights(String layer, String param) {
            INDArray p = net.getLayer(layer).getParam(param);
            if (p == null) {
                throw unsupported(layer, "has no parameter '" + param + "'");
            }
            long[] shape = param.equals("W") ? p.shape() : new long[]{p.length()};
            return constant(layer + "." + param, floats(p), shape);
        }

        private String constant(String name, float[] values, long[] shape) {
            ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                    .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(b.array()));
            for (long d : shape) {
                t.addDims(d);
            }
            graph.addInitializer(t);
            return name;
        }

    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').reshape(a.length()).toFloatVector();
    }

    private static float[] filled(long n, double v) {
        float[] f = new float[(int) n];
        java.util.Arrays.fill(f, (float) v);
        return f;
    }

    private static Onnx.NodeProto node(String op, String name, List<String> inputs, String output, Onnx.AttributeProto... attrs) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output);
        for (Onnx.AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return n.build();
    }

    private static Onnx.AttributeProto ints(String name, int[] values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
        for (int v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static Onnx.AttributeProto intAttr(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static Onnx.AttributeProto floatAttr(String name, double value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF((float) value).build();
    }

    private static Onnx.AttributeProto strAttr(String name, String value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    /** float32 [batch, 1, height, width] with symbolic batch and sides. */
    private static Onnx.ValueInfoProto valueInfo(String name, String height, String width) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(height))
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(width));
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    private static String describe(GraphVertex v) {
        String s = v.getClass().getSimpleName();
        return v instanceof ElementWiseVertex ev ? s + " (" + ev.getOp() + ")" : s;
    }

    private static UnsupportedNetworkException unsupported(String vertex, String what) {
        return new UnsupportedNetworkException(String.format(Locale.ROOT, "cannot export to ONNX: '%s' %s; the exporter "
                + "translates %s", vertex, what, SUPPORTED));
    }
}
