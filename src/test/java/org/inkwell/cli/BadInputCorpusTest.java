package org.inkwell.cli;

import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.ImageLoadException;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.model.Architecture;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.model.ModelMetadata;
import org.inkwell.model.ModelStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad or odd input a user may drop on Inkwell, made by the test itself. */
class BadInputCorpusTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    private static BufferedImage signature(int type) {
        GrayImage g = new SignatureGenerator(11).generate(0);
        BufferedImage src = g.toBufferedImage();
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), type);
        out.getGraphics().drawImage(src, 0, 0, null);
        return out;
    }

    /** A valid PNG header whose IHDR claims {@code w x h}, with no pixel data. */
    static byte[] pngHeaderClaiming(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes()).putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4 + 12);
        png.put(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        png.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        png.putInt(0).put("IEND".getBytes()).putInt(0xAE426082);
        return png.array();
    }

    private static void writeSequence(String format, List<BufferedImage> frames, Path target) throws Exception {
        ImageWriter w = ImageIO.getImageWritersByFormatName(format).next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(target.toFile())) {
            w.setOutput(out);
            w.prepareWriteSequence(null);
            for (BufferedImage f : frames) {
                w.writeToSequence(new IIOImage(f, null, null), null);
            }
            w.endWriteSequence();
        } finally {
            w.dispose();
        }
    }

    @Test
    void everyBadFileGetsOneLineAndTheRestAreCleaned() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in put ü"));
        // Good but odd inputs.
        ImageIO.write(signature(BufferedImage.TYPE_USHORT_GRAY), "png", in.resolve("sixteen-bit.png").toFile());
        ImageIO.write(signature(BufferedImage.TYPE_BYTE_INDEXED), "png", in.resolve("palette.png").toFile());
        ImageIO.write(signature(BufferedImage.TYPE_INT_ARGB), "png", in.resolve("alpha.png").toFile());
        ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png", in.resolve("one-pixel.png").toFile());
        BufferedImage big = new BufferedImage(1300, 700, BufferedImage.TYPE_BYTE_GRAY);
        big.getGraphics().drawImage(signature(BufferedImage.TYPE_BYTE_GRAY), 100, 100, 1100, 500, null);
        ImageIO.write(big, "png", in.resolve("larger than a tile.png").toFile());
        writeSequence("tiff", List.of(signature(BufferedImage.TYPE_BYTE_GRAY), signature(BufferedImage.TYPE_BYTE_GRAY)),
                in.resolve("multipage.tif"));
        writeSequence("gif", List.of(signature(BufferedImage.TYPE_BYTE_INDEXED), signature(BufferedImage.TYPE_BYTE_INDEXED)),
                in.resolve("animated.gif"));
        ImageIO.write(signature(BufferedImage.TYPE_INT_RGB), "jpeg", in.resolve("signature.jpg").toFile());
        // Bad inputs.
        Files.createFile(in.resolve("empty.png"));
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(signature(BufferedImage.TYPE_BYTE_GRAY), "png", png);
        Files.write(in.resolve("truncated.png"), Arrays.copyOf(png.toByteArray(), png.size() / 3));
        ByteArrayOutputStream jpg = new ByteArrayOutputStream();
        ImageIO.write(signature(BufferedImage.TYPE_INT_RGB), "jpeg", jpg);
        Files.write(in.resolve("truncated.jpg"), Arrays.copyOf(jpg.toByteArray(), 200));
        Files.writeString(in.resolve("text.png"), "this is a text file with an image name");
        Files.write(in.resolve("huge-header.png"), pngHeaderClaiming(100_000, 100_000));
        Files.createDirectories(in.resolve("x.png")); // a folder with an image's name: walked into, not read

        Path model = dir.resolve("m.zip");
        ModelStore.save(model, Architecture.UNET.build(64, new Adam(1e-3), 1),
                new ModelMetadata(1, "t", "unet", 64, "seed", 0, "pepper:0.2", 1, "t", 0, 0, Map.of(), null, null, "now"), null, false);
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("denoise", in.toString(), "-o", out.toString(), "--model", model.toString());
        assertEquals(1, r.code());
        List<String> errors = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(5, errors.size(), r.err());
        for (String bad : List.of("empty.png", "truncated.png", "truncated.jpg", "text.png", "huge-header.png")) {
            assertTrue(errors.stream().anyMatch(l -> l.contains(bad)), bad + " not reported: " + r.err());
        }
        assertTrue(errors.stream().anyMatch(l -> l.contains("huge-header.png") && l.contains("100000x100000")), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        for (String good : List.of("sixteen-bit", "palette", "alpha", "one-pixel", "larger than a tile", "multipage",
                "animated", "signature")) {
            Path result = out.resolve(good + ".png");
            assertTrue(Files.exists(result), good + " was not cleaned: " + r.out());
            BufferedImage img = ImageIO.read(result.toFile());
            BufferedImage src = ImageIO.read(Files.list(in).filter(p -> p.getFileName().toString().startsWith(good))
                    .findFirst().orElseThrow().toFile());
            assertEquals(src.getWidth(), img.getWidth(), good);
            assertEquals(src.getHeight(), img.getHeight(), good);
        }
    }

    @Test
    void hugeHeaderIsRefusedBeforeDecoding() throws Exception {
        Path f = Files.write(dir.resolve("bomb.png"), pngHeaderClaiming(100_000, 100_000));
        long before = Runtime.getRuntime().totalMemory();
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> ImageFiles.readGray(f));
        assertTrue(e.getMessage().contains("scale it down"), e.getMessage());
        assertTrue(Runtime.getRuntime().totalMemory() - before < 1_000_000_000L);
    }

    @Test
    void unreadableFileIsReported() throws Exception {
        Path f = dir.resolve("locked.png");
        ImageIO.write(signature(BufferedImage.TYPE_BYTE_GRAY), "png", f.toFile());
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        if (Files.isReadable(f)) {
            unreadableFileIsReportedByTheCliWithoutRootsOverride(f);
            return;
        }
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> ImageFiles.readGray(f));
        assertTrue(e.getMessage().contains("no permission"));
    }

    /**
     * Root reads any file, so the check runs the CLI as a child that keeps root's identity but drops the
     * capabilities that override file permissions (as an ordinary user's process would lack them).
     */
    private void unreadableFileIsReportedByTheCliWithoutRootsOverride(Path locked) throws Exception {
        Path setpriv = Path.of("/usr/bin/setpriv");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(setpriv), "running as root without setpriv");
        ImageIO.write(signature(BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("readable.png").toFile());
        Path model = dir.resolve("m.zip");
        ModelStore.save(model, Architecture.UNET.build(64, new Adam(1e-3), 1),
                new ModelMetadata(1, "t", "unet", 64, "seed", 0, "pepper:0.2", 1, "t", 0, 0, Map.of(), null, null, "now"), null, false);
        Path out = dir.resolve("out");
        List<String> cmd = new java.util.ArrayList<>(List.of(setpriv.toString(), "--bounding-set=-dac_override,-dac_read_search"));
        cmd.addAll(org.inkwell.ChildJvm.inkwell("denoise", dir.toString(), "-o", out.toString(), "--model", model.toString()));
        Process p = new ProcessBuilder(cmd)
                .redirectError(dir.resolve("err.txt").toFile()).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "CLI did not finish");
        String err = Files.readString(dir.resolve("err.txt"));
        List<String> lines = err.lines().filter(l -> !l.isBlank() && !l.contains("SLF4J")).toList();
        assertEquals(1, p.exitValue(), err);
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).contains("locked.png") && lines.get(0).contains("no permission"), err);
        assertTrue(Files.exists(out.resolve("readable.png")), "the readable file is still cleaned");
    }

    @Test
    void cmykJpegReadsAsGrey() throws Exception {
        // A 4-channel Adobe JPEG written from a raster, as print workflows produce.
        java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, 40, 20, 4, null);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                int k = x >= 5 && x < 15 && y >= 5 && y < 15 ? 255 : 0; // black square in the K channel
                raster.setPixel(x, y, new int[]{0, 0, 0, k});
            }
        }
        Path f = dir.resolve("cmyk.jpg");
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(f.toFile())) {
            w.setOutput(out);
            w.write(null, new IIOImage(raster, null, null), null);
        } finally {
            w.dispose();
        }
        GrayImage g = ImageFiles.readBinary(f);
        assertEquals(40, g.width());
        assertTrue(g.get(10, 10) != g.get(30, 10), "the square must differ from the background");
    }
}
