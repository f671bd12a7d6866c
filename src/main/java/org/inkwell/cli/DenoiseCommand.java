package org.inkwell.cli;

import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.ImageLoadException;
import org.inkwell.model.Denoiser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "denoise", mixinStandardHelpOptions = true,
        description = {"Cleans scans at full resolution and writes NAME.png per input into OUTDIR.",
                "Inputs are never overwritten; a bad input is reported and the rest still cleaned (exit code 1)."})
final class DenoiseCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "IN", description = "Image files or folders (searched recursively).")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUTDIR", description = "Output folder.")
    Path outDir;

    @Mixin
    ModelOption model;

    @Option(names = "--threshold", defaultValue = "0.5", description = "Paper probability below which a pixel is ink (default ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--transparent", description = "Write ink on a transparent background.")
    boolean transparent;

    @Option(names = "--crop", description = "Trim the result to the ink plus a margin.")
    boolean crop;

    @Option(names = "--margin", defaultValue = "8", description = "Margin in pixels for --crop (default ${DEFAULT-VALUE}).")
    int margin;

    @Override
    public Integer call() throws Exception {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("--threshold must be between 0 and 1");
        }
        List<Path> files = new ArrayList<>();
        int failures = 0;
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    s.filter(p -> Files.isRegularFile(p) && ImageFiles.hasImageExtension(p)).sorted().forEach(files::add);
                }
            } else if (Files.exists(in)) {
                files.add(in);
            } else {
                System.err.println("inkwell: " + in + ": no such file");
                failures++;
            }
        }
        Files.createDirectories(outDir);
        Set<Path> protectedPaths = new HashSet<>();
        for (Path f : files) {
            protectedPaths.add(f.toAbsolutePath().normalize());
        }
        Denoiser denoiser = new Denoiser(model.load().net());
        int cleaned = 0;
        for (Path f : files) {
            try {
                GrayImage clean = denoiser.clean(ImageFiles.readBinary(f), threshold);
                if (crop) {
                    clean = Denoiser.cropToInk(clean, margin);
                }
                Path target = uniqueTarget(f, protectedPaths);
                ImageFiles.writePng(transparent ? clean.toTransparentImage() : clean.toBufferedImage(), target);
                protectedPaths.add(target.toAbsolutePath().normalize());
                System.out.println(f + " -> " + target);
                cleaned++;
            } catch (ImageLoadException e) {
                System.err.println("inkwell: " + e.getMessage());
                failures++;
            } catch (IOException e) {
                System.err.println("inkwell: " + f + ": cannot write result (" + e.getMessage() + ")");
                failures++;
            } catch (OutOfMemoryError e) {
                System.err.println("inkwell: " + f + ": not enough memory to clean this image");
                failures++;
            }
        }
        System.out.println("cleaned " + cleaned + " of " + (cleaned + failures) + " inputs into " + outDir);
        return failures == 0 ? 0 : 1;
    }

    /** OUTDIR/NAME.png, with -1, -2 ... when that would hit an input or another output of this run. */
    private Path uniqueTarget(Path input, Set<Path> taken) {
        String stem = TrainCommand.stem(input.getFileName().toString());
        Path target = outDir.resolve(stem + ".png");
        for (int i = 1; taken.contains(target.toAbsolutePath().normalize()); i++) {
            target = outDir.resolve(stem + "-" + i + ".png");
        }
        return target;
    }
}
