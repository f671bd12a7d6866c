package org.inkwell.cli;

import org.inkwell.data.GrayImage;
import org.inkwell.data.CsvText;
import org.inkwell.data.OutputPolicy;
import org.inkwell.data.Preprocess;
import org.inkwell.data.SignatureSource;
import org.inkwell.data.SyntheticSignatures;
import org.inkwell.model.Embeddings;
import org.inkwell.model.KerasImport;
import org.inkwell.model.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Exports the bottleneck ('encoder' layer) of every image as CSV: file name, then the features.",
                "--identity N instead measures how often a generated signature's nearest neighbour is the same writer."})
final class EmbedCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Mixin
    ModelOption model;

    @Option(names = "--pool", defaultValue = "grid",
            description = "grid (each channel on a 7x7 grid, default), avg (one value per channel) or none (the flattened bottleneck).")
    String pool;

    @Option(names = "--csv", description = "CSV file to write.")
    Path csv;

    @Mixin
    OutputOptions outputs;

    @Option(names = "--identity", description = "Report nearest-neighbour writer agreement on N generated signatures (4 per writer).")
    Integer identity;

    @Option(names = "--seed-model", defaultValue = "../shared/seed/re_binary.hdf5", description = "Seed Keras model for the --identity comparison.")
    Path seedModel;

    @Override
    public Integer call() throws Exception {
        Embeddings.Pool p = switch (pool.toLowerCase(Locale.ROOT)) {
            case "avg" -> Embeddings.Pool.AVG;
            case "none" -> Embeddings.Pool.NONE;
            case "grid" -> Embeddings.Pool.GRID;
            default -> throw new IllegalArgumentException("--pool must be grid, avg or none");
        };
        if (identity != null) {
            return identityReport(identity, p);
        }
        if (csv == null) {
            throw new IllegalArgumentException("give --csv FILE (or --identity N)");
        }
        SignatureSource source = data.isFolder() ? data.folder() : new SyntheticSignatures(42, data.syntheticCount(100));
        OutputPolicy policy = outputs.policy().protectAll(DataOptions.files(source)).protect(model.path());
        policy.check(csv, OutputPolicy.Kind.CSV);
        DataOptions.Loaded loaded = DataOptions.load(source, Preprocess.SEED_SIZE);
        float[][] rows = Embeddings.embed(model.loadForFeatures().net(), loaded.images(), p);
        Table t = Table.create("embeddings", StringColumn.create("file", loaded.names()));
        int d = rows.length == 0 ? 0 : rows[0].length;
        for (int j = 0; j < d; j++) {
            float[] col = new float[rows.length];
            for (int i = 0; i < rows.length; i++) {
                col[i] = rows[i][j];
            }
            t.addColumns(FloatColumn.create("f" + j, col));
        }
        String text = CsvText.of(t);
        policy.write(csv, OutputPolicy.Kind.CSV, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        System.out.println("wrote " + rows.length + " embeddings of " + d + " values to " + csv);
        return loaded.unreadable() == 0 ? 0 : 1;
    }

    private int identityReport(int n, Embeddings.Pool p) throws Exception {
        // Four signatures per writer; every one is held at 224x224 (plus 28x28 pixels and its features).
        Limits.range("--identity", n, 8, org.inkwell.data.DataSources.MAX_SYNTHETIC);
        Limits.inMemory("signatures for --identity", n, 4L * Preprocess.SEED_SIZE * Preprocess.SEED_SIZE + 4L * 28 * 28 + 4L * 64 * 49,
                "use a smaller --identity");
        SyntheticSignatures set = SyntheticSignatures.validationFor(42, n);
        List<GrayImage> images = new ArrayList<>();
        long[] writers = new long[n];
        float[][] pixels = new float[n][];
        for (int i = 0; i < n; i++) {
            images.add(Preprocess.apply(set.load(i), Preprocess.Mode.SEED, Preprocess.SEED_SIZE));
            writers[i] = set.writer(i);
            pixels[i] = Embeddings.pixels(images.get(i), 28);
        }
        System.out.printf(Locale.ROOT, "nearest neighbour (cosine, features centred) is the same writer (%d signatures, %d writers, chance %.1f%%):%n",
                n, n / 4, 100.0 * 3 / (n - 1));
        System.out.printf(Locale.ROOT, "  raw pixels 28x28:        %.1f%%%n",
                100 * Embeddings.nearestNeighbourAgreement(Embeddings.centred(pixels), writers));
        ModelStore.StoredModel m = model.loadForFeatures();
        System.out.printf(Locale.ROOT, "  %-24s %.1f%%%n", (m.metadata() == null ? "model" : m.metadata().architecture()) + " (" + model.model + "):",
                100 * Embeddings.nearestNeighbourAgreement(Embeddings.centred(Embeddings.embed(m.net(), images, p)), writers));
        if (java.nio.file.Files.exists(seedModel)) {
            System.out.printf(Locale.ROOT, "  %-24s %.1f%%%n", "seed (imported Keras):",
                    100 * Embeddings.nearestNeighbourAgreement(
                            Embeddings.centred(Embeddings.embed(KerasImport.importSeed(seedModel).net(), images, p)), writers));
        }
        return 0;
    }
}
