package org.inkwell.cli;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.BatchIterator;
import org.inkwell.data.GrayImage;
import org.inkwell.data.NoiseModel;
import org.inkwell.data.PreparedImages;
import org.inkwell.data.Preprocess;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.data.SyntheticSignatures;
import org.inkwell.model.Architecture;
import org.inkwell.model.Denoiser;
import org.inkwell.model.TrainingConfig;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.train.TrainingStep;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import static org.inkwell.cli.BenchTiming.memory;

@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "N training steps then N inferences, reporting heap, off-heap and RSS at ten points.")
final class BenchSoakCommand implements Callable<Integer> {
    @Mixin
    BenchOptions options;

    @Parameters(index = "0", paramLabel = "N", description = "Training steps, then as many inferences.")
    int n;

    @picocli.CommandLine.Option(names = "--gc", description = "Collect garbage before each measurement (the default "
            + "measures what the running process holds, with no System.gc() anywhere in the loop).")
    boolean gc;

    /**
     * Long-running use without growth: memory at ten points through N training steps and N inferences, through the
     * engines the setting chooses (the oneDNN plans by default). Heap, ND4J's workspaces and its count of live native
     * buffers, the bytes JavaCPP has allocated, the plans' own native bytes, and the process RSS beside them; at the
     * end, each phase's RSS in its last tenth against its second tenth (the first holds the warm-up).
     */
    @Override
    public Integer call() {
        Limits.range("N", n, 1, 10_000_000);
        Dl4jRuntime.init();
        String arch = options.arch;
        TrainingConfig c = new TrainingConfig(arch, TrainingConfig.ADAM, 1e-3, 8, 1, 1, "seed", 224, 64, true, "pepper:0.2", 1, 1, 1);
        ComputationGraph net = Architecture.parse(arch).build(64, TrainingStep.updater(c), 1);
        PreparedImages prepared = new PreparedImages(new SyntheticSignatures(5, 64), Preprocess.Mode.SEED, 224);
        List<Map<String, Object>> rows = new ArrayList<>();
        long every = Math.max(1, n / 10);
        rows.add(row("start", 0, 0));
        String trainEngine;
        try (org.inkwell.train.OptimizerStep step = new org.inkwell.train.OptimizerStep(net)) {
            for (long i = 1; i <= n; i++) {
                var b = BatchIterator.build(prepared, c.pairSpec(), 8, 3, i);
                try (org.nd4j.linalg.api.ndarray.INDArray x = Nd4j.create(b.noisy(), new long[]{8, 1, 64, 64}, 'c');
                     org.nd4j.linalg.api.ndarray.INDArray y = Nd4j.create(b.clean(), new long[]{8, 1, 64, 64}, 'c')) {
                    step.fit(x, y, 0);
                }
                if (i % every == 0 || i == n) {
                    rows.add(row("train", i, step.nativeBytes()));
                }
            }
            trainEngine = step.lastUsed().label();
        }
        String inferEngine;
        try (Denoiser d = new Denoiser(net)) {
            GrayImage sig = Preprocess.apply(new SignatureGenerator(3).generate(0), Preprocess.Mode.SEED, 224);
            SplittableRandom rng = new SplittableRandom(2);
            for (long i = 1; i <= n; i++) {
                d.clean(NoiseModel.pepper(0.2).apply(sig, rng), 0.5);
                if (i % every == 0 || i == n) {
                    rows.add(row("infer", i, d.nativeBytes()));
                }
            }
            inferEngine = d.lastEngine().label() + " (" + d.precision() + ")";
        }
        if (options.json) {
            System.out.println(rows.stream().map(BenchTiming::toJson).collect(Collectors.joining(",\n ", "[", "]")));
        } else {
            System.out.println("phase   step  heap_used_mb  heap_committed_mb  non_heap_mb  workspaces_mb  live_native_buffers"
                    + "  javacpp_mb  process_rss_mb  plan_native_mb");
            for (Map<String, Object> row : rows) {
                System.out.printf(Locale.ROOT, "%-6s %5s %13s %18s %12s %14s %20s %11s %15s %15s%n", row.values().toArray());
            }
        }
        System.err.println("engines: training " + trainEngine + ", inference " + inferEngine + (gc ? "" : "; no GC was asked for"));
        for (String phase : new String[]{"train", "infer"}) {
            List<Map<String, Object>> p = rows.stream().filter(r -> r.get("phase").equals(phase)).toList();
            if (p.size() >= 3) {
                double second = ((Number) p.get(1).get("process_rss_mb")).doubleValue();
                double last = ((Number) p.get(p.size() - 1).get("process_rss_mb")).doubleValue();
                System.err.printf(Locale.ROOT, "%s: RSS %.0f MB in the second tenth, %.0f MB in the last (%+.1f %%)%n",
                        phase, second, last, 100 * (last - second) / second);
            }
        }
        return 0;
    }

    private Map<String, Object> row(String phase, long step, long planBytes) {
        Map<String, Object> r = BenchTiming.memory(phase, step, gc);
        r.put("plan_native_mb", BenchTiming.round(planBytes / 1e6));
        return r;
    }
}
