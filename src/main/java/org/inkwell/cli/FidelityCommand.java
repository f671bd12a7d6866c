package org.inkwell.cli;

import org.inkwell.train.TrainingStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.PairBatch;
import org.inkwell.model.Architecture;
import org.inkwell.model.KerasImport;
import org.inkwell.model.TrainingConfig;
import org.inkwell.train.Fidelity;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "fidelity", mixinStandardHelpOptions = true,
        description = {"Checks that Inkwell trains the seed network as the seed's Keras recipe does, step by step.",
                "Exports the initial weights and a fixed sequence of batches, trains them here and in the PyTorch reference",
                "(src/bench/seed_reference.py, needs /usr/bin/python3 with torch), and compares losses and weights."})
final class FidelityCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "64", description = "Image side, a multiple of 32 (the seed used 224; default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--batch", defaultValue = "8", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "200", description = "Optimizer steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--optimizer", defaultValue = "seed-sgd", description = "seed-sgd or adam (default ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Learning rate in Keras units (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--dir", description = "Folder for the exported files (default: a temp folder).")
    Path dir;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch (default ${DEFAULT-VALUE}).")
    Path python;

    @Option(names = "--keras", defaultValue = "../shared/seed/re_binary.hdf5",
            description = "The author's Keras model, run through both implementations on the first batch (skipped when missing).")
    Path keras;

    @Option(names = "--csv", description = "Write step, Inkwell loss, reference loss as CSV (for a figure).")
    Path csv;

    @Option(names = "--jitter", defaultValue = "0", description = "Add uniform noise of this size to the inputs (breaks max-pooling ties; default ${DEFAULT-VALUE}).")
    double jitter;

    @Override
    public Integer call() throws Exception {
        Limits.size("--size", size);
        Limits.range("--batch", batch, 1, 4096);
        Limits.range("--steps", steps, 1, 1_000_000);
        // Every batch (noisy and clean) is built up front and exported.
        Limits.inMemory("training samples of " + size + "x" + size, (long) steps * batch, 8L * size * size,
                "use fewer --steps or a smaller --batch or --size");
        org.inkwell.runtime.Dl4jRuntime.init();
        org.inkwell.data.OutputPolicy policy = org.inkwell.data.OutputPolicy.strict().protect(keras);
        if (csv != null) {
            policy.check(csv, org.inkwell.data.OutputPolicy.Kind.CSV);
        }
        if (dir != null && Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": is a file, not a folder");
        }
        if (dir != null && Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(dir + ": is not empty; fidelity writes its exchange files into a new"
                            + " or empty folder, so nothing there is ever replaced");
                }
            }
        }
        TrainingConfig c = Fidelity.config(size, batch, steps, optimizer, lr);
        Path out = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("inkwell-fidelity");
        try {
            return compare(c, out, policy);
        } finally {
            if (dir == null) {
                deleteTree(out);
            }
        }
    }

    /** Removes the scratch folder this run made (regular files and folders only; links are removed, not followed). */
    private static void deleteTree(Path root) throws java.io.IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private int compare(TrainingConfig c, Path out, org.inkwell.data.OutputPolicy policy) throws Exception {
        ComputationGraph net = Architecture.SEED.build(size, TrainingStep.updater(c), c.initSeed());
        List<PairBatch> batches = Fidelity.batches(c);
        if (jitter > 0) {
            batches = Fidelity.jittered(batches, jitter);
        }
        Fidelity.export(out, c, Fidelity.params(net), batches);
        long t0 = System.nanoTime();
        Fidelity.Run run = Fidelity.train(net, batches, size);
        System.out.printf(Locale.ROOT, "Inkwell: %d steps of %s, batch %d at %dx%d in %.1f s%n", steps, optimizer, batch, size, size,
                (System.nanoTime() - t0) / 1e9);
        if (!referenceAvailable()) {
            System.out.println("reference skipped: " + python + " has no torch (apt-get install -y python3-torch)"
                    + (dir == null ? "" : "; files in " + out));
            return 0;
        }
        runReference(out, List.of());
        double[] ref = losses(out.resolve("reference.json"));
        double maxRel = 0;
        int worst = 0;
        List<String> lines = new ArrayList<>(List.of("step,inkwell,reference"));
        for (int k = 0; k < steps; k++) {
            double rel = Math.abs(run.losses()[k] - ref[k]) / Math.abs(ref[k]);
            if (rel > maxRel) {
                maxRel = rel;
                worst = k;
            }
            lines.add(String.format(Locale.ROOT, "%d,%.8f,%.8f", k + 1, run.losses()[k], ref[k]));
            if (k < 5 || k % Math.max(1, steps / 10) == 0 || k == steps - 1) {
                System.out.printf(Locale.ROOT, "  step %4d  Inkwell %.6f  reference %.6f  rel. diff %.2e%n", k + 1, run.losses()[k], ref[k], rel);
            }
        }
        System.out.printf(Locale.ROOT, "per-step loss: largest relative difference %.3e (step %d)%n", maxRel, worst + 1);
        double[] w = compare(run.finalParams(), out, "ref-", false);
        double[] s = compare(run.finalParams(), out, "ref-", true);
        System.out.printf(Locale.ROOT, "final weights (conv, BatchNorm gamma/beta): largest abs. difference %.3e, relative L2 %.3e%n", w[0], w[1]);
        System.out.printf(Locale.ROOT, "final BatchNorm running statistics: largest abs. difference %.3e, relative L2 %.3e%n", s[0], s[1]);
        // Step by step from Inkwell's own weights: the trajectories above drift at the rounding level.
        Fidelity.writeTrajectory(out.resolve("dl4j-trajectory.f32"), run.trajectory());
        runReference(out, List.of("--teacher"));
        var teacher = com.google.gson.JsonParser.parseString(Files.readString(out.resolve("teacher.json"))).getAsJsonObject();
        double maxLoss = 0;
        double maxUpdate = 0;
        double sumUpdate = 0;
        for (int k = 0; k < steps; k++) {
            double refLoss = teacher.getAsJsonArray("losses").get(k).getAsDouble();
            maxLoss = Math.max(maxLoss, Math.abs(run.losses()[k] - refLoss) / refLoss);
            double u = teacher.getAsJsonArray("update_rel_diff").get(k).getAsDouble();
            maxUpdate = Math.max(maxUpdate, u);
            sumUpdate += u;
        }
        System.out.printf(Locale.ROOT, "step by step (each step from Inkwell's weights): loss largest relative difference %.3e; "
                + "update relative L2 difference mean %.3e, largest %.3e%n", maxLoss, sumUpdate / steps, maxUpdate);
        if (csv != null) {
            String text = String.join("\n", lines) + "\n";
            policy.write(csv, org.inkwell.data.OutputPolicy.Kind.CSV, o -> o.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        if (Files.isRegularFile(keras)) {
            kerasForward(out.resolve("keras"), batches.get(0));
        }
        return 0;
    }

    /** The author's trained model through DL4J (Inkwell's import) and through the reference, same input. */
    private void kerasForward(Path dirK, PairBatch first) throws Exception {
        var imported = KerasImport.importSeed(keras).net();
        Fidelity.export(dirK, Fidelity.config(size, first.count(), 1, "adam", 1e-3), Fidelity.params(imported), List.of(first));
        float[] mine = imported.outputSingle(false, Nd4j.create(first.noisy(), new long[]{first.count(), 1, size, size}, 'c'))
                .dup('c').data().asFloat();
        runReference(dirK, List.of("--forward"));
        float[] ref = Fidelity.read(dirK.resolve("ref-forward.f32"));
        double max = 0;
        for (int i = 0; i < mine.length; i++) {
            max = Math.max(max, Math.abs(mine[i] - ref[i]));
        }
        System.out.printf(Locale.ROOT, "author's Keras model, one batch forward: largest output difference %.3e%n", max);
    }

    /** {largest abs. difference, relative L2} over trainable parameters, or over running statistics. */
    private static double[] compare(Map<String, float[]> mine, Path out, String prefix, boolean runningStats) throws Exception {
        double max = 0;
        double diff2 = 0;
        double norm2 = 0;
        for (var e : mine.entrySet()) {
            if (e.getKey().contains("running_") != runningStats) {
                continue;
            }
            float[] ref = Fidelity.read(out.resolve(prefix + e.getKey() + ".f32"));
            float[] a = e.getValue();
            for (int i = 0; i < a.length; i++) {
                double d = a[i] - ref[i];
                max = Math.max(max, Math.abs(d));
                diff2 += d * d;
                norm2 += (double) ref[i] * ref[i];
            }
        }
        return new double[]{max, Math.sqrt(diff2 / Math.max(norm2, 1e-30))};
    }

    private boolean referenceAvailable() {
        try {
            Process p = new ProcessBuilder(python.toString(), "-c", "import torch").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private String runReference(Path out, List<String> extra) throws Exception {
        Path script = Path.of("src/bench/seed_reference.py");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("run from the project folder: " + script + " not found");
        }
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(), out.toString()));
        cmd.addAll(extra);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the reference failed: " + text);
        }
        return text;
    }

    static double[] losses(Path referenceJson) throws java.io.IOException {
        var array = com.google.gson.JsonParser.parseString(Files.readString(referenceJson)).getAsJsonObject().getAsJsonArray("losses");
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsDouble();
        }
        return out;
    }
}
