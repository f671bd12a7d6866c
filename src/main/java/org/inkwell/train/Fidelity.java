package org.inkwell.train;

import org.inkwell.engine.BatchNorms;
import org.inkwell.data.OutputPolicy;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.BatchIterator;
import org.inkwell.data.PairBatch;
import org.inkwell.data.PreparedImages;
import org.inkwell.data.SyntheticSignatures;
import org.inkwell.model.Architecture;
import org.inkwell.model.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's training step, step by step, as data an independent implementation can replay: the seed network's
 * initial weights and a fixed sequence of batches (the seed's preprocessing, augmentation and pepper noise at
 * 0.2) go to files; Inkwell trains on them and records its per-step loss and final weights. The PyTorch
 * reference ({@code src/bench/seed_reference.py}) trains the same recipe, with Keras' semantics written out by
 * hand, on the same files.
 */
public final class Fidelity {
    private Fidelity() {
    }

    /**
     * What Inkwell did: per-step mean per-pixel BCE (before each update), the final parameters by layer, and the
     * parameters before every step and after the last, concatenated in {@link #params} order (one row per step).
     */
    public record Run(double[] losses, Map<String, float[]> finalParams, List<float[]> trajectory) {
    }

    public static TrainingConfig config(int size, int batch, int steps, String optimizer, double lr) {
        return new TrainingConfig(Architecture.SEED.id(), optimizer, lr, batch, steps, 1, "seed", size, 0, true,
                "pepper:0.2", 42, 0, 1);
    }

    /** The batches of the run, exactly as the trainer draws them. */
    public static List<PairBatch> batches(TrainingConfig c) {
        PreparedImages images = new PreparedImages(new SyntheticSignatures(c.dataSeed(), 64), c.pairSpec().mode(), c.inputSize());
        List<PairBatch> out = new ArrayList<>();
        for (int k = 0; k < c.stepsPerEpoch(); k++) {
            out.add(PairBatch.of(BatchIterator.buildPairs(images, c.pairSpec(), c.batchSize(), c.dataSeed(), k)));
        }
        return out;
    }

    /**
     * The batches with seeded uniform noise in [0, amount) added to the inputs. Binary images give max-pooling
     * windows of equal values, whose gradient each implementation may route to a different pixel; this breaks
     * the ties so the step itself can be compared.
     */
    public static List<PairBatch> jittered(List<PairBatch> batches, double amount) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        List<PairBatch> out = new ArrayList<>();
        for (PairBatch b : batches) {
            float[] x = b.noisy().clone();
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.min(1, Math.max(0, x[i] + (x[i] > 0.5f ? -1 : 1) * amount * rng.nextDouble()));
            }
            out.add(new PairBatch(x, b.clean(), b.count(), b.side()));
        }
        return out;
    }

    /**
     * Trains a fresh seed network on {@code batches}, one optimizer step each, as {@link Trainer} does: through the
     * engine the setting in force chooses (the oneDNN plans by default).
     */
    public static Run train(ComputationGraph net, List<PairBatch> batches, int side) {
        return train(net, batches, side, org.inkwell.engine.EngineSetting.forTraining());
    }

    public static Run train(ComputationGraph net, List<PairBatch> batches, int side, org.inkwell.engine.EngineSetting engine) {
        try (OptimizerStep step = new OptimizerStep(net, engine, notice -> { })) {
            return train(net, batches, side, step);
        }
    }

    private static Run train(ComputationGraph net, List<PairBatch> batches, int side, OptimizerStep step) {
        double[] losses = new double[batches.size()];
        long pixels = (long) side * side;
        List<float[]> trajectory = new ArrayList<>();
        trajectory.add(concat(params(net)));
        for (int k = 0; k < batches.size(); k++) {
            PairBatch b = batches.get(k);
            INDArray x = Nd4j.create(b.noisy(), new long[]{b.count(), 1, side, side}, 'c');
            INDArray y = Nd4j.create(b.clean(), new long[]{b.count(), 1, side, side}, 'c');
            losses[k] = step.fit(x, y, 0) / pixels;
            trajectory.add(concat(params(net)));
        }
        return new Run(losses, params(net), trajectory);
    }

    static float[] concat(Map<String, float[]> params) {
        int n = params.values().stream().mapToInt(a -> a.length).sum();
        float[] out = new float[n];
        int at = 0;
        for (float[] a : params.values()) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    /** The trajectory as one file the reference replays step by step (teacher forcing). */
    public static void writeTrajectory(Path file, List<float[]> rows) throws IOException {
        float[] all = new float[rows.size() * rows.get(0).length];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, all, i * rows.get(0).length, rows.get(0).length);
        }
        write(file, all);
    }

    /**
     * Parameters in the network's order, in PyTorch's names and layouts: {@code convN.weight} [out, in, kh, kw],
     * {@code convN.bias}, {@code bnN.weight} (gamma), {@code bnN.bias} (beta), {@code bnN.running_mean},
     * {@code bnN.running_var}.
     */
    public static Map<String, float[]> params(ComputationGraph net) {
        Map<String, float[]> out = new LinkedHashMap<>();
        int conv = 0;
        int bn = 0;
        for (int idx : net.topologicalSortOrder()) {
            var v = net.getVertices()[idx];
            if (!v.hasLayer() || v.getLayer().numParams() == 0) {
                continue;
            }
            Layer l = v.getLayer();
            Map<String, INDArray> t = l.paramTable();
            if (l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
                String p = "bn" + (++bn) + ".";
                out.put(p + "weight", flat(t.get("gamma")));
                out.put(p + "bias", flat(t.get("beta")));
                out.put(p + "running_mean", flat(t.get("mean")));
                out.put(p + "running_var", flat(BatchNorms.variance(l)));
            } else {
                String p = "conv" + (++conv) + ".";
                out.put(p + "weight", flat(t.get("W")));
                out.put(p + "bias", flat(t.get("b")));
            }
        }
        return out;
    }

    private static float[] flat(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    /** Writes little-endian float32 files and a manifest the reference reads. */
    public static void export(Path dir, TrainingConfig c, Map<String, float[]> initial, List<PairBatch> batches) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("size", c.inputSize());
        manifest.put("batch", c.batchSize());
        manifest.put("steps", batches.size());
        manifest.put("optimizer", c.optimizer());
        manifest.put("lr", c.learningRate());
        manifest.put("params", new ArrayList<>(initial.keySet()));
        for (var e : initial.entrySet()) {
            write(dir.resolve("init-" + e.getKey() + ".f32"), e.getValue());
        }
        float[] x = new float[batches.size() * c.batchSize() * c.inputSize() * c.inputSize()];
        float[] y = new float[x.length];
        int per = c.batchSize() * c.inputSize() * c.inputSize();
        for (int k = 0; k < batches.size(); k++) {
            System.arraycopy(batches.get(k).noisy(), 0, x, k * per, per);
            System.arraycopy(batches.get(k).clean(), 0, y, k * per, per);
        }
        write(dir.resolve("x.f32"), x);
        write(dir.resolve("y.f32"), y);
        String json = new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(manifest);
        OutputPolicy.strict().write(dir.resolve("manifest.json"), OutputPolicy.Kind.JSON,
                out -> out.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public static void write(Path file, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        // Never through a link, onto a special file, or over an existing file (the folder is new or empty).
        OutputPolicy.strict().write(file, OutputPolicy.Kind.RAW, out -> out.write(b.array()));
    }

    public static float[] read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
