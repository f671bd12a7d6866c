package org.inkwell.cli;

import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.OutputPolicy;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.model.Architecture;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.model.ModelMetadata;
import org.inkwell.model.ModelStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    /** Runs the CLI capturing System.out/err (commands print there) and picocli's writers. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream oldOut = System.out;
        java.io.PrintStream oldErr = System.err;
        StringWriter pOut = new StringWriter();
        StringWriter pErr = new StringWriter();
        int code;
        try {
            System.setOut(new java.io.PrintStream(out, true));
            System.setErr(new java.io.PrintStream(err, true));
            code = InkwellCommand.run(new PrintWriter(pOut, true), new PrintWriter(pErr, true), args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(code, out + pOut.toString(), err + pErr.toString());
    }

    private Path tinyModel() throws Exception {
        Path m = dir.resolve("tiny.zip");
        ModelStore.save(m, Architecture.UNET.build(64, new Adam(1e-3), 1),
                new ModelMetadata(1, "test", "unet", 64, "seed", 0, "pepper:0.1", 1, "test", 0, 0, Map.of(), null, null, "now"),
                null, false);
        return m;
    }

    @Test
    void infoPrintsTheSeedLayerTableAndParameterCount() {
        Run r = run("info", "--arch", "seed");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("trainable parameters: 308593"), r.out());
        assertTrue(r.out().contains("encoder"));
    }

    @Test
    void everyCommandSummaryInTheHelpIsAWholeSentence() {
        var cl = new picocli.CommandLine(new InkwellCommand());
        for (var e : cl.getSubcommands().entrySet()) {
            String[] description = e.getValue().getCommandSpec().usageMessage().description();
            assertTrue(description.length > 0, e.getKey());
            // The command list shows only the first line: it must not stop mid-sentence.
            assertTrue(description[0].endsWith(".") || e.getKey().equals("help"), e.getKey() + ": " + description[0]);
        }
    }

    @Test
    void synthWritesDeterministicPngs() throws Exception {
        Run r = run("synth", "--count", "3", "--seed", "9", "-o", dir.resolve("s").toString());
        assertEquals(0, r.code(), r.err());
        GrayImage first = ImageFiles.readBinary(dir.resolve("s/signature-000000.png"));
        assertEquals(new SignatureGenerator(9).generate(0), first);
        try (var s = Files.list(dir.resolve("s"))) {
            assertEquals(3, s.count());
        }
    }

    @Test
    void denoiseCleansGoodInputsReportsBadOnesAndNeverOverwritesInputs() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        SignatureGenerator gen = new SignatureGenerator(4);
        ImageFiles.writePng(gen.generate(0).toBufferedImage(), in.resolve("a.png"));
        javax.imageio.ImageIO.write(gen.generate(1).toBufferedImage(), "bmp", in.resolve("a.bmp").toFile());
        Files.writeString(in.resolve("broken.png"), "not an image");
        byte[] before = Files.readAllBytes(in.resolve("a.png"));

        Run r = run("denoise", in.toString(), "-o", in.toString(), "--model", tinyModel().toString(), "--transparent", "--crop");
        assertEquals(1, r.code());
        List<String> errLines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, errLines.size(), r.err());
        assertTrue(errLines.get(0).contains("broken.png"));
        assertFalse(r.err().contains("Exception"), "no stack traces: " + r.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(in.resolve("a.png"))), "input untouched");
        // a.png is an input, so its output is a-1.png; a.bmp's then takes a-2.png.
        assertTrue(Files.exists(in.resolve("a-1.png")));
        assertTrue(Files.exists(in.resolve("a-2.png")));
        assertTrue(javax.imageio.ImageIO.read(in.resolve("a-1.png").toFile()).getColorModel().hasAlpha());
    }

    @Test
    void denoiseCropKeepsJustTheSignatureOfAPhotographedForm() throws Exception {
        // A phone photo of a signed form (printed text and lines, dust, shadow, tilt, JPEG), cleaned by the bundled
        // model: --crop keeps the signature the finder finds, not the page's printed text or its edge.
        org.inkwell.data.FormPhotos.Photo photo = org.inkwell.data.FormPhotos.render(7, 6, 10, 1400, 1000);
        Path in = Files.createDirectories(dir.resolve("photos")).resolve("form.jpg");
        Files.write(in, photo.jpeg());
        Run r = run("denoise", in.toString(), "-o", dir.resolve("out").toString(), "--crop", "--margin", "6");
        assertEquals(0, r.code(), r.err());
        java.awt.image.BufferedImage out = javax.imageio.ImageIO.read(dir.resolve("out/form.png").toFile());
        java.awt.Rectangle truth = photo.signature();
        assertTrue(out.getWidth() >= truth.width && out.getWidth() <= truth.width * 1.25 + 12,
                out.getWidth() + " wide for a signature " + truth.width + " wide");
        assertTrue(out.getHeight() >= truth.height - 4 && out.getHeight() <= truth.height * 1.25 + 12,
                out.getHeight() + " high for a signature " + truth.height + " high");

        // Straightened: turned by the page's tilt, so the box no longer holds the tilted page's corners.
        Run s = run("denoise", in.toString(), "-o", dir.resolve("straight").toString(), "--crop", "--straighten", "--margin", "6");
        assertEquals(0, s.code(), s.err());
        java.awt.image.BufferedImage st = javax.imageio.ImageIO.read(dir.resolve("straight/form.png").toFile());
        assertTrue(st.getWidth() <= out.getWidth() + 4 && st.getHeight() <= out.getHeight() + 4,
                st.getWidth() + "x" + st.getHeight() + " straightened vs " + out.getWidth() + "x" + out.getHeight());
    }

    @Test
    void denoiseWritesASignatureAtItsPhysicalSize() throws Exception {
        // 50 mm at 300 dpi is 591 pixels wide, and the PNG says 300 dpi so a document places it 50 mm wide.
        Path in = Files.createDirectories(dir.resolve("phys")).resolve("sig.png");
        ImageFiles.writePng(new SignatureGenerator(4).generate(2).toBufferedImage(), in);
        Run r = run("denoise", in.toString(), "-o", dir.resolve("physout").toString(), "--model", tinyModel().toString(),
                "--transparent", "--width-mm", "50", "--dpi", "300");
        assertEquals(0, r.code(), r.err());
        Path out = dir.resolve("physout/sig.png");
        assertEquals(591, javax.imageio.ImageIO.read(out.toFile()).getWidth());
        assertEquals(300, ImageFiles.pngDpi(out), 0.1);
        assertEquals(0, ImageFiles.pngDpi(in), "no pHYs unless asked for");
        Run bad = run("denoise", in.toString(), "-o", dir.resolve("x").toString(), "--width-mm", "-3");
        assertTrue(bad.code() != 0, "a negative width is refused");
        assertTrue(bad.err().contains("--width-mm"), bad.err());

        // A scan that records its scanner's 300 dpi keeps it when no size is asked for: the PNG says 300 dpi at the
        // scan's own pixels, the SVG is as many millimetres wide as the signature was on paper; --dpi still wins.
        Path scan = ImageFiles.writePng(new SignatureGenerator(4).generate(2).toBufferedImage(),
                Files.createDirectories(dir.resolve("scan300")).resolve("sig.png"), OutputPolicy.strict(), 300);
        String model = dir.resolve("tiny.zip").toString(); // made above
        Run kept = run("denoise", scan.toString(), "-o", dir.resolve("kept").toString(), "--model", model);
        assertEquals(0, kept.code(), kept.err());
        assertEquals(300, ImageFiles.pngDpi(dir.resolve("kept/sig.png")), 0.1);
        Run asked = run("denoise", scan.toString(), "-o", dir.resolve("asked").toString(), "--model", model,
                "--dpi", "150");
        assertEquals(0, asked.code(), asked.err());
        assertEquals(150, ImageFiles.pngDpi(dir.resolve("asked/sig.png")), 0.1);
        Run svg = run("denoise", scan.toString(), "-o", dir.resolve("keptsvg").toString(), "--model", model,
                "--format", "svg");
        assertEquals(0, svg.code(), svg.err());
        int px = javax.imageio.ImageIO.read(dir.resolve("kept/sig.png").toFile()).getWidth();
        assertTrue(Files.readString(dir.resolve("keptsvg/sig.svg")).contains(
                String.format(java.util.Locale.ROOT, "width=\"%.2fmm\"", px / 300.0 * 25.4)), "the SVG at the scan's size");
    }

    /** Issue #28: --engine chooses the engine for one run, before or after the command, and is forgotten after it. */
    @Test
    void engineChoosesTheEngineForOneRun() throws Exception {
        Run dl4j = run("info", "--arch", "seed", "--size", "64", "--engine", "dl4j");
        assertEquals(0, dl4j.code(), dl4j.err());
        assertTrue(dl4j.out().contains("engines: forward pass DL4J, gradients DL4J"), dl4j.out());
        Run before = run("--engine", "DL4J", "info", "--arch", "seed", "--size", "64");
        assertTrue(before.out().contains("engines: forward pass DL4J"), before.out());
        Run auto = run("info", "--arch", "seed", "--size", "64");
        String best = org.inkwell.engine.Engines.provider(org.inkwell.engine.Engine.ONEDNN).isPresent() ? "oneDNN plan" : "DL4J";
        assertTrue(auto.out().contains("engines: forward pass " + best + ", gradients " + best), auto.out());
        Run bad = run("info", "--engine", "cuda");
        assertEquals(2, bad.code());
        assertTrue(bad.err().lines().findFirst().orElse("").contains("not one of auto, dl4j, onednn"), bad.err());
    }

    /**
     * --precision chooses the inference plans' number format for one run (info says which one ran) and is forgotten
     * after it; a wrong value is one line. Under the tests' float32 default, bfloat16 shows only when asked.
     */
    @Test
    void precisionChoosesTheNumberFormatForOneRun() throws Exception {
        String before = System.getProperty(org.inkwell.engine.Precision.PROPERTY);
        Run half = run("info", "--arch", "unet", "--size", "64", "--precision", "bf16");
        assertEquals(0, half.code(), half.err());
        // bfloat16 as asked; only where the CPU lacks it in hardware may the plans have been refused (float32 on DL4J).
        assertTrue(half.out().contains("(setting: bfloat16") && (half.out().contains("inference precision: bfloat16")
                || half.out().contains("bfloat16 in hardware on this CPU: no")), half.out());
        assertEquals(before, System.getProperty(org.inkwell.engine.Precision.PROPERTY), "the setting is restored");
        Run full = run("--precision", "float32", "info", "--arch", "unet", "--size", "64");
        assertEquals(0, full.code(), full.err());
        assertTrue(full.out().contains("inference precision: float32 (setting: float32"), full.out());
        Run dl4j = run("info", "--arch", "unet", "--size", "64", "--precision", "bfloat16", "--engine", "dl4j");
        assertEquals(0, dl4j.code(), dl4j.err());
        assertTrue(dl4j.out().contains("inference precision: float32"), "DL4J is always float32: " + dl4j.out());
        Run bad = run("info", "--precision", "fp8");
        assertEquals(2, bad.code());
        assertTrue(bad.err().lines().findFirst().orElse("").contains("not one of auto, float32, bfloat16"), bad.err());
    }

    /**
     * {@code -o clean.png} with one input writes that file (it used to make a folder named clean.png); the format
     * follows the extension; an existing file needs --overwrite; nothing of the private work folder is left.
     */
    @Test
    void denoiseWithOneInputWritesTheNamedFile() throws Exception {
        Path in = Files.createDirectories(dir.resolve("one")).resolve("sig.png");
        ImageFiles.writePng(new SignatureGenerator(4).generate(3).toBufferedImage(), in);
        Path model = tinyModel();
        Path target = dir.resolve("out/Ada.png");
        Run r = run("denoise", in.toString(), "-o", target.toString(), "--model", model.toString(), "--transparent");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(target), "a file, not a folder");
        assertTrue(javax.imageio.ImageIO.read(target.toFile()).getColorModel().hasAlpha());
        assertTrue(r.out().contains("-> " + target), r.out());
        try (var left = Files.list(target.getParent())) {
            assertEquals(List.of("Ada.png"), left.map(p -> p.getFileName().toString()).toList(), "no work folder left");
        }
        byte[] first = Files.readAllBytes(target);
        Run again = run("denoise", in.toString(), "-o", target.toString(), "--model", model.toString());
        assertTrue(again.code() != 0 && again.err().contains("--overwrite"), again.err());
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(target)), "kept without --overwrite");
        Run svg = run("denoise", in.toString(), "-o", dir.resolve("out/Ada.svg").toString(), "--model", model.toString());
        assertEquals(0, svg.code(), svg.err());
        assertTrue(Files.readString(dir.resolve("out/Ada.svg")).contains("<svg"));
        Run clash = run("denoise", in.toString(), "-o", dir.resolve("out/x.svg").toString(), "--format", "pdf");
        assertTrue(clash.code() != 0 && clash.err().contains("--format"), clash.err());
    }

    /** Issue #26 item 4: denoise --format svg|pdf writes vector outlines of the same result. */
    @Test
    void denoiseWritesVectorOutlinesAsSvgOrPdf() throws Exception {
        Path in = Files.createDirectories(dir.resolve("vec")).resolve("sig.png");
        ImageFiles.writePng(new SignatureGenerator(4).generate(5).toBufferedImage(), in);
        Path out = dir.resolve("vecout");
        Path model = tinyModel();
        Run svg = run("denoise", in.toString(), "-o", out.toString(), "--model", model.toString(), "--format", "svg",
                "--width-mm", "40", "--ink-colour", "blue");
        assertEquals(0, svg.code(), svg.err());
        String text = Files.readString(out.resolve("sig.svg"));
        assertTrue(text.contains("<svg") && text.contains("width=\"40.00mm\"") && text.contains(" d=\"M"), text.substring(0, 300));
        Run pdf = run("denoise", in.toString(), "-o", out.toString(), "--model", model.toString(), "--format", "pdf",
                "--width-mm", "40");
        assertEquals(0, pdf.code(), pdf.err());
        try (var doc = org.apache.pdfbox.Loader.loadPDF(out.resolve("sig.pdf").toFile())) {
            assertEquals(40 / 25.4 * 72, doc.getPage(0).getMediaBox().getWidth(), 0.5);
        }
        Run bad = run("denoise", in.toString(), "-o", out.toString(), "--format", "gif");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("png, svg, pdf") && bad.err().lines().count() == 1, bad.err());
    }

    @Test
    void placePutsASignatureOnAPdfPageAndRefusesAPageThatIsNotThere() throws Exception {
        Path pdf = dir.resolve("doc.pdf");
        try (var doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            doc.addPage(new org.apache.pdfbox.pdmodel.PDPage(org.apache.pdfbox.pdmodel.common.PDRectangle.A4));
            doc.save(pdf.toFile());
        }
        Path sig = dir.resolve("sig.png");
        ImageFiles.writePng(new SignatureGenerator(4).generate(1).toTransparentImage(), sig);
        byte[] before = Files.readAllBytes(pdf);
        Run r = run("place", pdf.toString(), "--signature", sig.toString(), "--at", "120,230", "--width-mm", "45",
                "-o", dir.resolve("signed.pdf").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("page 1"), r.out());
        assertTrue(Files.size(dir.resolve("signed.pdf")) > before.length);
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(pdf)));
        Run bad = run("place", pdf.toString(), "--signature", sig.toString(), "--at", "10,10", "--page", "5",
                "-o", dir.resolve("bad.pdf").toString());
        assertTrue(bad.code() != 0);
        assertEquals(1, bad.err().lines().filter(l -> !l.isBlank()).count(), bad.err());
        assertTrue(bad.err().contains("no page 5"), bad.err());
        assertTrue(Files.notExists(dir.resolve("bad.pdf")));
    }

    @Test
    void evaluateWritesTheContractCsv() throws Exception {
        Path csv = dir.resolve("eval.csv");
        Run r = run("evaluate", "--synthetic", "3", "--noise", "0.1,0.3", "--method", "noisy,median3,components",
                "--size", "64", "--csv", csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(EvaluateCommand.CSV_HEADER, lines.get(0));
        assertEquals(1 + 2 * 3, lines.size());
        assertTrue(lines.get(1).startsWith("0.1,noisy,3,"));
    }

    @Test
    void trainRunsEndToEndAndResumes() throws Exception {
        Path out = dir.resolve("m.zip");
        Run r = run("train", "--synthetic", "6", "--arch", "unet", "--optimizer", "adam", "--size", "64", "--patch", "32",
                "--batch", "2", "--steps", "2", "--epochs", "1", "--validation", "2", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        ModelStore.StoredModel m = ModelStore.load(out, true);
        assertEquals(2, m.metadata().step());
        assertTrue(m.metadata().command().startsWith("inkwell train"));
        Path more = dir.resolve("m2.zip");
        Run resumed = run("train", "--resume", out.toString(), "--epochs", "2", "-o", more.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(4, ModelStore.load(more, false).metadata().step());
    }

    @Test
    void aNewRunDoesNotMixWithAnEarlierRunsCheckpoints() throws Exception {
        Path out = dir.resolve("again.zip");
        String[] args = {"train", "--synthetic", "6", "--arch", "seed", "--optimizer", "adam", "--size", "64", "--patch", "32",
                "--batch", "2", "--steps", "1", "--epochs", "2", "--validation", "2", "-o", out.toString()};
        assertEquals(0, run(args).code());
        Path checkpoints = dir.resolve("again-checkpoints");
        assertTrue(Files.exists(checkpoints.resolve("epoch-002.zip")));
        byte[] earlierBest = Files.readAllBytes(checkpoints.resolve("best.zip"));
        // The same command again: refused in one line that says how to go on, the earlier run untouched.
        Run again = run(args);
        assertEquals(2, again.code(), again.err());
        assertEquals(1, again.err().lines().count(), again.err());
        assertTrue(again.err().contains("--resume " + checkpoints.resolve("epoch-002.zip")), again.err());
        assertArrayEquals(earlierBest, Files.readAllBytes(checkpoints.resolve("best.zip")));
        // --overwrite replaces that run: one epoch now, and no epoch file of the earlier run left beside it.
        String[] once = java.util.Arrays.copyOf(args, args.length + 1);
        once[once.length - 1] = "--overwrite";
        once[16] = "1";
        assertEquals("--epochs", once[15]);
        Run replaced = run(once);
        assertEquals(0, replaced.code(), replaced.err());
        assertTrue(Files.exists(checkpoints.resolve("epoch-001.zip")));
        assertFalse(Files.exists(checkpoints.resolve("epoch-002.zip")));
    }

    @Test
    void badArgumentsAndModelsGiveOneLine() throws Exception {
        Path notModel = Files.writeString(dir.resolve("x.zip"), "nope");
        Run r = run("info", "--model", notModel.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("not a model file"));
        assertTrue(run("train", "--arch", "resnet", "-o", dir.resolve("z.zip").toString()).err().contains("unknown architecture"));

        Path otherKeras = dir.resolve("other.h5");
        org.inkwell.model.KerasFiles.writeConvNet(otherKeras, 32, 4, 1);
        Path imported = dir.resolve("imported.zip");
        Run k = run("import-keras", otherKeras.toString(), "-o", imported.toString());
        assertEquals(2, k.code(), k.err());
        assertEquals(1, k.err().lines().count(), k.err());
        assertTrue(k.err().contains("not the seed network"), k.err());
        assertFalse(Files.exists(imported));
    }

    @Test
    void exportOnnxWritesWhatOnnxRuntimeRunsAndFollowsTheOutputRule() throws Exception {
        Path model = tinyModel();
        Path onnx = dir.resolve("tiny.onnx");
        Run r = run("export-onnx", "--model", model.toString(), "-o", onnx.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote tiny.zip (unet, opset 17"), r.out());
        byte[] bytes = Files.readAllBytes(onnx);
        // The written file runs in ONNX Runtime, at a batch and size other than the model's, and gives the network's output.
        var net = ModelStore.load(model, false).net();
        float[] x = org.inkwell.model.OnnxExportTest.input(3, 2, 64, 96);
        double d = org.inkwell.model.OnnxExportTest.maxAbsDiff(org.inkwell.model.OnnxExportTest.dl4j(net, x, 2, 64, 96),
                org.inkwell.model.OnnxExportTest.ort(bytes, x, 2, 64, 96));
        assertTrue(d < org.inkwell.model.OnnxExportTest.TOLERANCE, "max abs difference " + d);
        try (var s = org.inkwell.model.OnnxExportTest.environment().createSession(bytes, new ai.onnxruntime.OrtSession.SessionOptions())) {
            var meta = s.getMetadata().getCustomMetadata();
            assertEquals("unet", meta.get("inkwell.architecture"));
            assertEquals("binarize", meta.get("inkwell.input.preparation")); // trained on pepper noise
        }
        // An existing file, even an earlier export, is replaced only with --overwrite.
        Run again = run("export-onnx", "--model", model.toString(), "-o", onnx.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("exists") && again.err().contains("--overwrite"), again.err());
        assertEquals(0, run("export-onnx", "--model", model.toString(), "-o", onnx.toString(), "--overwrite").code());
        Path png = dir.resolve("picture.png");
        ImageFiles.writePng(GrayImage.blank(4, 4).toBufferedImage(), png);
        byte[] before = Files.readAllBytes(png);
        Run refused = run("export-onnx", "--model", model.toString(), "-o", png.toString());
        assertEquals(2, refused.code());
        assertEquals(1, refused.err().lines().count(), refused.err());
        assertTrue(refused.err().contains("exists and is a PNG image, not an ONNX model") && refused.err().contains("same kind"),
                refused.err());
        assertArrayEquals(before, Files.readAllBytes(png));
        // Another kind of file is never replaced, not even with --overwrite.
        Run forced = run("export-onnx", "--model", model.toString(), "-o", png.toString(), "--overwrite");
        assertEquals(2, forced.code());
        assertTrue(forced.err().contains("is a PNG image, not an ONNX model"), forced.err());
        assertArrayEquals(before, Files.readAllBytes(png));
        // The model itself is never the output, whatever the flags.
        Run input = run("export-onnx", "--model", model.toString(), "-o", model.toString(), "--overwrite");
        assertEquals(2, input.code());
        assertTrue(input.err().contains("is an input of this run"), input.err());
        assertTrue(ModelStore.load(model, false).net() != null);
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "temp files left behind");
        }
    }

    /** Issue #27 item 6: a folder or a missing file as the first argument gets one useful line, not "Did you mean". */
    @Test
    void aFolderOrAMissingFileInsteadOfACommandIsExplained() throws Exception {
        String folder = InkwellCommand.notACommand(dir.toString());
        assertTrue(folder.contains("is a folder") && folder.contains("inkwell denoise " + dir), folder);
        String missing = InkwellCommand.notACommand(dir.resolve("nope.png").toString());
        assertTrue(missing.contains("no such file, and not a command"), missing);
        assertEquals(null, InkwellCommand.notACommand("denoise", "x"));
        assertEquals(null, InkwellCommand.notACommand("--help"));
        Run help = run("--help");
        assertTrue(help.out().contains("With no command, inkwell opens the workbench"), help.out());
    }
}
