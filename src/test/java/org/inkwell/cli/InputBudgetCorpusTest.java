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

    @Test
    void libraryLogLinesDoNotReachTheUser() throws Exception {
        // Damaged PDFs make PDFBox log its own ERROR and WARN lines while it repairs what it can.
        Path in = Files.createDirectories(dir.resolve("damaged"));
        byte[] pdf = Files.readAllBytes(nestedFormsPdf(dir.resolve("ok.pdf"), 2, 2));
        Files.write(in.resolve("truncated.pdf"), java.util.Arrays.copyOf(pdf, pdf.length / 2));
        String text = new String(pdf, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("xref", "xrfe").replace("/Length", "/Lenght").replace("endobj", "endbj");
        Files.write(in.resolve("broken-xref.pdf"), text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Files.write(in.resolve("garbage.pdf"), "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        CliTest.Run r = timed("denoise", in.toString(), "-o", dir.resolve("o").toString(), "--model", tinyModel("m.zip").toString());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.stream().allMatch(l -> l.startsWith("inkwell: ")), "only Inkwell's lines: " + r.err());
        assertFalse(r.err().contains("ERROR") || r.err().contains("WARN") || r.err().contains("Exception"), r.err());
        // A configuration DL4J cannot read.
        Path model = dir.resolve("bad-config.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(model))) {
            out.putNextEntry(new java.util.zip.ZipEntry("configuration.json"));
            out.write("{\"vertices\": {\"x\": {\"@class\": \"no.such.Vertex\"}}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new java.util.zip.ZipEntry("coefficients.bin"));
            out.write(new byte[16]);
            out.closeEntry();
        }
        assertOneLine(timed("info", "--model", model.toString()), 2, "bad-config.zip");
    }

    /** The CLI as a child process without root's permission override (see {@link Fixtures#unprivileged}). */
    private String[] child(String... args) throws Exception {
        return Fixtures.unprivileged(dir, args);
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
            // denoise cleans what it can read and says what it could not (exit 1), never silently skips.
            Path model = Fixtures.tinyModel(dir.resolve("tiny.zip"));
            Path out = Files.createDirectories(dir.resolve("cleaned"));
            Files.setPosixFilePermissions(out, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            String[] d = child("denoise", data.toString(), "-o", out.toString(), "--model", model.toString());
            assertEquals("1", d[2], d[0] + d[1]);
            assertTrue(d[1].contains(locked.toString()) && d[1].contains("cannot read this folder"), d[1]);
            assertTrue(Files.exists(out.resolve("a.png")), d[0]);
        } finally {
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }

    // ---- (7) memory: zip bombs inside a model, and a model whose layers blow an image up ----

    /** {@code bytes} of {@code value}, deflated (fast level: zeros and spaces shrink ~200x anyway). */
    private static byte[] deflated(byte[] head, byte value, long bytes) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.util.zip.Deflater d = new java.util.zip.Deflater(1, true);
        try (var z = new java.util.zip.DeflaterOutputStream(out, d, 1 << 16)) {
            z.write(head);
            byte[] block = new byte[1 << 20];
            java.util.Arrays.fill(block, value);
            for (long left = bytes; left > 0; left -= block.length) {
                z.write(block, 0, (int) Math.min(block.length, left));
            }
        } finally {
            d.end();
        }
        return out.toByteArray();
    }

    /**
     * A copy of the model zip {@code honest} with {@code entry}'s data replaced by {@code head} and {@code extra}
     * bytes of {@code value} (raw deflate data written as is, with honest sizes in both headers); the directory's
     * uncompressed size is then set to {@code claimed} when that is not negative (the zip lying about itself).
     */
    private Path bomb(Path honest, String name, String entry, byte[] head, byte value, long extra, long claimed) throws Exception {
        byte[] data = deflated(head, value, extra);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(head);
        byte[] block = new byte[1 << 20];
        java.util.Arrays.fill(block, value);
        for (long left = extra; left > 0; left -= block.length) {
            crc.update(block, 0, (int) Math.min(block.length, left));
        }
        long size = head.length + extra;
        Path target = dir.resolve(name);
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream cen = new java.io.ByteArrayOutputStream();
        int count = 0;
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(honest.toFile())) {
            for (var e : java.util.Collections.list(in.entries())) {
                byte[] raw;
                long crcValue;
                long plain;
                if (e.getName().equals(entry)) {
                    raw = data;
                    crcValue = crc.getValue();
                    plain = size;
                } else {
                    byte[] bytes = in.getInputStream(e).readAllBytes();
                    raw = deflated(bytes, (byte) 0, 0);
                    java.util.zip.CRC32 c = new java.util.zip.CRC32();
                    c.update(bytes);
                    crcValue = c.getValue();
                    plain = bytes.length;
                }
                byte[] n = e.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                int offset = zip.size();
                zip.write(header(0x04034b50, n, raw.length, plain, crcValue, -1));
                zip.write(raw);
                cen.write(header(0x02014b50, n, raw.length, e.getName().equals(entry) && claimed >= 0 ? claimed : plain,
                        crcValue, offset));
                count++;
            }
        }
        int cenOffset = zip.size();
        zip.write(cen.toByteArray());
        java.nio.ByteBuffer end = java.nio.ByteBuffer.allocate(22).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count).putShort((short) count)
                .putInt(cen.size()).putInt(cenOffset).putShort((short) 0);
        zip.write(end.array());
        Files.write(target, zip.toByteArray());
        return target;
    }

    /** A local (offset -1) or central header for a deflated entry. */
    private static byte[] header(int signature, byte[] name, long csize, long size, long crc, int offset) {
        boolean central = offset >= 0;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((central ? 46 : 30) + name.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(signature);
        if (central) {
            b.putShort((short) 20);
        }
        b.putShort((short) 20).putShort((short) 0).putShort((short) 8).putShort((short) 0).putShort((short) 0x21)
                .putInt((int) crc).putInt((int) csize).putInt((int) size).putShort((short) name.length).putShort((short) 0);
        if (central) {
            b.putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt(offset);
        }
        b.put(name);
        return b.array();
    }

    private static byte[] entryBytes(Path zip, String entry) throws Exception {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            return z.getInputStream(z.getEntry(entry)).readAllBytes();
        }
    }

    @Test
    void zipBombsInsideAModelAreRefusedBeforeTheyInflate() throws Exception {
        Path honest = tinyModel("honest.zip");
        // The header of the real weights, then 2.2 GB of zeros.
        byte[] weights = entryBytes(honest, "coefficients.bin");
        long extra = 2_200_000_000L;
        Path declared = bomb(honest, "weights-bomb.zip", "coefficients.bin", weights, (byte) 0, extra, -1);
        assertTrue(Files.size(declared) < 20_000_000, "a few MB on disk: " + Files.size(declared));
        assertOneLine(timed("info", "--model", declared.toString()), 2, "coefficients.bin", "2,2", "zip bomb");
        // The same bomb whose directory claims the honest size: counted while inflating, never trusted.
        Path lying = bomb(honest, "weights-bomb-lying.zip", "coefficients.bin", weights, (byte) 0, extra, weights.length);
        assertOneLine(timed("info", "--model", lying.toString()), 2, "coefficients.bin", "inflates to more than", "zip bomb");

        // 1.5 GB of spaces before the history's JSON.
        byte[] history = entryBytes(honest, ModelStore.HISTORY_ENTRY);
        long spaces = 1_500_000_000L;
        Path json = bomb(honest, "history-bomb.zip", ModelStore.HISTORY_ENTRY, new byte[0], (byte) ' ', spaces, -1);
        assertOneLine(timed("info", "--model", json.toString()), 2, ModelStore.HISTORY_ENTRY, "1,500,000,000", "zip bomb");
        Path jsonLying = bomb(honest, "history-bomb-lying.zip", ModelStore.HISTORY_ENTRY, new byte[0], (byte) ' ', spaces, history.length);
        assertOneLine(timed("info", "--model", jsonLying.toString()), 2, ModelStore.HISTORY_ENTRY, "16 MB", "zip bomb");
        CliTest.Run denoise = timed("denoise", signaturePng(dir.resolve("in"), "a.png").toString(), "-o",
                dir.resolve("o").toString(), "--model", jsonLying.toString());
        assertOneLine(denoise, 2, "zip bomb");
        // The honest model still loads.
        assertEquals(0, timed("info", "--model", honest.toString()).code());
    }

    @Test
    void aModelWhoseLayersBlowUpAnImageIsRefusedBeforeItsFirstPass() throws Exception {
        // 3x3 convolution to 8 channels, 64x upsampling, 64x pooling back: 32x32 in and out, 34 GB for one tile.
        var conf = org.inkwell.model.ActivationBudgetTest.exploding(8);
        var net = new org.deeplearning4j.nn.graph.ComputationGraph(conf);
        net.init();
        Path model = dir.resolve("exploding.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(net, model.toFile(), false);
        assertTrue(Files.size(model) < 100_000);
        long heapBefore = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertOneLine(timed("info", "--model", model.toString()), 2, "512x512", "34.4 GB", "-Dinkwell.maxActivationBytes");
        Path in = signaturePng(dir.resolve("in"), "a.png");
        assertOneLine(timed("denoise", in.toString(), "-o", dir.resolve("o").toString(), "--model", model.toString()), 2,
                "34.4 GB");
        assertFalse(Files.exists(dir.resolve("o")));
        long heapAfter = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertTrue(heapAfter - heapBefore < 1_000_000_000L, "refused without allocating the activations");
    }

    // ---- (12) forged metadata, (13) duplicate entries ----

    private Path withMetadata(String name, ModelMetadata meta, org.deeplearning4j.nn.graph.ComputationGraph net) throws Exception {
        return ModelStore.save(dir.resolve(name), net, meta, null, false);
    }

    private static ModelMetadata meta(String arch, long step, int epochs) {
        return new ModelMetadata(1, "test", arch, 32, "seed", 0, "pepper:0.1", 1, "test", epochs, step, Map.of(), null, null, "now");
    }

    @Test
    void forgedMetadataIsRefused() throws Exception {
        var unet = Architecture.UNET.build(32, new Adam(1e-3), 1);
        assertOneLine(timed("info", "--model", withMetadata("step.zip", meta("unet", -5, 1), unet).toString()), 2, "step -5", "forged");
        assertOneLine(timed("info", "--model", withMetadata("epochs.zip", meta("unet", 3, -1), unet).toString()), 2, "epochs -1");
        assertOneLine(timed("info", "--model", withMetadata("label.zip", meta("seed", 3, 1), unet).toString()), 2,
                "'seed'", "a unet", "forged");
        assertOneLine(timed("info", "--model", withMetadata("unknown.zip", meta("resnet", 3, 1), unet).toString()), 2,
                "unknown architecture 'resnet'");
        CliTest.Run train = timed("train", "--resume", withMetadata("resume.zip", meta("seed", -5, 1), unet).toString(),
                "-o", dir.resolve("next.zip").toString());
        assertOneLine(train, 2, "step -5");
        assertEquals(0, timed("info", "--model", withMetadata("true.zip", meta("unet", 3, 1), unet).toString()).code());
    }

    @Test
    void duplicateEntriesAreRefused() throws Exception {
        Path honest = tinyModel("honest.zip");
        // A second coefficients.bin whose header declares 1.5 billion weights: the check read one, DL4J the other.
        Path dup = dir.resolve("dup.zip");
        byte[] forgedWeights = entryBytes(OutputSafetyCorpusTest.forgeCoefficientsHeader(honest, dir.resolve("f.zip"), 1_500_000_000L),
                "coefficients.bin");
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(honest.toFile());
             var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(dup))) {
            for (var e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(in.getInputStream(e).readAllBytes());
                out.closeEntry();
            }
            out.putNextEntry(new java.util.zip.ZipEntry("coefficientZ.bin")); // renamed below: ZipOutputStream refuses duplicates
            out.write(forgedWeights);
            out.closeEntry();
        }
        byte[] bytes = Files.readAllBytes(dup);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int renamed = 0;
        for (int i = text.indexOf("coefficientZ.bin"); i >= 0; i = text.indexOf("coefficientZ.bin", i + 1)) {
            bytes[i + "coefficient".length()] = 's';
            renamed++;
        }
        assertEquals(2, renamed, "local and central header");
        Files.write(dup, bytes);
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(dup.toFile())) {
            assertEquals(2, java.util.Collections.list(z.entries()).stream().filter(e -> e.getName().equals("coefficients.bin")).count(),
                    "the JDK lists both copies");
        }
        assertOneLine(timed("info", "--model", dup.toString()), 2, "'coefficients.bin' twice");
    }

    // ---- (6) unbounded CPU or memory from tiny image files ----

    /** A page whose content draws form {@code levels}, each form drawing the next {@code fan} times. */
    static Path nestedFormsPdf(Path target, int levels, int fan) throws Exception {
        try (var doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            var page = new org.apache.pdfbox.pdmodel.PDPage(new org.apache.pdfbox.pdmodel.common.PDRectangle(72, 72));
            doc.addPage(page);
            org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject inner = null;
            for (int level = 0; level < levels; level++) {
                var form = new org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject(doc);
                form.setBBox(new org.apache.pdfbox.pdmodel.common.PDRectangle(72, 72));
                var resources = new org.apache.pdfbox.pdmodel.PDResources();
                form.setResources(resources);
                StringBuilder content = new StringBuilder();
                if (inner == null) {
                    content.append("0 0 1 1 re f\n");
                } else {
                    String name = resources.add(inner).getName();
                    content.append(("/" + name + " Do\n").repeat(fan));
                }
                try (var out = form.getContentStream().createOutputStream(org.apache.pdfbox.cos.COSName.FLATE_DECODE)) {
                    out.write(content.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                inner = form;
            }
            page.setResources(new org.apache.pdfbox.pdmodel.PDResources());
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                for (int i = 0; i < fan; i++) {
                    content.drawForm(inner);
                }
            }
            doc.save(target.toFile());
        }
        return target;
    }

    /** An image XObject declaring {@code side x side} grey pixels, with one row of data (PDFBox pads the rest). */
    private static org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject hugeImage(org.apache.pdfbox.pdmodel.PDDocument doc,
                                                                                      int side) throws Exception {
        var stream = doc.getDocument().createCOSStream();
        try (var out = stream.createOutputStream(org.apache.pdfbox.cos.COSName.FLATE_DECODE)) {
            out.write(new byte[side]);
        }
        stream.setInt(org.apache.pdfbox.cos.COSName.WIDTH, side);
        stream.setInt(org.apache.pdfbox.cos.COSName.HEIGHT, side);
        stream.setInt(org.apache.pdfbox.cos.COSName.BITS_PER_COMPONENT, 8);
        stream.setItem(org.apache.pdfbox.cos.COSName.COLORSPACE, org.apache.pdfbox.cos.COSName.DEVICEGRAY);
        stream.setItem(org.apache.pdfbox.cos.COSName.TYPE, org.apache.pdfbox.cos.COSName.XOBJECT);
        stream.setItem(org.apache.pdfbox.cos.COSName.SUBTYPE, org.apache.pdfbox.cos.COSName.IMAGE);
        return new org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject(new org.apache.pdfbox.pdmodel.common.PDStream(stream), null);
    }

    /** A one-inch page drawing a {@code side x side} image, directly or through a tiling pattern. */
    static Path hugeImagePdf(Path target, int side, boolean throughPattern) throws Exception {
        try (var doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            var page = new org.apache.pdfbox.pdmodel.PDPage(new org.apache.pdfbox.pdmodel.common.PDRectangle(72, 72));
            doc.addPage(page);
            var image = hugeImage(doc, side);
            if (!throughPattern) {
                try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                    content.drawImage(image, 0, 0, 72, 72);
                }
            } else {
                var pattern = new org.apache.pdfbox.pdmodel.graphics.pattern.PDTilingPattern();
                pattern.setBBox(new org.apache.pdfbox.pdmodel.common.PDRectangle(72, 72));
                pattern.setXStep(72);
                pattern.setYStep(72);
                pattern.setPaintType(org.apache.pdfbox.pdmodel.graphics.pattern.PDTilingPattern.PAINT_COLORED);
                pattern.setTilingType(org.apache.pdfbox.pdmodel.graphics.pattern.PDTilingPattern.TILING_CONSTANT_SPACING);
                var patternResources = new org.apache.pdfbox.pdmodel.PDResources();
                String im = patternResources.add(image).getName();
                pattern.setResources(patternResources);
                try (var out = pattern.getContentStream().createOutputStream()) {
                    out.write(("q 72 0 0 72 0 0 cm /" + im + " Do Q\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                var resources = new org.apache.pdfbox.pdmodel.PDResources();
                String p = resources.add(pattern).getName();
                page.setResources(resources);
                var content = new org.apache.pdfbox.pdmodel.common.PDStream(doc);
                try (var out = content.createOutputStream()) {
                    out.write(("/Pattern cs /" + p + " scn 0 0 72 72 re f\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                page.setContents(content);
            }
            doc.save(target.toFile());
        }
        return target;
    }

    @Test
    void pdfsOfNestedFormsOrHugeImagesAreRefusedInSeconds() throws Exception {
        Path in = Files.createDirectories(dir.resolve("pdfs"));
        // Nine levels of forms, the page and each form drawing the next ten times: a billion fills (3.1 billion
        // operations) from 2.4 KB, hours to render.
        Path nested = nestedFormsPdf(in.resolve("nested.pdf"), 9, 10);
        assertTrue(Files.size(nested) < 3000, "a few KB: " + Files.size(nested));
        Path model = tinyModel("m.zip");
        CliTest.Run r = timed("denoise", nested.toString(), "-o", dir.resolve("o").toString(), "--model", model.toString());
        assertOneLine(r, 1, "nested.pdf", "3,111,111,110 drawing operations", "-Dinkwell.maxPdfOperators");

        // 20000x20000 grey pixels from under 1 KB: refused from the image's dictionary, before PDFBox decodes it.
        Path huge = hugeImagePdf(in.resolve("huge.pdf"), 20_000, false);
        assertTrue(Files.size(huge) < 2000, "under 2 KB: " + Files.size(huge));
        assertOneLine(timed("denoise", huge.toString(), "-o", dir.resolve("o").toString(), "--model", model.toString()), 1,
                "huge.pdf", "20000x20000", "megapixels");
        // The same image drawn by a tiling pattern, which the count before rendering does not follow: refused as it is
        // about to be drawn.
        Path patterned = hugeImagePdf(in.resolve("pattern.pdf"), 20_000, true);
        long heapBefore = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertOneLine(timed("denoise", patterned.toString(), "-o", dir.resolve("o").toString(), "--model", model.toString()), 1,
                "pattern.pdf", "20000x20000", "megapixels");
        long heapAfter = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertTrue(heapAfter - heapBefore < 1_000_000_000L, "not decoded: " + (heapAfter - heapBefore));
    }

    /** A WebP whose VP8L header declares {@code w x h} pixels, with zero bits after it: 41 bytes. */
    static byte[] webpHeaderClaiming(int w, int h) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(41).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(33)
                .put("WEBPVP8L".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(21);
        b.put((byte) 0x2f).putInt((w - 1) | ((h - 1) << 14)); // signature, 14-bit sides, no alpha, version 0
        return b.array();
    }

    /**
     * A TIFF of {@code w x h} grey pixels in tiles of {@code tile x tile}, whose TileOffsets and TileByteCounts each
     * declare {@code tiles} values (unsigned) and point into its own directory.
     */
    static byte[] tiffClaiming(int w, int h, int tile, long tiles) {
        int entries = 9;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 2 + entries * 12 + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) entries);
        int[][] fields = {{256, 4, 1, w}, {257, 4, 1, h}, {258, 3, 1, 8}, {259, 3, 1, 1}, {262, 3, 1, 1},
                {322, 4, 1, tile}, {323, 4, 1, tile}, {324, 4, (int) tiles, 8}, {325, 4, (int) tiles, 8}};
        for (int[] f : fields) {
            b.putShort((short) f[0]).putShort((short) f[1]).putInt(f[2]);
            if (f[1] == 3) {
                b.putShort((short) f[3]).putShort((short) 0);
            } else {
                b.putInt(f[3]);
            }
        }
        b.putInt(0);
        return b.array();
    }

    @Test
    void tinyWebpAndTiffFilesDeclaringHugeWorkAreRefusedInSeconds() throws Exception {
        Path in = Files.createDirectories(dir.resolve("images"));
        // The reported file: 41 bytes declaring 16384x16384 (over 17 minutes to decode).
        Files.write(in.resolve("bomb.webp"), webpHeaderClaiming(16384, 16384));
        // Under the pixel budget, still far more pixels than 41 bytes can hold: 2000x2000 took two minutes.
        Files.write(in.resolve("dense.webp"), webpHeaderClaiming(2000, 2000));
        // 138 bytes declaring 2^31 tiles.
        byte[] tiles = tiffClaiming(256, 256, 16, 1L << 31);
        assertTrue(tiles.length < 150);
        Files.write(in.resolve("tiles.tif"), tiles);
        // One-pixel tiles: 100 million of them, each a read and a copy.
        Files.write(in.resolve("pixel-tiles.tif"), tiffClaiming(10_000, 10_000, 1, 1));
        CliTest.Run r = timed("denoise", in.toString(), "-o", dir.resolve("o").toString(), "--model", tinyModel("m.zip").toString());
        assertEquals(1, r.code(), r.err());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(4, lines.size(), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat ") || r.err().contains("ERROR"), r.err());
        assertTrue(lines.stream().anyMatch(l -> l.contains("bomb.webp") && l.contains("16384x16384") && l.contains("megapixels")), r.err());
        assertTrue(lines.stream().anyMatch(l -> l.contains("dense.webp") && l.contains("41-byte WebP declaring 2000x2000")), r.err());
        assertTrue(lines.stream().anyMatch(l -> l.contains("tiles.tif") && l.contains("2,147,483,648 tiles")
                && l.contains("-Dinkwell.maxTiffBlocks")), r.err());
        assertTrue(lines.stream().anyMatch(l -> l.contains("pixel-tiles.tif") && l.contains("100,000,000 tiles")), r.err());
        assertTrue(r.out().contains("cleaned 0 of 4"), r.out());
    }

    @Test
    void aWebpWhoseDataEndsEarlyStopsDecodingAtOnce() throws Exception {
        // 600x600 from 41 bytes passes the pixels-per-byte budget; the decoder then reads past the end of the file
        // on every pixel (about 10 s before): stopped after a few thousand reads past the end.
        Path f = Files.write(dir.resolve("short.webp"), webpHeaderClaiming(600, 600));
        long t0 = System.nanoTime();
        org.inkwell.data.ImageLoadException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.inkwell.data.ImageLoadException.class, () -> ImageFiles.readGray(f));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "stopped early");
        assertTrue(e.getMessage().contains("ends long before the pixels its header declares"), e.getMessage());
    }
}
