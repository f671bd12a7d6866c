package org.inkwell.cli;

import org.inkwell.data.ImageFiles;
import org.inkwell.data.ImageLoadException;
import org.inkwell.data.OutputPolicy;
import org.inkwell.model.BatchCleaner;
import org.inkwell.model.Cleaner;
import org.inkwell.model.InkExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "denoise", mixinStandardHelpOptions = true,
        description = {"Cleans scans at full resolution and writes NAME.png per input into OUTDIR.",
                "Inputs and existing files are never overwritten (NAME-1.png is written instead; --overwrite replaces",
                "existing results); a bad input is reported and the rest still cleaned (exit code 1)."})
final class DenoiseCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "IN", description = "Image files or folders (searched recursively).")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUTDIR",
            description = {"Output folder; or, for one input image, the file to write (a name ending in .png, .svg or .pdf",
                    "that is not a folder)."})
    Path outDir;

    @Mixin
    ModelOption model;

    @Option(names = "--threshold", defaultValue = "0.5", description = "Paper probability below which a pixel is ink (default ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--transparent", description = "Write ink on a transparent background (smooth alpha at stroke edges).")
    boolean transparent;

    @Option(names = "--ink-colour", defaultValue = "black", description = "Ink colour of the result: black, blue or #RRGGBB (default ${DEFAULT-VALUE}).")
    String inkColour;

    @Option(names = "--crop", description = {"Keep just the signature plus a margin: printed text and lines, stamps,",
            "specks and the page edge are left out (all the ink when no signature is found)."})
    boolean crop;

    @Option(names = "--straighten", description = "Turn the result upright by the page's measured tilt (up to 8 degrees).")
    boolean straighten;

    @Option(names = "--width-mm", defaultValue = "0", paramLabel = "MM",
            description = "Write the result this many millimetres wide at --dpi (the height in proportion; 0: as cleaned).")
    double widthMm;

    @Option(names = "--format", defaultValue = "png", paramLabel = "png|svg|pdf",
            description = "png (default), or smooth vector outlines of the same result as svg or pdf (NAME.svg, NAME.pdf).")
    String format;

    @Option(names = "--dpi", defaultValue = "0", description = {"Resolution recorded in the PNG (pHYs), so documents place it",
            "at its physical size; with --width-mm, the resolution it is resized to (default: 300 with --width-mm, else none)."})
    double dpi;

    @Option(names = "--margin", defaultValue = "8", description = "Margin in pixels for --crop and --straighten (default ${DEFAULT-VALUE}).")
    int margin;

    @Mixin
    OutputOptions outputs;

    /** True while cleaning into the private folder of {@code -o FILE}: its paths are not the user's to read. */
    private boolean intoFile;

    @Override
    public Integer call() throws Exception {
        Path single = singleFile();
        if (single != null) {
            return cleanOneInto(single);
        }
        BatchCleaner.Options options = new BatchCleaner.Options(threshold, transparent, crop, margin, InkExport.parseColour(inkColour),
                straighten, widthMm, widthMm > 0 && dpi == 0 ? 300 : dpi, format.toLowerCase(java.util.Locale.ROOT));
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new IllegalArgumentException(outDir + ": is a file, not a folder; -o takes the folder to write into"
                    + " (or, for one input image, a new .png, .svg or .pdf file)");
        }
        List<String> errors = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        // Headers first: what is over the size budget is refused before the model loads.
        for (Path f : BatchCleaner.collect(inputs, errors, outDir)) {
            try {
                ImageFiles.probe(f);
                files.add(f);
            } catch (ImageLoadException e) {
                errors.add(e.getMessage());
            }
        }
        errors.forEach(e -> System.err.println("inkwell: " + e));
        if (files.isEmpty()) {
            System.out.println("cleaned 0 of " + errors.size() + " inputs");
            return 1;
        }
        // The model first: a model that fails to load leaves no output folder behind.
        if (Files.isDirectory(outDir)) {
            // Another run writing there is refused now, not after the model has loaded.
            org.inkwell.data.RunLock.folder(outDir).close();
        }
        Cleaner cleaner = Cleaner.of(model.load());
        OutputPolicy policy = outputs.policy().protect(model.path());
        // A page takes seconds: on a terminal, say how far its tiles are.
        boolean terminal = System.console() != null;
        BatchCleaner.Summary summary = BatchCleaner.run(files, outDir, policy, options, scan -> cleaner.reconstruct(scan,
                        (done, total) -> {
                            if (terminal && total > 1) {
                                System.err.print(done == total ? "\r" + " ".repeat(40) + "\r" : "\r  tile " + done + " of " + total + " ");
                            }
                        }),
                (done, total, in, out, error) -> {
                    if (error != null) {
                        System.err.println("inkwell: " + error);
                    } else if (intoFile) {
                        return;
                    } else if (!out.getFileName().toString().equals(BatchCleaner.outputName(in))) {
                        System.out.println(in + " -> " + out + " (" + BatchCleaner.outputName(in)
                                + " is taken: an input, another result, or an existing file; --overwrite replaces existing files)");
                    } else {
                        System.out.println(in + " -> " + out);
                    }
                }, () -> false);
        int failures = errors.size() + summary.failed();
        if (intoFile) {
            return failures == 0 ? 0 : 1;
        }
        System.out.println("cleaned " + summary.cleaned() + " of " + (summary.cleaned() + failures) + " inputs into " + outDir);
        return failures == 0 ? 0 : 1;
    }

    /**
     * {@code -o clean.png} with one input image: the file to write, not a folder (what a user means). The format
     * follows the name's extension; a {@code --format} that says otherwise is refused. Null for a folder.
     */
    private Path singleFile() {
        String name = outDir.getFileName() == null ? "" : outDir.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String ext = name.endsWith(".png") ? "png" : name.endsWith(".svg") ? "svg" : name.endsWith(".pdf") ? "pdf" : null;
        if (ext == null || Files.isDirectory(outDir) || inputs.size() != 1 || Files.isDirectory(inputs.get(0))) {
            return null;
        }
        String asked = format.toLowerCase(java.util.Locale.ROOT);
        if (!asked.equals("png") && !asked.equals(ext)) {
            throw new IllegalArgumentException("-o " + outDir.getFileName() + " is a ." + ext + " file but --format says "
                    + asked + "; name the file ." + asked + " or leave --format out");
        }
        format = ext;
        return outDir;
    }

    /**
     * Cleans the one input into a private folder beside {@code target}, then writes {@code target} from it
     * atomically under the same rules as every output (never an input or another kind of file; an existing one only
     * with --overwrite). The private folder is removed whatever happens.
     */
    private int cleanOneInto(Path target) throws Exception {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        OutputPolicy.Kind kind = switch (format) {
            case "svg" -> OutputPolicy.Kind.SVG;
            case "pdf" -> OutputPolicy.Kind.PDF;
            default -> OutputPolicy.Kind.PNG;
        };
        OutputPolicy policy = outputs.policy().protect(inputs.get(0));
        policy.check(target, kind); // refused before any work
        Path tmp = Files.createTempDirectory(parent, ".inkwell-denoise-");
        try {
            Path saved = outDir;
            outDir = tmp;
            intoFile = true;
            int code;
            try {
                code = call();
            } finally {
                outDir = saved;
                intoFile = false;
            }
            try (var made = Files.list(tmp)) {
                Path result = made.filter(p -> !p.getFileName().toString().startsWith(".")).findFirst().orElse(null);
                if (result == null) {
                    return code == 0 ? 1 : code;
                }
                Path written = policy.write(target, kind, out -> Files.copy(result, out));
                System.out.println(inputs.get(0) + " -> " + written);
            }
            return code;
        } finally {
            try (var left = Files.walk(tmp)) {
                for (Path p : left.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
