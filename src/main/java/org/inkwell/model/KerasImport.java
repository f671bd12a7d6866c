package org.inkwell.model;

import org.inkwell.engine.BatchNorms;
import org.inkwell.runtime.Dl4jRuntime;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the seed author's trained Keras model in Inkwell. DL4J imports it as an NHWC graph that M2.1 cannot
 * fine-tune (BatchNorm backprop fails on its shapes), so its weights are copied, layer by layer in order, into
 * Inkwell's own NCHW seed graph, which trains and runs at full speed.
 */
public final class KerasImport {
    private KerasImport() {
    }

    /** DL4J's direct import of the HDF5 file (NHWC input); used to check the copy. */
    public static ComputationGraph importRaw(Path hdf5) throws ModelLoadException {
        if (!Files.isRegularFile(hdf5)) {
            throw new ModelLoadException(hdf5 + ": Keras model file not found");
        }
        Dl4jRuntime.init();
        quietHdf5();
        try {
            try {
                return KerasModelImport.importKerasModelAndWeights(hdf5.toString(), false);
            } catch (RuntimeException e) {
                if (!String.valueOf(e.getMessage()).startsWith("H5")) {
                    throw e;
                }
                // DL4J leaves HDF5 handles of an earlier import to the garbage collector; closed late, they can close
                // an id HDF5 has meanwhile given to this file. Once those are collected, the same file imports fine.
                System.gc();
                Thread.sleep(200);
                return KerasModelImport.importKerasModelAndWeights(hdf5.toString(), false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelLoadException(hdf5 + ": import interrupted", e);
        } catch (Exception | UnsatisfiedLinkError e) {
            throw new ModelLoadException(hdf5 + ": not a Keras model Inkwell can import (" + ModelStore.firstLine(e) + ")", e);
        }
    }

    /**
     * The HDF5 library prints its whole error stack (25 lines) to the terminal before DL4J throws; Inkwell reports
     * one line instead. The setting is per thread in HDF5's thread-safe build, so it is made before every import.
     */
    private static void quietHdf5() {
        try {
            org.bytedeco.hdf5.Exception.dontPrint();
        } catch (Throwable e) {
            // Without the native library the import itself reports the problem.
        }
    }

    /** The Keras model as Inkwell's seed architecture, ready to run, evaluate or fine-tune. */
    public static ModelStore.StoredModel importSeed(Path hdf5) throws ModelLoadException {
        ComputationGraph keras = importRaw(hdf5);
        ComputationGraph ours = Architecture.SEED.build(224, new Nesterovs(1e-3 / (224 * 224), 0.99), 1);
        copyWeights(keras, ours, hdf5.toString());
        ModelMetadata meta = new ModelMetadata(ModelMetadata.FORMAT_VERSION, Version.get(), Architecture.SEED.id(), 224,
                "seed", 0, "pepper:0.2", 0, "imported from Keras " + hdf5.getFileName(), 0, 0, Map.of(), null,
                "inkwell import-keras " + hdf5, Instant.now().toString());
        return new ModelStore.StoredModel(ours, meta, new TrainingHistory(), hdf5.toString());
    }

    static void copyWeights(ComputationGraph keras, ComputationGraph ours, String source) throws ModelLoadException {
        List<Layer> from = parameterLayers(keras);
        List<Layer> to = parameterLayers(ours);
        if (from.size() != to.size()) {
            throw new ModelLoadException(source + ": Keras model has " + from.size() + " layers with weights, the seed "
                    + "architecture has " + to.size() + "; it is not the seed network");
        }
        for (int i = 0; i < from.size(); i++) {
            Layer a = from.get(i);
            Layer b = to.get(i);
            boolean aBn = a instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization;
            boolean bBn = b instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization;
            if (aBn != bBn) {
                throw new ModelLoadException(source + ": layer " + (i + 1) + " (" + a.conf().getLayer().getLayerName()
                        + ") does not match the seed architecture's " + b.conf().getLayer().getLayerName());
            }
            for (Map.Entry<String, INDArray> e : b.paramTable().entrySet()) {
                INDArray value = paramFor(a, e.getKey(), aBn);
                if (value == null || value.length() != e.getValue().length()) {
                    throw new ModelLoadException(source + ": layer " + a.conf().getLayer().getLayerName() + " parameter "
                            + e.getKey() + " has shape " + (value == null ? "none" : java.util.Arrays.toString(value.shape()))
                            + ", the seed architecture needs " + java.util.Arrays.toString(e.getValue().shape()));
                }
                b.setParam(e.getKey(), value.reshape(e.getValue().shape()).castTo(e.getValue().dataType()));
            }
        }
    }

    /** A parameter by DL4J name, converting between BatchNorm's variance and log10(stdev) forms. */
    private static INDArray paramFor(Layer layer, String key, boolean bn) {
        Map<String, INDArray> t = layer.paramTable();
        if (t.containsKey(key)) {
            return t.get(key).dup();
        }
        if (!bn) {
            return null;
        }
        if (key.equals("var") && t.containsKey("log10stdev")) {
            return BatchNorms.variance(layer);
        }
        if (key.equals("log10stdev") && t.containsKey("var")) {
            return BatchNorms.log10Stdev(t.get("var")); // DL4J adds eps under the root itself (BatchNorms.variance)
        }
        return null;
    }

    private static List<Layer> parameterLayers(ComputationGraph g) {
        List<Layer> out = new ArrayList<>();
        for (int idx : g.topologicalSortOrder()) {
            var v = g.getVertices()[idx];
            if (v.hasLayer() && v.getLayer().numParams() > 0) {
                out.add(v.getLayer());
            }
        }
        return out;
    }
}
