package org.inkwell.cli;

import org.inkwell.train.OptimizerStep;
import org.inkwell.train.TrainingStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.BatchIterator;
import org.inkwell.data.GrayImage;
import org.inkwell.data.NoiseModel;
import org.inkwell.data.PairSpec;
import org.inkwell.data.PreparedImages;
import org.inkwell.data.Preprocess;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.data.SyntheticSignatures;
import org.inkwell.model.Architecture;
import org.inkwell.model.Denoiser;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.runtime.NativeAllocator;
import org.inkwell.model.ModelStore;
import org.inkwell.model.TrainingConfig;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import static org.inkwell.cli.BenchTiming.median;
import static org.inkwell.cli.BenchTiming.put;
import static org.inkwell.cli.BenchTiming.round;
import static org.inkwell.cli.BenchTiming.time;
import static org.inkwell.cli.BenchTiming.timeAlternating;
import static org.inkwell.cli.BenchTiming.toJson;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchSoakCommand.class, BenchProfileCommand.class},
        description = {"Times inference, training and the data pipeline on a fixed, warmed-up workload; also the "
                + "noise-slider round trip, an A4 page, model load time and memory, and achieved GFLOP/s against a matmul "
                + "peak measured in the same run.",
                "'bench soak N' measures memory over long use, 'bench profile' the time per ND4J op."})
final class BenchCommand implements Callable<Integer> {
    /** Runs {@code work} with the inference precision set to float32, then puts the setting back. */
    private static void inFloat32(Runnable work) {
        String before = System.getProperty(org.inkwell.engine.Precision.PROPERTY);
        System.setProperty(org.inkwell.engine.Precision.PROPERTY, "float32");
        try {
            work.run();
        } finally {
            if (before == null) {
                System.clearProperty(org.inkwell.engine.Precision.PROPERTY);
            } else {
                System.setProperty(org.inkwell.engine.Precision.PROPERTY, before);
            }
        }
    }

    /** Forward pass of the seed network on one 224x224 image, in floating-point operations (2 per multiply-add). */
    static final double SEED_FORWARD_FLOP = 1.83e9;

    @Mixin
    BenchOptions options;

    @Option(names = "--compare-pytorch", description = "Also time the same seed network in PyTorch (src/bench/pytorch_seed_bench.py, "
            + "channels-last, same threads) before and after Inkwell's runs, and report the ratios (Inkwell / PyTorch).")
    boolean comparePytorch;

    @Option(names = "--compare", description = {"--compare-pytorch, and ONNX Runtime on the same network exported to ONNX by "
            + "Inkwell (src/bench/onnxruntime_bench.py, same threads), each before and after Inkwell's runs."})
    boolean compare;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", split = ",",
            description = {"Python with torch for --compare-pytorch (default ${DEFAULT-VALUE}); several, comma-separated,",
                    "time each PyTorch (e.g. Debian's 1.13 and a venv's 2.x), keys named by version after the first."})
    java.util.List<String> pythons;

    @Option(names = "--ort-python", defaultValue = "${env:INKWELL_ORT_PYTHON:-python3}",
            description = "Python with onnxruntime and numpy for --compare (default ${DEFAULT-VALUE}; a venv from the local wheels).")
    String ortPython;

    @Option(names = "--patch", defaultValue = "96", description = "Patch side for the default-settings training step (default ${DEFAULT-VALUE}).")
    int patch;

    @Override
    public Integer call() throws Exception {
        Dl4jRuntime.init();
        String arch = options.arch;
        int repeats = options.repeats();
        if (patch < 32 || patch > 1024 || patch % 32 != 0) {
            throw new IllegalArgumentException("--patch must be a multiple of 32 between 32 and 1024, got " + patch);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        comparePytorch |= compare;
        java.util.List<com.google.gson.JsonObject> torchBefore = new java.util.ArrayList<>();
        if (comparePytorch) {
            for (String py : pythons) {
                torchBefore.add(pytorch(py));
            }
        }
        r.put("arch", arch);
        r.put("threads", Runtime.getRuntime().availableProcessors());
        r.put("onednn", Dl4jRuntime.oneDnnActive());
        r.put("allocator", NativeAllocator.state());

        // The yardstick: oneDNN's own float32 matrix multiply on these threads, in this run (ND4J's mmul, which
        // bench used to report as the peak, reaches about half of it).
        INDArray ma = Nd4j.rand(DataType.FLOAT, 2048, 2048);
        INDArray mb = Nd4j.rand(DataType.FLOAT, 2048, 2048);
        INDArray mc = Nd4j.create(DataType.FLOAT, 2048, 2048);
        double[] matmul = time(() -> ma.mmul(mb, mc), 2, repeats);
        double nd4jMatmul = 2.0 * 2048 * 2048 * 2048 / (median(matmul) / 1e3) / 1e9;
        java.util.OptionalDouble onednnPeak = org.inkwell.engine.Engines.provider(org.inkwell.engine.Engine.ONEDNN)
                .map(org.inkwell.engine.EngineProvider::gemmPeakGflops).orElse(java.util.OptionalDouble.empty());
        java.util.OptionalDouble onednnBf16Peak = org.inkwell.engine.Engines.provider(org.inkwell.engine.Engine.ONEDNN)
                .map(org.inkwell.engine.EngineProvider::bf16GemmPeakGflops).orElse(java.util.OptionalDouble.empty());

        TrainingConfig c = new TrainingConfig(arch, TrainingConfig.ADAM, 1e-3, 32, 1, 1, "seed", 224, 0, true, "pepper:0.2", 1, 1, 1);
        ComputationGraph net = Architecture.parse(arch).build(224, TrainingStep.updater(c), 1);
        INDArray x1 = Nd4j.rand(DataType.FLOAT, 1, 1, 224, 224);
        INDArray x32 = Nd4j.rand(DataType.FLOAT, 32, 1, 224, 224);
        INDArray y32 = x32.gt(0.5).castTo(DataType.FLOAT);
        // The first calls are slower (JIT compilation of DL4J's graph code, workspace sizing): not what a running app sees.
        // One image as the app runs it (the Denoiser: a oneDNN plan where the network allows), and DL4J's own pass, in turns.
        ComputationGraph onnxNet = net.clone(); // the same weights, for ONNX Runtime
        com.google.gson.JsonObject ortBefore = compare ? onnxRuntime(onnxNet) : null;
        Denoiser oneDenoiser = new Denoiser(net);
        GrayImage[] one = {new GrayImage(224, 224, x1.dup('c').data().asFloat())};
        double[][] oneVsDl4j = timeAlternating(() -> oneDenoiser.predictBatch(one), () -> net.outputSingle(false, x1), 100, repeats * 4);
        double[] infer1 = oneVsDl4j[0];
        r.put("inference_engine", oneDenoiser.engine().label());
        String precision = oneDenoiser.precision();
        r.put("inference_precision", precision);
        // The same pass in float32 (the precision setting as a user would pick it), in turns with the default.
        Denoiser oneFloat32 = new Denoiser(net);
        double[] infer1Float32 = timeAlternating(() -> oneDenoiser.predictBatch(one),
                () -> inFloat32(() -> oneFloat32.predictBatch(one)), 100, repeats * 4)[1];
        oneDenoiser.close();
        oneFloat32.close();
        // Batch 32 as the engine runs it (cache-sized passes), and in one pass, in turns.
        Denoiser batchDenoiser = new Denoiser(net);
        GrayImage[] images32 = new GrayImage[32];
        for (int i = 0; i < 32; i++) {
            images32[i] = new GrayImage(224, 224, x32.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup().data().asFloat());
        }
        double[][] passes = timeAlternating(() -> batchDenoiser.predictBatch(images32), () -> net.outputSingle(false, x32), 1, repeats);
        double[] infer32 = passes[0];
        Denoiser batchFloat32 = new Denoiser(net);
        double[] infer32Float32 = timeAlternating(() -> batchDenoiser.predictBatch(images32),
                () -> inFloat32(() -> batchFloat32.predictBatch(images32)), 1, repeats)[1];
        batchDenoiser.close();
        batchFloat32.close();
        // Training steps as the Trainer takes them (oneDNN training plans where the network allows), in one pass and
        // in passes of 8, and DL4J's own backprop in passes of 8, in turns.
        ComputationGraph dl4jNet = net.clone();
        OptimizerStep planned = new OptimizerStep(net);
        r.put("training_engine", planned.engine().label());
        double[][] plannedVsDl4j = timeAlternating(() -> planned.fit(x32, y32, 8),
                () -> TrainingStep.fit(dl4jNet, x32, y32, 8), 1, repeats);
        double[] train32Micro = plannedVsDl4j[0];
        double[] train32 = time(() -> planned.fit(x32, y32, 0), 1, repeats);
        INDArray xp = Nd4j.rand(DataType.FLOAT, 16, 1, patch, patch);
        INDArray yp = xp.gt(0.5).castTo(DataType.FLOAT);
        double[] trainPatch = time(() -> planned.fit(xp, yp, 0), 2, repeats);
        planned.close();

        SyntheticSignatures src = new SyntheticSignatures(1, 64);
        PreparedImages prepared = new PreparedImages(src, Preprocess.Mode.SEED, 224);
        for (int i = 0; i < src.size(); i++) {
            prepared.get(i);
        }
        PairSpec spec = PairSpec.seed().withNoise(NoiseModel.pepper(0.2));
        long[] k = {0};
        double[] batch = time(() -> BatchIterator.build(prepared, spec, 32, 7, k[0]++), 1, repeats);

        // The Compare pane's slider: pepper the image, run the model, turn the result into pixels for the screen.
        GrayImage sig = Preprocess.apply(new SignatureGenerator(3).generate(0), Preprocess.Mode.SEED, 224);
        Denoiser denoiser = new Denoiser(net);
        SplittableRandom rng = new SplittableRandom(1);
        double[] slider = time(() -> denoiser.clean(NoiseModel.pepper(0.3).apply(sig, rng), 0.5).toBufferedImage(), 3, repeats * 4);
        denoiser.close();

        long t0 = System.nanoTime();
        boolean bundled = true;
        ModelStore.StoredModel bundledModel = null;
        try {
            bundledModel = ModelStore.loadBundled();
        } catch (Exception e) {
            bundled = false;
        }
        double loadMs = (System.nanoTime() - t0) / 1e6;
        if (bundledModel != null) {
            // What a user waits for: an A4 page at 300 dpi with three signatures, the bundled model, compute only.
            GrayImage page = a4Page();
            org.inkwell.model.Cleaner pageCleaner = org.inkwell.model.Cleaner.of(bundledModel);
            double[] pageMs = time(() -> pageCleaner.reconstruct(page), 1, Math.max(2, repeats / 2));
            put(r, "page_a4_ms", pageMs);
            r.put("page_a4_tiles", pageCleaner.tilesFor(page.width(), page.height()));
            // The same page under the seed's pepper at about 20 % (a grey scan): no blank tile to skip, and the pepper
            // specialist, whose views are held to Cleaner.VIEW_TILE_BUDGET.
            GrayImage peppered = org.inkwell.data.DeviceDegradation.only(0.45,
                    org.inkwell.data.DeviceDegradation.Phenomenon.DARK_PEPPER).render(page, new SplittableRandom(5)).noisy();
            put(r, "page_a4_pepper_ms", time(() -> pageCleaner.reconstruct(peppered), 1, 2));
            r.put("page_a4_pepper_network", pageCleaner.lastEngine());
            // A 12-megapixel phone photo of a signed form, the whole path Compare takes: decode the JPEG, turn it
            // upright, grey, flatten, the network (at its working resolution), find the signature.
            org.inkwell.data.FormPhotos.Photo photo = org.inkwell.data.FormPhotos.render(7, 10, 20, 4000, 3000);
            java.nio.file.Path jpeg = java.nio.file.Files.createTempFile("inkwell-bench-photo", ".jpg");
            try {
                java.nio.file.Files.write(jpeg, photo.jpeg());
                double[] photoMs = time(() -> {
                    try {
                        GrayImage scan = org.inkwell.data.ImageFiles.readGray(jpeg);
                        org.inkwell.model.SignatureFinder.find(pageCleaner.reconstruct(scan), scan, 0.5);
                    } catch (org.inkwell.data.ImageLoadException e) {
                        throw new IllegalStateException(e);
                    }
                }, 2, Math.max(3, repeats / 2)); // two warm-ups: the finder's and the resampling's code is compiled by then
                put(r, "photo_12mp_ms", photoMs);
                r.put("photo_12mp_working_scale", round(org.inkwell.model.Cleaner.workingScale(
                        org.inkwell.data.ImageFiles.readGray(jpeg))));
            } finally {
                java.nio.file.Files.deleteIfExists(jpeg);
                pageCleaner.close();
            }
        }

        put(r, "infer1_ms", infer1);
        put(r, "infer1_dl4j_ms", oneVsDl4j[1]);
        put(r, "infer32_ms", infer32);
        put(r, "infer32_one_pass_ms", passes[1]);
        put(r, "infer1_float32_ms", infer1Float32);
        put(r, "infer32_float32_ms", infer32Float32);
        put(r, "train32_ms", train32);
        put(r, "train32_micro8_ms", train32Micro);
        put(r, "train32_dl4j_micro8_ms", plannedVsDl4j[1]);
        put(r, "train_patch" + patch + "_batch16_ms", trainPatch);
        put(r, "pipeline_batch32_ms", batch);
        r.put("pipeline_pairs_per_s", round(32_000.0 / median(batch)));
        r.put("trainer_pairs_per_s", round(32_000.0 / Math.min(median(train32), median(train32Micro))));
        put(r, "slider_ms", slider);
        r.put("model_load_ms", bundled ? round(loadMs) : "no bundled model");
        r.put("nd4j_matmul_gflops", round(nd4jMatmul));
        if (onednnPeak.isPresent()) {
            r.put("onednn_gemm_peak_gflops", round(onednnPeak.getAsDouble()));
        }
        if (onednnBf16Peak.isPresent()) {
            r.put("onednn_bf16_gemm_peak_gflops", round(onednnBf16Peak.getAsDouble()));
        }
        if (arch.equals("seed")) {
            double infer32Gflops = 32 * SEED_FORWARD_FLOP / (median(infer32) / 1e3) / 1e9;
            // A training step is about three forward passes (forward, input and weight gradients).
            // The faster of the whole-batch and micro-batched step: the one a user would run.
            double train32Gflops = 3 * 32 * SEED_FORWARD_FLOP / (Math.min(median(train32), median(train32Micro)) / 1e3) / 1e9;
            double infer32Float32Gflops = 32 * SEED_FORWARD_FLOP / (median(infer32Float32) / 1e3) / 1e9;
            r.put("infer32_gflops", round(infer32Gflops));
            r.put("infer32_float32_gflops", round(infer32Float32Gflops));
            r.put("train32_gflops", round(train32Gflops));
            if (onednnPeak.isPresent()) {
                // Each pass against the peak of its own number format: bfloat16 against oneDNN's bfloat16 product.
                java.util.OptionalDouble own = precision.equals("bfloat16") ? onednnBf16Peak : onednnPeak;
                if (own.isPresent()) {
                    r.put("infer32_efficiency", round(infer32Gflops / own.getAsDouble()));
                }
                r.put("infer32_float32_efficiency", round(infer32Float32Gflops / onednnPeak.getAsDouble()));
                r.put("train32_efficiency", round(train32Gflops / onednnPeak.getAsDouble()));
            }
            // The figures above count the network's own operations. The plans fold each upsampling into the
            // convolution after it (4 taps a pixel, not 9; the 16-phase output layer counts its zero taps): what the
            // CPU executes is fewer operations, and its share of the peak is how well the CPU is used. Each precision
            // has its own plan, so each its own count.
            java.util.OptionalLong executed;
            java.util.OptionalLong[] executedF32 = new java.util.OptionalLong[1];
            try (org.inkwell.engine.ForwardEngine f = org.inkwell.engine.Engines.forward(net);
                 org.inkwell.engine.ForwardEngine f32 = org.inkwell.engine.Engines.forward(net)) {
                executed = f.executedFlops(1, 224, 224);
                inFloat32(() -> executedF32[0] = f32.executedFlops(1, 224, 224));
            }
            if (executed.isPresent() && executedF32[0].isPresent()) {
                double perImage = executed.getAsLong();
                r.put("seed_forward_gflop", round(SEED_FORWARD_FLOP / 1e9));
                r.put("seed_forward_executed_gflop", round(perImage / 1e9));
                r.put("seed_forward_float32_executed_gflop", round(executedF32[0].getAsLong() / 1e9));
                double executedFloat32 = 32 * executedF32[0].getAsLong() / (median(infer32Float32) / 1e3) / 1e9;
                double executedAuto = 32 * perImage / (median(infer32) / 1e3) / 1e9;
                r.put("infer32_executed_gflops", round(executedAuto));
                r.put("infer32_float32_executed_gflops", round(executedFloat32));
                if (onednnPeak.isPresent()) {
                    java.util.OptionalDouble own = precision.equals("bfloat16") ? onednnBf16Peak : onednnPeak;
                    if (own.isPresent()) {
                        r.put("infer32_executed_efficiency", round(executedAuto / own.getAsDouble()));
                    }
                    r.put("infer32_float32_executed_efficiency", round(executedFloat32 / onednnPeak.getAsDouble()));
                }
            }
        }
        if (comparePytorch) {
            // PyTorch ran just before and just after Inkwell's runs: its time is the mean of the two.
            double step = Math.min(median(train32), median(train32Micro));
            for (int i = 0; i < pythons.size(); i++) {
                com.google.gson.JsonObject torchAfter = pytorch(pythons.get(i));
                String framework = torchAfter.get("framework").getAsString();
                // The first PyTorch keeps the plain keys; others are named by version ("pytorch_2_13").
                String key = i == 0 ? "pytorch" : "pytorch_" + framework.replaceAll("^\\D*(\\d+)\\.(\\d+).*$", "$1_$2");
                String suffix = i == 0 ? "" : "_" + key;
                r.put(key, framework + ", channels-last, " + torchAfter.get("threads") + " threads");
                double pyInfer1 = mean(torchBefore.get(i), torchAfter, "infer1_ms");
                double pyInfer32 = mean(torchBefore.get(i), torchAfter, "infer32_ms");
                double pyTrain32 = mean(torchBefore.get(i), torchAfter, "train32_ms");
                r.put(key + "_infer1_ms", round(pyInfer1));
                r.put(key + "_infer32_ms", round(pyInfer32));
                r.put(key + "_train32_ms", round(pyTrain32));
                r.put("ratio_infer1" + suffix, round(median(infer1) / pyInfer1));
                r.put("ratio_infer32" + suffix, round(median(infer32) / pyInfer32));
                r.put("ratio_train32" + suffix, round(step / pyTrain32));
            }
            r.put("ratio_train32_uses", median(train32Micro) < median(train32) ? "passes of 8" : "one pass");
        }
        if (compare) {
            com.google.gson.JsonObject ortAfter = onnxRuntime(onnxNet);
            r.put("onnxruntime", ortAfter.get("framework").getAsString() + ", " + ortAfter.get("threads") + " threads");
            double ort1 = mean(ortBefore, ortAfter, "infer1_ms");
            double ort32 = mean(ortBefore, ortAfter, "infer32_ms");
            r.put("onnxruntime_infer1_ms", round(ort1));
            r.put("onnxruntime_infer32_ms", round(ort32));
            r.put("ratio_infer1_onnxruntime", round(median(infer1) / ort1));
            r.put("ratio_infer32_onnxruntime", round(median(infer32) / ort32));
        }
        Runtime rt = Runtime.getRuntime();
        r.put("heap_used_mb", round((rt.totalMemory() - rt.freeMemory()) / 1e6));
        r.put("workspaces_mb", round(Dl4jRuntime.workspaceBytes() / 1e6));
        r.put("process_rss_mb", round(Pointer.physicalBytes() / 1e6));
        if (options.json) {
            System.out.println(toJson(r));
        } else {
            r.forEach((key, v) -> System.out.printf(Locale.ROOT, "%-30s %s%n", key, v));
        }
        return 0;
    }

    /** ONNX Runtime on {@code net} exported by Inkwell, in a Python process of its own; its JSON line. */
    private com.google.gson.JsonObject onnxRuntime(ComputationGraph net) throws Exception {
        java.nio.file.Path model = java.nio.file.Files.createTempFile("inkwell-bench", ".onnx");
        try {
            java.nio.file.Files.write(model, org.inkwell.model.OnnxExport.toModel(net, null, null).toByteArray());
            Process p = new ProcessBuilder(ortPython, "src/bench/onnxruntime_bench.py", model.toString(), "--threads",
                    String.valueOf(Runtime.getRuntime().availableProcessors()), "--repeats", String.valueOf(options.repeats))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("the ONNX Runtime side failed (run from the project folder, --ort-python "
                        + "with onnxruntime and numpy): " + out.strip().lines().reduce((a, b) -> b).orElse(""));
            }
            return com.google.gson.JsonParser.parseString(out.strip().lines().reduce((a, b) -> b).orElse("{}")).getAsJsonObject();
        } finally {
            java.nio.file.Files.deleteIfExists(model);
        }
    }

    private com.google.gson.JsonObject pytorch(String python) throws Exception {
        Process p = new ProcessBuilder(python, "src/bench/pytorch_seed_bench.py", "--threads",
                String.valueOf(Runtime.getRuntime().availableProcessors()), "--channels-last", "--repeats", String.valueOf(options.repeats))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the PyTorch side failed (run from the project folder, with torch installed): " + out);
        }
        String last = out.strip().lines().reduce((a, b) -> b).orElse("{}");
        return com.google.gson.JsonParser.parseString(last).getAsJsonObject();
    }

    private static double mean(com.google.gson.JsonObject a, com.google.gson.JsonObject b, String key) {
        return (a.get(key).getAsDouble() + b.get(key).getAsDouble()) / 2;
    }

    /**
     * A grey 2480x3508 page (A4 at 300 dpi) as a scanner delivers it: off-white paper with sensor noise and three
     * generated signatures drawn three times larger in dark grey ink.
     */
    static GrayImage a4Page() {
        float[] px = new float[2480 * 3508];
        SplittableRandom noise = new SplittableRandom(3);
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (0.93 + 0.01 * noise.nextGaussian());
        }
        GrayImage page = new GrayImage(2480, 3508, px);
        SignatureGenerator gen = new SignatureGenerator(11);
        int[][] at = {{250, 500}, {1300, 2700}, {250, 3000}};
        for (int k = 0; k < at.length; k++) {
            GrayImage sig = gen.generate(k);
            for (int y = 0; y < sig.height() * 3; y++) {
                for (int x = 0; x < sig.width() * 3; x++) {
                    if (sig.get(x / 3, y / 3) < 0.5f && at[k][0] + x < 2480 && at[k][1] + y < 3508) {
                        page.set(at[k][0] + x, at[k][1] + y, 0.18f);
                    }
                }
            }
        }
        return page;
    }
}
