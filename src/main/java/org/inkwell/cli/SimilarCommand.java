package org.inkwell.cli;

import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.Preprocess;
import org.inkwell.data.SignatureSource;
import org.inkwell.model.Embeddings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "similar", mixinStandardHelpOptions = true,
        description = "Lists the signatures in a data set closest to IMAGE by cosine distance of their bottleneck features.")
final class SimilarCommand implements Callable<Integer> {
    @Parameters(paramLabel = "IMAGE", description = "The query signature.")
    Path image;

    @Mixin
    DataOptions data;

    @Mixin
    ModelOption model;

    @Option(names = "--k", defaultValue = "8", description = "How many neighbours (default ${DEFAULT-VALUE}).")
    int k;

    @Override
    public Integer call() throws Exception {
        Limits.range("--k", k, 1, org.inkwell.data.DataSources.MAX_SYNTHETIC);
        if (!data.isFolder()) {
            throw new IllegalArgumentException("give --data DIR to search");
        }
        SignatureSource source = data.folder();
        DataOptions.Loaded loaded = DataOptions.load(source, Preprocess.SEED_SIZE);
        List<String> names = loaded.names();
        List<GrayImage> images = loaded.images();
        var net = model.loadForFeatures().net();
        GrayImage query = Preprocess.apply(ImageFiles.readBinary(image), Preprocess.Mode.SEED, Preprocess.SEED_SIZE);
        List<GrayImage> all = new ArrayList<>(images);
        all.add(query);
        // Centred on the data set plus the query, as the Dataset pane does.
        float[][] withQuery = Embeddings.centred(Embeddings.embed(net, all, Embeddings.Pool.GRID));
        float[][] rows = java.util.Arrays.copyOf(withQuery, images.size());
        float[] q = withQuery[images.size()];
        int self = -1;
        for (int i = 0; i < names.size(); i++) {
            if (source instanceof org.inkwell.data.FolderDataset f
                    && f.root().resolve(names.get(i)).toAbsolutePath().normalize().equals(image.toAbsolutePath().normalize())) {
                self = i;
            }
        }
        for (Embeddings.Neighbour n : Embeddings.nearest(rows, q, self, k)) {
            System.out.printf(Locale.ROOT, "%.4f  %s%n", n.distance(), names.get(n.index()));
        }
        return 0;
    }
}
