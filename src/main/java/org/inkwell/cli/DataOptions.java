package org.inkwell.cli;

import org.inkwell.data.FolderDataset;
import org.inkwell.data.SignatureSource;
import org.inkwell.data.SyntheticSignatures;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** {@code --data DIR | --synthetic N}: where signatures come from. */
final class DataOptions {
    @ArgGroup(exclusive = true)
    Choice choice;

    static final class Choice {
        @Option(names = "--data", description = "Folder of signature images (searched recursively).")
        Path folder;

        @Option(names = "--synthetic", description = "Use N signatures from the built-in generator (the default).")
        Integer synthetic;
    }

    boolean isFolder() {
        return choice != null && choice.folder != null;
    }

    int syntheticCount(int fallback) {
        return choice != null && choice.synthetic != null ? Limits.synthetic("--synthetic", choice.synthetic) : fallback;
    }

    /** Loads a folder, reporting skipped files on stderr. */
    FolderDataset folder() throws IOException {
        FolderDataset ds = FolderDataset.scan(choice.folder).validated();
        ds.failures().forEach((p, why) -> System.err.println("skipped: " + why));
        if (ds.size() == 0) {
            throw new IOException(choice.folder + ": no readable images (PNG, JPEG, BMP, GIF, TIFF, WebP, PDF) found");
        }
        return ds;
    }

    /** The files a source reads (none for the generator), so outputs can never replace them. */
    static java.util.List<Path> files(SignatureSource source) {
        java.util.List<Path> out = new java.util.ArrayList<>();
        if (source instanceof FolderDataset f) {
            for (int i = 0; i < f.size(); i++) {
                out.add(f.file(i));
            }
        }
        return out;
    }

    /** Signatures the generator makes for training when no data flag is given. */
    static final int DEFAULT_TRAINING_SET = org.inkwell.data.DataSources.DEFAULT_SYNTHETIC;

    /** The data source as a training run records it: {@code folder:/real/path} or {@code synthetic:N}. */
    String sourceSpec(int defaultSynthetic) throws IOException {
        if (isFolder()) {
            if (!java.nio.file.Files.isDirectory(choice.folder)) {
                throw new IOException(choice.folder + ": not a folder");
            }
            return "folder:" + choice.folder.toRealPath();
        }
        return "synthetic:" + syntheticCount(defaultSynthetic);
    }

    /** {train, validation} sources of a recorded spec, reporting skipped files on stderr. */
    static SignatureSource[] trainAndValidation(String spec, long seed, int validationCount) throws IOException {
        return org.inkwell.data.DataSources.trainAndValidation(spec, seed, validationCount,
                why -> System.err.println("skipped: " + why));
    }

    /** A source's images preprocessed as the seed does, with their names; unreadable ones reported and counted. */
    record Loaded(java.util.List<String> names, java.util.List<org.inkwell.data.GrayImage> images, int unreadable) {
    }

    static Loaded load(SignatureSource source, int size) {
        // Every image is held as floats at size x size: refuse before loading what cannot fit.
        Limits.inMemory("images of " + size + "x" + size, source.size(), 4L * size * size,
                "use fewer images (--synthetic, or a smaller folder) or a smaller --size");
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.List<org.inkwell.data.GrayImage> images = new java.util.ArrayList<>();
        int bad = 0;
        for (int i = 0; i < source.size(); i++) {
            try {
                images.add(org.inkwell.data.Preprocess.apply(source.load(i), org.inkwell.data.Preprocess.Mode.SEED, size));
                names.add(source.name(i));
            } catch (org.inkwell.data.ImageLoadException e) {
                System.err.println("inkwell: " + e.getMessage());
                bad++;
            }
        }
        return new Loaded(names, images, bad);
    }

    /** Images to evaluate on: the folder, or held-out generated signatures never used in training. */
    SignatureSource evaluation(long seed, int defaultSynthetic, boolean thin) throws IOException {
        if (isFolder()) {
            return folder();
        }
        int n = syntheticCount(defaultSynthetic);
        return thin ? SyntheticSignatures.thinValidationFor(seed, n) : SyntheticSignatures.validationFor(seed, n);
    }
}
