package org.inkwell.cli;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.BatchIterator;
import org.inkwell.data.NoiseModel;
import org.inkwell.data.PairBatch;
import org.inkwell.data.PairSpec;
import org.inkwell.data.PreparedImages;
import org.inkwell.data.SyntheticSignatures;
import org.inkwell.model.Architecture;
import org.inkwell.model.Dl4jRuntime;
import org.inkwell.model.Trainer;
import org.inkwell.model.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "A fixed, warmed-up benchmark of inference, training and the data pipeline at 224x224.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--arch", defaultValue = "seed", description = "Architecture to time (default ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed runs per measurement (default ${DEFAULT-VALUE}).")
    int repeats;

    @Override
    public Integer call() throws Exception {
        Dl4jRuntime.init();
        Map<String, Object> r = new LinkedHashMap<>();
        ComputationGraph net = Architecture.parse(arch).build(224, new org.nd4j.linalg.learning.config.Adam(1e-3), 1);
        INDArray x1 = Nd4j.rand(DataType.FLOAT, 1, 1, 224, 224);
        INDArray x32 = Nd4j.rand(DataType.FLOAT, 32, 1, 224, 224);
        INDArray y32 = Nd4j.rand(DataType.FLOAT, 32, 1, 224, 224).gt(0.5).castTo(DataType.FLOAT);
        double[] infer1 = time(() -> net.outputSingle(false, x1), 3, repeats * 4);
        double[] infer32 = time(() -> net.outputSingle(false, x32), 1, repeats);
        DataSet ds = new DataSet(x32, y32);
        double[] train32 = time(() -> net.fit(ds), 1, repeats);
        SyntheticSignatures src = new SyntheticSignatures(1, 64);
        PreparedImages prepared = new PreparedImages(src, PairSpec.seed().mode(), 224);
        for (int i = 0; i < src.size(); i++) {
            prepared.get(i);
        }
        PairSpec spec = PairSpec.seed().withNoise(NoiseModel.pepper(0.2));
        long[] k = {0};
        double[] batch = time(() -> BatchIterator.build(prepared, spec, 32, 7, k[0]++), 1, repeats);
        put(r, "infer1_ms", infer1);
        put(r, "infer32_ms", infer32);
        put(r, "train32_ms", train32);
        put(r, "pipeline_batch32_ms", batch);
        r.put("pipeline_pairs_per_s", round(32_000.0 / median(batch)));
        r.put("onednn", Dl4jRuntime.oneDnnActive());
        r.put("threads", Runtime.getRuntime().availableProcessors());
        r.put("arch", arch);
        if (json) {
            System.out.println(toJson(r));
        } else {
            r.forEach((key, v) -> System.out.printf(Locale.ROOT, "%-24s %s%n", key, v));
        }
        return 0;
    }

    private static void put(Map<String, Object> r, String key, double[] samples) {
        r.put(key, round(median(samples)));
        r.put(key.replace("_ms", "") + "_p90_ms", round(percentile(samples, 0.9)));
    }

    static double[] time(Runnable task, int warmup, int repeats) {
        for (int i = 0; i < warmup; i++) {
            task.run();
        }
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            task.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return ms;
    }

    static double median(double[] v) {
        return percentile(v, 0.5);
    }

    static double percentile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static String toJson(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder("{");
        r.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append('"').append(k).append("\": ");
            sb.append(v instanceof String ? "\"" + v + "\"" : String.valueOf(v));
        });
        return sb.append('}').toString();
    }
}
