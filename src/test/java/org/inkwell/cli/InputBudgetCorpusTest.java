package org.inkwell.cli;

import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.model.Architecture;
import org.inkwell.model.ModelMetadata;
import org.inkwell.model.ModelStore;
import org.inkwell.runtime.Dl4jRuntime;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #24, "every input has a time budget too": inputs a few bytes long (or a number typed on the command line)
 * that once cost hours of CPU, gigabytes of memory or a Java stack trace. Each is refused in one line that says
 * what was over which budget, in well under 20 seconds. The test builds its own corpus.
 */
class InputBudgetCorpusTest {
    /** The bound each refusal must stay within (a bound, not a performance measurement). */
    private static final long LIMIT_NANOS = 20_000_000_000L;

    @TempDir
    Path dir;

    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    /** Runs the CLI in-process and checks it ended fast. */
    private static CliTest.Run timed(String... args) {
        long t0 = System.nanoTime();
        CliTest.Run r = CliTest.run(args);
        long took = System.nanoTime() - t0;
        assertTrue(took < LIMIT_NANOS, String.join(" ", args) + " took " + took / 1_000_000 + " ms: " + r.err());
        return r;
    }

    /** Exit code {@code code}, exactly one line on stderr holding every word, and nothing that looks like a trace. */
    static void assertOneLine(CliTest.Run r, int code, String... words) {
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line on stderr: " + r.err());
        for (String w : words) {
            assertTrue(lines.get(0).contains(w), "expected '" + w + "' in: " + lines.get(0));
        }
        assertTrue(lines.get(0).startsWith("inkwell: "), lines.get(0));
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("at org.") || r.err().contains("\tat "), r.err());
        assertFalse(r.err().contains("ERROR"), "no library log lines: " + r.err());
        assertEquals(code, r.code(), r.out() + r.err());
    }

    private Path tinyModel(String name) throws Exception {
        Path m = dir.resolve(name);
        ModelStore.save(m, Architecture.UNET.build(32, new Adam(1e-3), 1),
                new ModelMetadata(1, "test", "unet", 32, "seed", 0, "pepper:0.1", 1, "test", 0, 0, Map.of(), null, null, "now"),
                null, false);
        return m;
    }

    private Path signaturePng(Path folder, String name) throws Exception {
        Files.createDirectories(folder);
        GrayImage g = new SignatureGenerator(3).generate(0);
        return ImageFiles.writePng(g.toBufferedImage(), folder.resolve(name));
    }

    // ---- (9) counts that once ran out of memory with a stack trace, or hung ----

    @Test
    void hugeCountsAreRefusedBeforeAnyWork() {
        Path out = dir.resolve("m.zip");
        assertOneLine(timed("train", "--synthetic", "2147483647", "-o", out.toString()), 2, "--synthetic", "1,000,000",
                "-Dinkwell.maxSynthetic");
        // Once the batch thread died of OutOfMemoryError here and the trainer waited for it forever.
        assertOneLine(timed("train", "--synthetic", "1000000000", "-o", out.toString()), 2, "--synthetic", "1,000,000,000");
        assertFalse(Files.exists(dir.resolve("m-checkpoints")), "refused before a checkpoint folder was made");
        assertOneLine(timed("embed", "--identity", "2147483647"), 2, "--identity");
        Path grid = dir.resolve("g.png");
        assertOneLine(timed("synth", "--count", "20000", "--grid", grid.toString()), 2, "--grid", "532", "20,000");
        assertFalse(Files.exists(grid));
        // 5.6 GB and then an index error, before.
        assertOneLine(timed("evaluate", "--size", "100000", "--method", "noisy"), 2, "--size", "2,048", "100,000");
        assertOneLine(timed("info", "--arch", "seed", "--size", "100000"), 2, "--size", "2,048");
        assertOneLine(timed("fidelity", "--size", "100000"), 2, "--size", "2,048");
    }

    /** A command that fails the way a real one does when memory runs out. */
    @CommandLine.Command(name = "exhaust")
    static final class Exhausting implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void anOutOfMemoryErrorInACommandIsOneLine() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int code = InkwellCommand.run(new Exhausting(), new PrintWriter(out, true), new PrintWriter(err, true));
        assertTrue(System.nanoTime() - t0 < LIMIT_NANOS);
        assertOneLine(new CliTest.Run(code, out.toString(), err.toString()), 2, "out of memory", "-Xmx");
    }

    // ---- (10) unclear messages ----

    @Test
    void badNumbersSayWhichOptionAndItsRange() throws Exception {
        Path in = signaturePng(dir.resolve("in"), "a.png");
        Path model = tinyModel("m.zip");
        assertOneLine(timed("denoise", in.toString(), "-o", dir.resolve("o").toString(), "--crop", "--margin", "2147483647",
                "--model", model.toString()), 2, "--margin", "20000");
        assertFalse(Files.exists(dir.resolve("o")));
        assertOneLine(timed("similar", in.toString(), "--data", in.getParent().toString(), "--k", "-1",
                "--model", model.toString()), 2, "--k", "-1");
        assertOneLine(timed("bench", "--repeats", "0"), 2, "--repeats", "0");
        assertOneLine(timed("synth", "--count", "-3", "-o", dir.resolve("s").toString()), 2, "--count");
    }

    @Test
    void aLargeMarginStillCropsToTheImage() throws Exception {
        Path in = signaturePng(dir.resolve("in"), "a.png");
        CliTest.Run r = timed("denoise", in.toString(), "-o", dir.resolve("o").toString(), "--crop", "--margin", "20000",
                "--model", tinyModel("m.zip").toString());
        assertEquals(0, r.code(), r.err());
        var written = javax.imageio.ImageIO.read(dir.resolve("o/a.png").toFile());
        var original = javax.imageio.ImageIO.read(in.toFile());
        assertEquals(original.getWidth(), written.getWidth(), "a margin past the edges keeps the whole image");
    }

    /** The CLI as a child process without root's permission override (as an ordinary user's); {out, err, code}. */
    private String[] child(String... args) throws Exception {
        Path setpriv = Path.of("/usr/bin/setpriv");
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(setpriv)) {
            cmd.addAll(List.of(setpriv.toString(), "--bounding-set=-dac_override,-dac_read_search"));
        }
        cmd.addAll(org.inkwell.ChildJvm.inkwell(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertTrue(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES), "CLI did not finish");
        } finally {
            p.destroyForcibly();
        }
        String errText = Files.readString(err).lines().filter(l -> !l.isBlank() && !l.contains("SLF4J"))
                .reduce("", (a, b) -> a + b + "\n");
        return new String[]{Files.readString(out), errText, String.valueOf(p.exitValue())};
    }

    @Test
    void anUnreadableSubfolderOfADataFolderSaysWhatItIs() throws Exception {
        Path data = dir.resolve("data");
        signaturePng(data, "a.png");
        Path locked = Files.createDirectories(data.resolve("private"));
        signaturePng(locked, "b.png");
        Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        try {
            boolean root = "root".equals(System.getProperty("user.name"));
            Assumptions.assumeTrue(!root || Files.isExecutable(Path.of("/usr/bin/setpriv")),
                    "as root, the check needs setpriv to drop the permission override");
            String[] r = child("embed", "--data", data.toString(), "--csv", dir.resolve("e.csv").toString());
            assertEquals("2", r[2], r[1]);
            assertEquals(1, r[1].lines().count(), r[1]);
            assertTrue(r[1].contains(locked.toString()) && r[1].contains("cannot read this folder")
                    && r[1].contains("permission denied"), r[1]);
            assertFalse(r[1].contains("Exception"), r[1]);
        } finally {
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }
}
