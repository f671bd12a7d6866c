package org.inkwell.cli;

import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.model.Architecture;
import org.inkwell.model.ModelMetadata;
import org.inkwell.model.ModelStore;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Small inputs the CLI corpus tests write for themselves. */
final class Fixtures {
    private Fixtures() {
    }

    /** An untrained 32x32 U-Net saved as an Inkwell model zip at {@code file}. */
    static Path tinyModel(Path file) throws Exception {
        ModelStore.save(file, Architecture.UNET.build(32, new Adam(1e-3), 1),
                new ModelMetadata(1, "test", "unet", 32, "seed", 0, "pepper:0.1", 1, "test", 0, 0, Map.of(), null, null, "now"),
                null, false);
        return file;
    }

    /** Generated signature {@code index} as {@code folder/name}. */
    static Path signaturePng(Path folder, String name, int index) throws Exception {
        Files.createDirectories(folder);
        GrayImage g = new SignatureGenerator(3).generate(index);
        return ImageFiles.writePng(g.toBufferedImage(), folder.resolve(name));
    }

    /**
     * The CLI as a child process without root's permission override where setpriv can drop it (so file permissions
     * apply as for an ordinary user), its output in {@code dir}; {out, err without blank and SLF4J lines, exit code}.
     */
    static String[] unprivileged(Path dir, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        Path setpriv = Path.of("/usr/bin/setpriv");
        if (Files.isExecutable(setpriv)) {
            cmd.addAll(java.util.List.of(setpriv.toString(), "--bounding-set=-dac_override,-dac_read_search"));
        }
        cmd.addAll(org.inkwell.ChildJvm.inkwell(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
                throw new AssertionError("CLI did not finish: " + args[0]);
            }
        } finally {
            p.destroyForcibly();
        }
        String errText = Files.readString(err).lines().filter(l -> !l.isBlank() && !l.contains("SLF4J"))
                .reduce("", (a, b) -> a + b + "\n");
        return new String[]{Files.readString(out), errText, String.valueOf(p.exitValue())};
    }
}
