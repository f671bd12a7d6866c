package org.inkwell.cli;

import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.OutputPolicy;
import org.inkwell.data.ScanDegradation;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.model.Cleaner;
import org.inkwell.model.Denoiser;
import org.inkwell.model.ModelInput;
import org.inkwell.model.ModelStore;
import org.inkwell.model.OnnxExport;
import org.inkwell.runtime.Dl4jRuntime;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Python of docs/onnx.md, taken from the page as written, cleans a generated scan with the exported models as
 * Inkwell does. Needs a Python with onnxruntime, numpy and Pillow ({@code -Dinkwell.python=PATH}, else
 * {@code $INKWELL_PYTHON}, else {@code python3}); skipped without one.
 * <p>Mutations it catches: a snippet (or page) that prepares the input otherwise than Inkwell (no flattening, another
 * window radius or border rule, zero instead of mirrored padding, another Otsu rule), reads the output as ink
 * probability, or uses another threshold; an export whose metadata or graph no longer fits the page.
 */
class OnnxSnippetTest {
    private static final Path PAGE = Path.of("docs/onnx.md");

    @TempDir
    Path dir;

    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    /** A Python that imports onnxruntime, numpy and PIL, or null. */
    static String python() {
        String p = System.getProperty("inkwell.python");
        if (p == null || p.isBlank()) {
            p = System.getenv("INKWELL_PYTHON");
        }
        if (p == null || p.isBlank()) {
            p = "python3";
        }
        try {
            return run(List.of(p, "-c", "import onnxruntime, numpy, PIL"), 60).code == 0 ? p : null;
        } catch (IOException e) {
            return null;
        }
    }

    private record Result(int code, String output) {
    }

    /** Runs a process to its end (killed after {@code seconds}), output and errors together. */
    private static Result run(List<String> command, int seconds) throws IOException {
        Path log = Files.createTempFile("inkwell-python", ".log");
        Process proc = null;
        try {
            proc = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            proc.getOutputStream().close();
            if (!proc.waitFor(seconds, TimeUnit.SECONDS)) {
                return new Result(-1, "timed out after " + seconds + " s");
            }
            return new Result(proc.exitValue(), Files.readString(log));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } finally {
            if (proc != null) {
                proc.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }

    /** The page's ```python blocks, in order. */
    static List<String> pythonBlocks() throws IOException {
        List<String> blocks = new ArrayList<>();
        StringBuilder b = null;
        for (String line : Files.readAllLines(PAGE, StandardCharsets.UTF_8)) {
            if (b == null && line.equals("```python")) {
                b = new StringBuilder();
            } else if (b != null && line.equals("```")) {
                blocks.add(b.toString());
                b = null;
            } else if (b != null) {
                b.append(line).append('\n');
            }
        }
        return blocks;
    }

    /** A generated signature scanned with every degradation; its sides are not multiples of 32 (padding is used). */
    private Path scan() throws IOException {
        GrayImage s = ScanDegradation.all(0.5, 0.5).render(new SignatureGenerator(8).generate(1), new SplittableRandom(4)).noisy();
        assertTrue(s.width() % 32 != 0 && s.height() % 32 != 0 && s.width() <= Denoiser.DEFAULT_TILE
                && s.height() <= Denoiser.DEFAULT_TILE, s.width() + "x" + s.height());
        Path png = dir.resolve("scan.png");
        ImageFiles.writePng(s.toBufferedImage(), png);
        return png;
    }

    /** Runs {@code script} on {@code model} and the scan; every pixel agrees with Inkwell's unless its probability is within 1e-3 of 0.5. */
    private void agrees(String python, String script, Path model, Cleaner inkwell, Path scan) throws Exception {
        Path py = Files.writeString(dir.resolve("clean.py"), script);
        Path out = dir.resolve("cleaned.png");
        Files.deleteIfExists(out);
        Result r = run(List.of(python, py.toString(), model.toString(), scan.toString(), out.toString()), 300);
        assertEquals(0, r.code(), r.output());
        GrayImage theirs = ImageFiles.readGray(out);
        GrayImage probs = inkwell.reconstruct(ImageFiles.readGray(scan));
        assertEquals(probs.width(), theirs.width());
        assertEquals(probs.height(), theirs.height());
        int ink = 0;
        int differ = 0;
        for (int i = 0; i < probs.pixels().length; i++) {
            float p = probs.pixels()[i];
            boolean inkwellInk = p < Denoiser.DEFAULT_THRESHOLD;
            ink += inkwellInk ? 1 : 0;
            if (inkwellInk != (theirs.pixels()[i] < 0.5f)) {
                differ++;
                assertTrue(Math.abs(p - Denoiser.DEFAULT_THRESHOLD) < 1e-3, "pixel " + i + ": Inkwell's probability " + p);
            }
        }
        System.out.printf("%s: %d ink pixels, %d differ%n", model.getFileName(), ink, differ);
        assertTrue(ink > probs.pixels().length / 100, "the scan has almost no ink: " + ink);
    }

    @Test
    void thePagesPythonCleansAsInkwellDoes() throws Exception {
        String python = python();
        Assumptions.assumeTrue(python != null, "no Python with onnxruntime, numpy and Pillow (set -Dinkwell.python)");
        List<String> blocks = pythonBlocks();
        assertEquals(2, blocks.size(), "docs/onnx.md should have the snippet and its binarize variant");
        String flatten = blocks.get(0);
        assertTrue(flatten.lines().count() <= 16, "the snippet has grown: " + flatten.lines().count() + " lines");
        Path scan = scan();

        // The bundled model (a flatten model), exported through the CLI.
        Path bundled = dir.resolve("inkwell.onnx");
        CliTest.Run e = CliTest.run("export-onnx", "-o", bundled.toString());
        assertEquals(0, e.code(), e.err());
        ModelStore.StoredModel main = ModelStore.loadBundled();
        assertEquals(ModelInput.GREY, ModelInput.of(main.metadata()));
        agrees(python, flatten, bundled, Cleaner.of(main), scan);

        // The bundled binary-input network with the page's binarize variant.
        String prepare = flatten.lines().filter(l -> l.contains("# prepare")).findFirst().orElseThrow();
        String binarize = flatten.replace(prepare, blocks.get(1).stripTrailing());
        ModelStore.StoredModel binary = ModelStore.loadBundledBinary();
        Assumptions.assumeTrue(binary != null, "this build has no bundled binary network");
        assertEquals(ModelInput.BINARY, ModelInput.of(binary.metadata()));
        Path binaryOnnx = OnnxExport.write(binary, dir.resolve("binary.onnx"), OutputPolicy.strict());
        agrees(python, binarize, binaryOnnx, new Cleaner(new Denoiser(binary.net()), ModelInput.BINARY, null), scan);
    }
}
