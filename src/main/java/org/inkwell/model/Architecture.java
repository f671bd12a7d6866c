package org.inkwell.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Locale;

/**
 * The networks Inkwell trains, as DL4J ComputationGraphs in NCHW (the fast layout with oneDNN). Every
 * convolution is 3x3 "same" followed by ReLU then BatchNorm, as in the seed. Fully convolutional: any input
 * whose sides are multiples of 32 works.
 */
public enum Architecture {
    /** The seed network exactly: 308,593 trainable parameters, bottleneck 7x7x64 at 224. */
    SEED("seed", "The seed's VGG-16-style autoencoder (308,593 trainable parameters)",
            new int[][]{{16, 16}, {32}, {64}, {64}, {64, 64}}, new int[][]{{64, 64}, {64}, {64}, {32}, {16}}, false),
    /** The seed's first, full-width VGG-16 version (31,470,529 trainable parameters). */
    VGG16("vgg16", "Full VGG-16 widths, dropped by the seed as too large (31,470,529 trainable parameters)",
            new int[][]{{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}},
            new int[][]{{512, 512, 512}, {512, 512, 512}, {256, 256, 256}, {128, 128}, {64, 64}}, false),
    /**
     * Inkwell's improved network: three poolings instead of five and encoder features concatenated into the
     * decoder (U-Net skips), so thin strokes and dots need not survive a 7x7 bottleneck.
     */
    UNET("unet", "Inkwell's skip-connected autoencoder: 3 poolings, encoder features fed to the decoder",
            new int[][]{{16, 16}, {32, 32}, {64, 64}, {96}}, new int[][]{{64}, {32}, {16}}, true),
    /**
     * The U-Net with five poolings: a receptive field of 284 px (the unet's is 68), wider than a 224 px image, so
     * a photocopier's streak or toner band that crosses the page is seen as one, not as a stroke; the extra stages
     * run at 1/16 and 1/32 of the resolution, so they add little time.
     */
    UNET_CONTEXT("unet-context", "The skip-connected autoencoder with 5 poolings: a 284 px receptive field for page-wide streaks",
            new int[][]{{16, 16}, {32, 32}, {64, 64}, {96, 96}, {128, 128}, {160}},
            new int[][]{{128}, {96}, {64}, {32}, {16}}, true);

    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    /** The bottleneck layer, as the seed names it. */
    public static final String ENCODER = "encoder";
    public static final double SEED_BN_EPSILON = 1e-3;
    public static final double SEED_BN_MOMENTUM = 0.99;

    private final String id;
    private final String description;
    private final int[][] encoder;
    private final int[][] decoder;
    private final boolean skips;

    Architecture(String id, String description, int[][] encoder, int[][] decoder, boolean skips) {
        this.id = id;
        this.description = description;
        this.encoder = encoder;
        this.decoder = decoder;
        this.skips = skips;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /**
     * The input pixels (along one axis) that output pixel {@code p} depends on, as {@code {lo, hi}}, away from the
     * image's edges: walked back through the graph, each 3x3 convolution widening by one pixel at its resolution,
     * each 2x2 pooling doubling, each nearest upsampling halving, a U-Net merge taking the union of its inputs.
     */
    public int[] inputInterval(int p) {
        int[] out = {p - 1, p + 1}; // the output convolution
        return decoderInput(decoder.length - 1, out[0], out[1]);
    }

    /** The widest {@link #inputInterval} over every alignment with the poolings: the receptive field's side. */
    public int receptiveField() {
        int widest = 0;
        for (int p = 1024; p < 1024 + 64; p++) {
            int[] i = inputInterval(p);
            widest = Math.max(widest, i[1] - i[0] + 1);
        }
        return widest;
    }

    private int[] decoderInput(int stage, int lo, int hi) {
        if (stage < 0) {
            if (skips) {
                return encoderInput(encoder.length - 1, lo, hi);
            }
            return encoderInput(encoder.length - 1, 2 * lo, 2 * hi + 1); // the seed pools its last stage too
        }
        lo -= decoder[stage].length;
        hi += decoder[stage].length;
        int[] up = decoderInput(stage - 1, Math.floorDiv(lo, 2), Math.floorDiv(hi, 2));
        if (!skips) {
            return up;
        }
        int[] skip = encoderInput(encoder.length - 2 - stage, lo, hi);
        return new int[]{Math.min(up[0], skip[0]), Math.max(up[1], skip[1])};
    }

    private int[] encoderInput(int stage, int lo, int hi) {
        lo -= encoder[stage].length;
        hi += encoder[stage].length;
        return stage == 0 ? new int[]{lo, hi} : encoderInput(stage - 1, 2 * lo, 2 * hi + 1);
    }

    /** Sides must be multiples of this. */
    public int divisor() {
        return 32;
    }

    public static Architecture parse(String s) {
        for (Architecture a : values()) {
            if (a.id.equals(s.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + s + "' (use seed, vgg16, unet or unet-context)");
    }

    /** A freshly initialised network for {@code side x side} inputs. */
    public ComputationGraph build(int side, IUpdater updater, long seed) {
        ComputationGraph net = new ComputationGraph(configuration(side, updater, seed));
        net.init();
        return net;
    }

    public ComputationGraphConfiguration configuration(int side, IUpdater updater, long seed) {
        if (side <= 0 || side % divisor() != 0) {
            throw new IllegalArgumentException("input side must be a multiple of " + divisor() + ", got " + side);
        }
        var g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater)
                .weightInit(WeightInit.XAVIER_UNIFORM) // Keras' glorot_uniform
                .convolutionMode(ConvolutionMode.Same)
                // Keeps each convolution's output from the forward pass for backprop; without it DL4J runs every
                // convolution twice per training step.
                .cacheMode(org.deeplearning4j.nn.conf.CacheMode.DEVICE)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(side, side, 1, CNN2DFormat.NCHW));
        String last = INPUT;
        String[] skipFrom = new String[encoder.length];
        int conv = 0;
        for (int stage = 0; stage < encoder.length; stage++) {
            for (int width : encoder[stage]) {
                last = convBn(g, "enc" + (++conv), width, last);
            }
            skipFrom[stage] = last;
            String pool = stage == encoder.length - 1 && !skips ? ENCODER : "pool" + (stage + 1);
            if (skips && stage == encoder.length - 1) {
                // The deepest stage is the bottleneck and is not pooled again.
                last = skipFrom[stage];
                break;
            }
            g.addLayer(pool, new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                    .convolutionMode(ConvolutionMode.Same).build(), last);
            last = pool;
        }
        if (skips) {
            // Name the bottleneck as the seed does, for feature export.
            g.addVertex(ENCODER, new org.deeplearning4j.nn.conf.graph.ScaleVertex(1.0), last);
            last = ENCODER;
        }
        int dec = 0;
        for (int stage = 0; stage < decoder.length; stage++) {
            String up = "up" + (stage + 1);
            g.addLayer(up, new Upsampling2D.Builder(2).build(), last);
            last = up;
            if (skips) {
                String merged = "skip" + (stage + 1);
                g.addVertex(merged, new MergeVertex(), last, skipFrom[encoder.length - 2 - stage]);
                last = merged;
            }
            for (int width : decoder[stage]) {
                last = convBn(g, "dec" + (++dec), width, last);
            }
        }
        g.addLayer("output_conv", new ConvolutionLayer.Builder(3, 3).nOut(1).activation(Activation.IDENTITY).build(), last);
        // Sigmoid inside the loss layer: same function as the seed's sigmoid conv, numerically stabler gradient.
        g.addLayer(OUTPUT, new CnnLossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.SIGMOID)
                .format(CNN2DFormat.NCHW).build(), "output_conv");
        g.setOutputs(OUTPUT);
        return g.build();
    }

    private static String convBn(ComputationGraphConfiguration.GraphBuilder g, String name, int width, String in) {
        g.addLayer(name, new ConvolutionLayer.Builder(3, 3).nOut(width).activation(Activation.RELU).build(), in);
        String bn = name + "_bn";
        g.addLayer(bn, new BatchNormalization.Builder().eps(SEED_BN_EPSILON).decay(SEED_BN_MOMENTUM)
                .useLogStd(false).build(), name);
        return bn;
    }

    /** Parameters a gradient step changes (excludes BatchNorm running mean and variance). */
    public static long trainableParameters(ComputationGraph net) {
        long total = 0;
        for (var layer : net.getLayers()) {
            for (var e : layer.paramTable().entrySet()) {
                if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization
                        && (e.getKey().equals("mean") || e.getKey().equals("var") || e.getKey().equals("log10stdev"))) {
                    continue;
                }
                total += e.getValue().length();
            }
        }
        return total;
    }
}
