package org.inkwell.cli;

import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.SignatureGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Writes signatures from the built-in generator as PNG files.")
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--count", defaultValue = "16", description = "Number of signatures (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--per-writer", defaultValue = "" + SignatureGenerator.DEFAULT_SAMPLES_PER_WRITER,
            description = "Specimens per generated writer (default ${DEFAULT-VALUE}).")
    int perWriter;

    @Option(names = {"-o", "--output"}, required = true, description = "Output folder.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (count < 0) {
            throw new IllegalArgumentException("--count must be >= 0");
        }
        Files.createDirectories(out);
        SignatureGenerator gen = new SignatureGenerator(seed, perWriter);
        for (int i = 0; i < count; i++) {
            GrayImage img = gen.generate(i);
            ImageFiles.writePng(img.toBufferedImage(), out.resolve(String.format("signature-%06d.png", i)));
        }
        System.out.println("wrote " + count + " signatures to " + out);
        return 0;
    }
}
