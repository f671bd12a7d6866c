package org.inkwell.onednn;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The layers and settings the oneDNN plans (inference and training) reproduce exactly. */
public final class PlanLayers {
    private PlanLayers() {
    }

    /** Whether the plans compute exactly what DL4J computes for layer {@code l} (exact classes and settings). */
    public static boolean supported(Layer l) {
        if (l.getClass() == ConvolutionLayer.class) {
            ConvolutionLayer c = (ConvolutionLayer) l;
            return c.getConvolutionMode() == ConvolutionMode.Same && c.getCnn2dDataFormat() == CNN2DFormat.NCHW
                    && Arrays.equals(c.getKernelSize(), new int[]{3, 3}) && Arrays.equals(c.getStride(), new int[]{1, 1})
                    && Arrays.equals(c.getDilation(), new int[]{1, 1}) && c.hasBias()
                    && (c.getActivationFn() instanceof ActivationIdentity || plainRelu(c.getActivationFn()));
        }
        if (l.getClass() == BatchNormalization.class) {
            BatchNormalization bn = (BatchNormalization) l;
            return !bn.isLockGammaBeta() && bn.getCnn2DFormat() == CNN2DFormat.NCHW;
        }
        if (l.getClass() == SubsamplingLayer.class) {
            SubsamplingLayer p = (SubsamplingLayer) l;
            return p.getPoolingType() == PoolingType.MAX && p.getCnn2dDataFormat() == CNN2DFormat.NCHW
                    && Arrays.equals(p.getKernelSize(), new int[]{2, 2}) && Arrays.equals(p.getStride(), new int[]{2, 2})
                    && Arrays.equals(p.getDilation(), new int[]{1, 1}) && Arrays.equals(p.getPadding(), new int[]{0, 0});
        }
        if (l.getClass() == Upsampling2D.class) {
            Upsampling2D u = (Upsampling2D) l;
            return Arrays.equals(u.getSize(), new int[]{2, 2}) && u.getFormat() == CNN2DFormat.NCHW;
        }
        return l.getClass() == CnnLossLayer.class && l instanceof CnnLossLayer loss
                && loss.getActivationFn() instanceof ActivationSigmoid && loss.getFormat() == CNN2DFormat.NCHW;
    }

    private static boolean plainRelu(IActivation a) {
        return a.getClass() == ActivationReLU.class && ((ActivationReLU) a).getMax() == null
                && ((ActivationReLU) a).getThreshold() == null && ((ActivationReLU) a).getNegativeSlope() == null;
    }

    /** A U-Net skip: DL4J's MergeVertex concatenating along channels (NCHW). */
    public static boolean channelConcat(org.deeplearning4j.nn.conf.graph.GraphVertex v) {
        return v.getClass() == org.deeplearning4j.nn.conf.graph.MergeVertex.class
                && ((org.deeplearning4j.nn.conf.graph.MergeVertex) v).getMergeAxis() == 1;
    }

    /** Plans take one image in and give one image out. */
    /** Whether every layer that reads the network's input is a convolution of one input channel (as the plans build). */
    public static boolean oneChannelInput(org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf) {
        String input = conf.getNetworkInputs().get(0);
        for (var e : conf.getVertexInputs().entrySet()) {
            if (!e.getValue().contains(input)) {
                continue;
            }
            var v = conf.getVertices().get(e.getKey());
            if (!(v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv)
                    || lv.getLayerConf().getLayer().getClass() != ConvolutionLayer.class
                    || ((ConvolutionLayer) lv.getLayerConf().getLayer()).getNIn() != 1) {
                return false;
            }
        }
        return true;
    }

    public static boolean oneInputOneOutput(org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf) {
        return conf.getNetworkInputs().size() == 1 && conf.getNetworkOutputs().size() == 1;
    }

    /** How many vertices read each vertex's output. */
    public static Map<String, Integer> consumers(Map<String, List<String>> inputsOf) {
        Map<String, Integer> consumers = new HashMap<>();
        inputsOf.values().forEach(list -> list.forEach(i -> consumers.merge(i, 1, Integer::sum)));
        return consumers;
    }

}
