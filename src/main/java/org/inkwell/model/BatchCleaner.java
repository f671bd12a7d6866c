package org.inkwell.model;

import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.ImageLoadException;
import org.inkwell.data.IoMessages;
import org.inkwell.data.OutputPolicy;
import org.inkwell.data.OutputRefusedException;
import org.inkwell.data.RunLock;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Cleans many scans into one folder as NAME.png: the one implementation behind {@code inkwell denoise} and the
 * workbench's "Clean a folder". Bad files are reported and skipped; inputs are never replaced (an output that
 * would land on one, or on an existing file, gets a -1, -2 ... suffix unless the policy may overwrite); every write
 * goes through the {@link OutputPolicy}, and the output folder is held with a {@link RunLock} for the run.
 */
public final class BatchCleaner {
    /** How results are written. */
    /**
     * {@code crop}: keep the signature the {@link SignatureFinder} finds (all the ink when it finds none) plus
     * {@code margin}; {@code straighten}: turn it upright by the page's measured tilt.
     */
    public record Options(double threshold, boolean transparent, boolean crop, int margin, int inkRgb, boolean straighten,
                          double widthMm, double dpi, String format) {
        /** The formats results are written in: PNG, or vector outlines as SVG or PDF ({@link org.inkwell.data.VectorExport}). */
        public static final java.util.List<String> FORMATS = java.util.List.of("png", "svg", "pdf");

        public Options(double threshold, boolean transparent, boolean crop, int margin, int inkRgb, boolean straighten,
                       double widthMm, double dpi) {
            this(threshold, transparent, crop, margin, inkRgb, straighten, widthMm, dpi, "png");
        }

        public Options(double threshold, boolean transparent, boolean crop, int margin) {
            this(threshold, transparent, crop, margin, InkExport.BLACK, false);
        }

        public Options(double threshold, boolean transparent, boolean crop, int margin, int inkRgb) {
            this(threshold, transparent, crop, margin, inkRgb, false);
        }

        public Options(double threshold, boolean transparent, boolean crop, int margin, int inkRgb, boolean straighten) {
            this(threshold, transparent, crop, margin, inkRgb, straighten, 0, 0);
        }

        public Options {
            if (!FORMATS.contains(format)) {
                throw new IllegalArgumentException("--format must be one of " + String.join(", ", FORMATS) + ", got " + format);
            }
            if (!(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("threshold must be between 0 and 1");
            }
            if (!(widthMm >= 0 && widthMm <= 2000) || !(dpi >= 0 && dpi <= 2400) || (widthMm > 0 && dpi == 0)) {
                throw new IllegalArgumentException("--width-mm must be between 0 and 2000 and --dpi between 1 and 2400"
                        + " (a width needs a dpi), got " + widthMm + " mm at " + dpi + " dpi");
            }
            if (margin < 0 || margin > org.inkwell.data.ImageFiles.MAX_SIDE) {
                throw new IllegalArgumentException("--margin must be between 0 and " + org.inkwell.data.ImageFiles.MAX_SIDE
                        + " pixels (the longest side Inkwell reads), got " + margin);
            }
        }
    }

    /** The export style for one result: the signature's box and tilt from the finder when asked for (else null). */
    static InkExport.Style style(Options o, SignatureFinder.Result found, GrayImage probs) {
        if (found == null) {
            return new InkExport.Style(o.transparent(), o.inkRgb(), false, o.margin());
        }
        java.awt.Rectangle region = o.crop() ? found.withMargin(o.margin(), probs.width(), probs.height()) : null;
        return new InkExport.Style(o.transparent(), o.inkRgb(), o.crop(), o.margin(), region,
                o.straighten() ? -found.tilt() : 0);
    }

    /** Ink probability map of a grey scan (the network, after its {@link ModelInput}, on whichever thread owns it). */
    @FunctionalInterface
    public interface Reconstructor {
        GrayImage reconstruct(GrayImage scan) throws Exception;
    }

    /** Called after each file: {@code output} is null and {@code error} says why when the file failed. */
    @FunctionalInterface
    public interface Progress {
        void fileDone(int done, int total, Path input, Path output, String error);
    }

    /** NAME.png for an input NAME.ext: the name a result gets when nothing is in its way. */
    public static String outputName(Path input) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + ".png";
    }

    /** What a run did. */
    public record Summary(int cleaned, List<String> errors) {
        public int failed() {
            return errors.size();
        }
    }

    /** Files named by the user: image files as they are, folders searched (following links, each real folder once). */
    public static List<Path> collect(List<Path> inputs, List<String> errors) throws IOException {
        return collect(inputs, errors, null);
    }

    /**
     * As above; when {@code outDir} lies inside an input folder, it is not searched: earlier results there are
     * what this run replaces, not inputs (a folder cleaned into itself is still searched).
     */
    public static List<Path> collect(List<Path> inputs, List<String> errors, Path outDir) throws IOException {
        Path skip = outDir == null ? null : OutputPolicy.realTarget(outDir);
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                List<Path> found = imagesUnder(in, skip, errors);
                if (found.isEmpty()) {
                    errors.add(in + ": no images (PNG, JPEG, BMP, GIF, TIFF, WebP, PDF) in this folder");
                }
                files.addAll(found);
            } else if (Files.exists(in)) {
                files.add(in);
            } else {
                errors.add(in + ": no such file");
            }
        }
        return files;
    }

    static List<Path> imagesUnder(Path folder, Path skip, List<String> errors) throws IOException {
        List<Path> found = new ArrayList<>();
        Path root = folder.toRealPath();
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        return skip != null && !dir.equals(root) && dir.toRealPath().equals(skip)
                                ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile() && ImageFiles.hasImageExtension(file)) {
                            found.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        if (e instanceof java.nio.file.FileSystemLoopException) {
                            return FileVisitResult.CONTINUE; // a link back to a folder already searched
                        }
                        // An unreadable folder: said, and the rest is still cleaned.
                        errors.add(file + ": cannot read " + (Files.isDirectory(file) ? "this folder" : "this file")
                                + " (" + IoMessages.plain(e) + "); its images were not cleaned");
                        return FileVisitResult.CONTINUE;
                    }
                });
        found.sort(null);
        return found;
    }

    /**
     * Cleans {@code files} into {@code outDir}. The output folder is created here, after the caller has loaded its
     * model, so a model that fails leaves nothing behind.
     */
    public static Summary run(List<Path> files, Path outDir, OutputPolicy policy, Options options,
                              Reconstructor model, Progress progress, BooleanSupplier cancelled) throws IOException {
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new OutputRefusedException(outDir + ": is a file, not a folder; choose the folder to write into");
        }
        policy.protectAll(files);
        Path realOut = OutputPolicy.realTarget(outDir);
        boolean made = !Files.exists(realOut);
        try {
            Files.createDirectories(realOut);
        } catch (IOException e) {
            throw new IOException("cannot create the output folder " + outDir + " (" + IoMessages.plain(e) + ")", e);
        }
        Summary summary;
        try (RunLock lock = RunLock.folder(realOut)) {
            // A run killed mid-write left its temp files; the lock says no live run is writing them.
            OutputPolicy.removeStaleTemps(realOut, name -> name.endsWith(".png"));
            summary = cleanInto(files, realOut, policy, options, model, progress, cancelled);
        }
        if (made && summary.cleaned() == 0) {
            try (var left = Files.list(realOut)) {
                if (left.findAny().isEmpty()) {
                    Files.deleteIfExists(realOut); // nothing was written: no empty folder left behind
                }
            }
        }
        return summary;
    }

    private static Summary cleanInto(List<Path> files, Path realOut, OutputPolicy policy, Options options,
                                     Reconstructor model, Progress progress, BooleanSupplier cancelled) {
        Set<Path> taken = new HashSet<>();
        List<String> errors = new ArrayList<>();
        int cleaned = 0;
        for (int i = 0; i < files.size() && !cancelled.getAsBoolean(); i++) {
            Path f = files.get(i);
            Path written = null;
            String error = null;
            try {
                GrayImage scan = ImageFiles.readGray(f);
                GrayImage probs = model.reconstruct(scan);
                Path target = uniqueTarget(f, realOut, taken, policy, options.format());
                taken.add(target);
                SignatureFinder.Result found = options.crop() || options.straighten()
                        ? SignatureFinder.find(probs, scan, options.threshold()) : null;
                GrayImage kept = options.crop() ? found.isolate(probs, options.threshold()) : probs;
                java.awt.image.BufferedImage rendered = InkExport.render(kept, options.threshold(), style(options, found, probs));
                // Without a size or a dpi asked for, the result keeps the scan's own resolution, so it keeps the
                // signature's size on paper.
                double scanDpi = options.widthMm() == 0 && options.dpi() == 0 ? ImageFiles.sourceDpi(f) : 0;
                double mm = options.widthMm() > 0 ? options.widthMm() : InkExport.widthMm(rendered.getWidth(), scanDpi);
                written = switch (options.format()) {
                    case "svg" -> org.inkwell.data.VectorExport.writeSvg(rendered, options.inkRgb(), mm, target, policy);
                    case "pdf" -> org.inkwell.data.VectorExport.writePdf(rendered, options.inkRgb(), mm, target, policy);
                    default -> ImageFiles.writePng(InkExport.atPhysicalSize(rendered, options.widthMm(), options.dpi()), target, policy,
                            options.dpi() > 0 ? options.dpi() : scanDpi);
                };
                cleaned++;
            } catch (ImageLoadException | OutputRefusedException e) {
                error = e.getMessage();
            } catch (IOException e) {
                error = f + ": cannot write the result (" + IoMessages.plain(e) + ")";
            } catch (OutOfMemoryError e) {
                error = f + ": not enough memory to clean this image";
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                error = f + ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
            }
            if (error != null) {
                errors.add(error);
            }
            progress.fileDone(i + 1, files.size(), f, written, error);
        }
        return new Summary(cleaned, errors);
    }

    /**
     * OUTDIR/NAME.png, with -1, -2 ... when that would hit an input, another output of this run, or a file the policy
     * may not replace: any existing file without --overwrite, and a folder, special file or read-only file even with
     * it (real paths).
     */
    static Path uniqueTarget(Path input, Path realOut, Set<Path> taken, OutputPolicy policy) {
        return uniqueTarget(input, realOut, taken, policy, "png");
    }

    /** As above, for results in {@code format} (NAME.svg, NAME.pdf). */
    static Path uniqueTarget(Path input, Path realOut, Set<Path> taken, OutputPolicy policy, String format) {
        String stem = outputName(input).replaceFirst("\\.png$", "");
        OutputPolicy.Kind kind = switch (format) {
            case "svg" -> OutputPolicy.Kind.SVG;
            case "pdf" -> OutputPolicy.Kind.PDF;
            default -> OutputPolicy.Kind.PNG;
        };
        Path target = realOut.resolve(stem + "." + format);
        for (int i = 1; taken.contains(target) || !policy.mayWrite(target, kind); i++) {
            target = realOut.resolve(stem + "-" + i + "." + format);
        }
        return target;
    }
}
