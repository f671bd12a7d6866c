package org.inkwell.cli;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.model.Architecture;
import org.inkwell.model.TrainingConfig;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.runtime.OpProfile;
import org.inkwell.train.OptimizerStep;
import org.inkwell.train.TrainingStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.inkwell.cli.BenchTiming.median;
import static org.inkwell.cli.BenchTiming.round;
import static org.inkwell.cli.BenchTiming.time;
import static org.inkwell.cli.BenchTiming.toJson;

@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Times every ND4J op of DL4J's training step (batch 32 at 224, micro-batches of 8) and of one-image inference, per layer type, every primitive of the oneDNN training plan's pass of 8, and every primitive of the oneDNN inference plan for 32 images, in order.")
final class BenchProfileCommand implements Callable<Integer> {
    @Mixin
    BenchOptions options;

    /** Per-layer-type breakdown from ND4J's op profiler, beside the unprofiled wall time of the same work. */
    @Override
    public Integer call() {
        Dl4jRuntime.init();
        String arch = options.arch;
        int repeats = options.repeats();
        TrainingConfig c = new TrainingConfig(arch, TrainingConfig.ADAM, 1e-3, 32, 1, 1, "seed", 224, 0, true, "pepper:0.2", 1, 1, 1);
        ComputationGraph net = Architecture.parse(arch).build(224, TrainingStep.updater(c), 1);
        INDArray x1 = Nd4j.rand(DataType.FLOAT, 1, 1, 224, 224);
        INDArray x32 = Nd4j.rand(DataType.FLOAT, 32, 1, 224, 224);
        INDArray y32 = x32.gt(0.5).castTo(DataType.FLOAT);
        Map<String, Object> r = new LinkedHashMap<>();
        section(r, "train32_micro8", () -> TrainingStep.fit(net, x32, y32, 8), 1, Math.max(2, repeats / 2));
        section(r, "infer1", () -> net.outputSingle(false, x1), 100, repeats * 4);
        planSection(r, net, x32, y32, repeats);
        inferencePlanSection(r, net, x32, repeats);
        if (options.json) {
            System.out.println(toJson(r));
        }
        return 0;
    }

    /**
     * The oneDNN inference plan for 32 images at 224 in the precision in force, primitive by primitive in order
     * (medians over runs): where a batch pass spends its time, layer by layer.
     */
    private void inferencePlanSection(Map<String, Object> r, ComputationGraph net, INDArray x, int repeats) {
        try (org.inkwell.engine.ForwardEngine f = org.inkwell.engine.Engines.forward(net)) {
            if (f.engine() != org.inkwell.engine.Engine.ONEDNN) {
                return;
            }
            float[] in = x.dup('c').data().asFloat();
            int n = (int) x.size(0), h = (int) x.size(2), w = (int) x.size(3);
            List<Map<String, Double>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < Math.max(5, repeats); i++) {
                runs.add(f.profile(in, n, h, w));
            }
            r.put("plan_infer32_precision", f.precision());
            report(r, "plan_infer32", "oneDNN inference plan, 32 images at 224, " + f.precision(), runs);
        } catch (UnsupportedOperationException e) {
            System.err.println("inkwell: no inference plan profile: " + e.getMessage());
        }
    }

    /** The oneDNN training plan's pass of 8 at 224, per primitive kind (medians over runs). */
    private void planSection(Map<String, Object> r, ComputationGraph net, INDArray x, INDArray y, int repeats) {
        try (OptimizerStep planned = new OptimizerStep(net)) {
            if (planned.engine() != org.inkwell.engine.Engine.ONEDNN) {
                return;
            }
            planned.profilePass(x, y, 8);
            List<Map<String, Double>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < Math.max(3, repeats); i++) {
                runs.add(planned.profilePass(x, y, 8));
            }
            report(r, "plan_pass8", "oneDNN training plan, one pass of 8 at 224", runs);
        }
    }

    /** Each step's median over the runs, under "{prefix}_{step}_ms", their sum as "{prefix}_ms"; a table unless --json. */
    private void report(Map<String, Object> r, String prefix, String what, List<Map<String, Double>> runs) {
        Map<String, List<Double>> byStep = new LinkedHashMap<>();
        runs.forEach(run -> run.forEach((k, v) -> byStep.computeIfAbsent(k, key -> new java.util.ArrayList<>()).add(v)));
        double total = 0;
        Map<String, Double> medians = new LinkedHashMap<>();
        for (var e : byStep.entrySet()) {
            double m = median(e.getValue().stream().mapToDouble(Double::doubleValue).toArray());
            medians.put(e.getKey(), m);
            total += m;
        }
        r.put(prefix + "_ms", round(total));
        medians.forEach((k, v) -> r.put(prefix + "_" + k.replaceAll("[^a-zA-Z0-9]+", "_").replaceAll("^_|_$", "") + "_ms", round(v)));
        if (!options.json) {
            System.out.printf(Locale.ROOT, "%s (%s): %.1f ms%n", prefix, what, total);
            double sum = total;
            medians.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-40s %9.1f ms  %5.1f%%%n", k, v, 100 * v / sum));
        }
    }

    private void section(Map<String, Object> r, String name, Runnable work, int warmup, int runs) {
        double plain = median(time(work, warmup, runs));
        long t = System.nanoTime();
        List<OpProfile.OpTime> ops;
        Map<String, Long> categories;
        try (OpProfile p = OpProfile.start()) {
            for (int i = 0; i < runs; i++) {
                work.run();
            }
            ops = p.opsByInputShape();
            categories = p.byCategory();
        }
        double profiledWall = (System.nanoTime() - t) / 1e6 / runs;
        double opsTotal = categories.values().stream().mapToLong(Long::longValue).sum() / 1e6 / runs;
        r.put(name + "_ms", round(plain));
        r.put(name + "_profiled_ms", round(profiledWall));
        categories.forEach((k, v) -> r.put(name + "_" + k.replaceAll("[^a-z]+", "_").replaceAll("_$", "") + "_ms", round(v / 1e6 / runs)));
        r.put(name + "_outside_ops_ms", round(profiledWall - opsTotal));
        if (!options.json) {
            System.out.printf(Locale.ROOT, "%s: %.1f ms per call unprofiled, %.1f ms profiled%n", name, plain, profiledWall);
            categories.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-30s %9.1f ms  %5.1f%%%n", k, v / 1e6 / runs,
                    100.0 * v / 1e6 / runs / profiledWall));
            System.out.printf(Locale.ROOT, "  %-30s %9.1f ms  %5.1f%%%n", "outside ND4J ops (Java, GC)", profiledWall - opsTotal,
                    100.0 * (profiledWall - opsTotal) / profiledWall);
            System.out.println("  top ops (by first input's shape):");
            ops.stream().limit(16).forEach(o -> System.out.printf(Locale.ROOT, "    %-36s %9.1f ms  %5d calls  (%s)%n",
                    o.op(), o.nanos() / 1e6 / runs, o.calls() / runs, o.category()));
        }
    }
}
