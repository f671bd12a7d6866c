package org.inkwell.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A training run's data source as one string saved in its checkpoints ({@code synthetic:N} or
 * {@code folder:/real/path}), so a resumed run reads exactly the same data in the CLI and the workbench.
 */
public final class DataSources {
    /** Signatures the generator makes for training when nothing else is chosen (older checkpoints too). */
    public static final int DEFAULT_SYNTHETIC = 1000;
    /**
     * Most signatures a run may ask the generator for: the shuffle order alone takes 4 bytes each and every image
     * seen is kept packed (6 KB at 224x224), so a billion would exhaust memory on the batch thread.
     */
    public static final int MAX_SYNTHETIC = Integer.getInteger("inkwell.maxSynthetic", 1_000_000);

    private DataSources() {
    }

    public static String specOf(SignatureSource source) throws IOException {
        if (source instanceof FolderDataset f) {
            return "folder:" + f.root().toRealPath();
        }
        return "synthetic:" + source.size();
    }

    /** {train, validation}: a folder split 90/10, or generated signatures with a held-out validation set. */
    public static SignatureSource[] trainAndValidation(String spec, long seed, int validationCount,
                                                       Consumer<String> skipped) throws IOException {
        String s = spec == null ? "synthetic:" + DEFAULT_SYNTHETIC : spec;
        if (s.startsWith("folder:")) {
            Path folder = Path.of(s.substring("folder:".length()));
            FolderDataset ds = FolderDataset.scan(folder).validated();
            ds.failures().values().forEach(skipped);
            if (ds.size() == 0) {
                throw new IOException(folder + ": no readable images (PNG, JPEG, BMP, GIF, TIFF, WebP, PDF) found");
            }
            return ds.split(0.1);
        }
        if (s.startsWith("spark:")) {
            throw new IllegalArgumentException("this run read its images from " + s.substring("spark:".length())
                    + " on Spark; continue it with spark-train --resume");
        }
        if (s.startsWith("synthetic:")) {
            int n;
            try {
                n = Integer.parseInt(s.substring("synthetic:".length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("damaged data source '" + spec + "'");
            }
            if (n < 1 || n > MAX_SYNTHETIC) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                        "--synthetic must be between 1 and %,d, got %,d (raise -Dinkwell.maxSynthetic for more)", MAX_SYNTHETIC, n));
            }
            return new SignatureSource[]{new SyntheticSignatures(seed, n), SyntheticSignatures.validationFor(seed, validationCount)};
        }
        throw new IllegalArgumentException("unknown data source '" + spec + "'");
    }
}
