package org.inkwell.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFilesTest {
    @TempDir
    Path dir;

    static BufferedImage sample(int type) {
        BufferedImage img = new BufferedImage(40, 20, type);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 40, 20);
        g.setColor(Color.BLACK);
        g.fillRect(5, 5, 10, 10);
        g.dispose();
        return img;
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "bmp", "gif", "tiff", "jpg"})
    void readsCommonFormatsAsBinaryInkOnPaper(String format) throws Exception {
        Path f = dir.resolve("s." + format);
        assertTrue(ImageIO.write(sample(format.equals("jpg") ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_3BYTE_BGR),
                format.equals("jpg") ? "jpeg" : format, f.toFile()), "writer for " + format);
        GrayImage img = ImageFiles.readBinary(f);
        assertEquals(40, img.width());
        assertEquals(20, img.height());
        assertEquals(GrayImage.INK, img.get(10, 10));
        assertEquals(GrayImage.PAPER, img.get(30, 10));
        assertEquals(100 / 800.0, img.inkFraction(), format.equals("jpg") ? 0.02 : 1e-9);
    }

    @Test
    void transparentPixelsCountAsPaper() throws Exception {
        BufferedImage img = new BufferedImage(4, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0xFF000000); // opaque black
        img.setRGB(1, 0, 0x00000000); // transparent black
        GrayImage g = ImageFiles.toGray(img);
        assertEquals(0f, g.get(0, 0));
        assertEquals(1f, g.get(1, 0));
    }

    @Test
    void badFilesGetClearMessages() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertTrue(assertThrows(ImageLoadException.class, () -> ImageFiles.readGray(empty)).getMessage().contains("empty"));
        Path text = Files.writeString(dir.resolve("text.png"), "hello, not an image");
        assertTrue(assertThrows(ImageLoadException.class, () -> ImageFiles.readGray(text)).getMessage().contains("not a supported image"));
        Path folder = Files.createDirectory(dir.resolve("x.png"));
        assertTrue(assertThrows(ImageLoadException.class, () -> ImageFiles.readGray(folder)).getMessage().contains("directory"));
        assertThrows(ImageLoadException.class, () -> ImageFiles.readGray(dir.resolve("missing.png")));
    }

    @Test
    void atomicWriteLeavesNoTempFilesAndReplacesTarget() throws Exception {
        Path target = dir.resolve("out.png");
        ImageFiles.writePng(sample(BufferedImage.TYPE_BYTE_GRAY), target);
        // Without permission an existing file is refused; replacing it, when allowed, leaves no temp file.
        assertThrows(OutputRefusedException.class, () -> ImageFiles.writePng(sample(BufferedImage.TYPE_BYTE_GRAY), target));
        ImageFiles.writePng(sample(BufferedImage.TYPE_BYTE_GRAY), target, OutputPolicy.replacing());
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
        assertEquals(40, ImageIO.read(target.toFile()).getWidth());
    }

    @Test
    void failedWriteKeepsTheOldFile() throws Exception {
        Path target = dir.resolve("keep.csv");
        Files.writeString(target, "old");
        // Allowed to replace it, the write fails half-way: the old file stays whole.
        assertThrows(java.io.IOException.class, () -> OutputPolicy.replacing().write(target, OutputPolicy.Kind.CSV, out -> {
            out.write("partial".getBytes());
            throw new java.io.IOException("disk full");
        }));
        assertEquals("old", Files.readString(target));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void transparentExportHasClearPaperAndOpaqueInk() {
        GrayImage g = TestImages.parse("#.");
        BufferedImage t = g.toTransparentImage();
        assertEquals(255, t.getRGB(0, 0) >>> 24);
        assertEquals(0, t.getRGB(1, 0) >>> 24);
        assertFalse(t.getColorModel().getAlpha(t.getRaster().getDataElements(1, 0, null)) > 0);
    }

    @Test
    void aGuardedStreamFailsEveryReadOnceItsDeadlineHasPassed() throws Exception {
        Path f = dir.resolve("bytes.bin");
        Files.write(f, new byte[100_000]);
        try (GuardedImageInput in = new GuardedImageInput(javax.imageio.ImageIO.createImageInputStream(f.toFile()), 0)) {
            javax.imageio.IIOException e = assertThrows(javax.imageio.IIOException.class, () -> {
                for (int i = 0; i < 100_000; i++) {
                    in.read();
                }
            });
            assertTrue(e.getMessage().contains("-Dinkwell.decodeSeconds"), e.getMessage());
            assertThrows(javax.imageio.IIOException.class, in::read, "and every read after it");
            assertTrue(in.tripped() != null);
        }
        // Within its deadline it reads like the stream it wraps, including seeks and the end of the file.
        try (GuardedImageInput in = new GuardedImageInput(javax.imageio.ImageIO.createImageInputStream(f.toFile()), 60)) {
            in.seek(99_998);
            assertEquals(0, in.read());
            assertEquals(0, in.readByte());
            assertEquals(-1, in.read());
            assertEquals(100_000, in.length());
        }
    }

    /**
     * A scanner records its resolution (PNG pHYs, JPEG JFIF density); results keep it so the signature keeps its size
     * on paper. 72 and 96 dpi (phones, screens) say nothing about paper; a file that cannot be read has none.
     * Mutations caught: the floor at 100 dpi dropped (72 read), the mm-per-pixel conversion inverted.
     */
    @Test
    void theScannersResolutionIsReadFromTheFile() throws Exception {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        Path png300 = ImageFiles.writePng(img, dir.resolve("a.png"), OutputPolicy.strict(), 300);
        Path png72 = ImageFiles.writePng(img, dir.resolve("b.png"), OutputPolicy.strict(), 72);
        Path plain = ImageFiles.writePng(img, dir.resolve("c.png"));
        assertEquals(300, ImageFiles.sourceDpi(png300), 0.1);
        assertEquals(0, ImageFiles.sourceDpi(png72));
        assertEquals(0, ImageFiles.sourceDpi(plain));
        assertEquals(600, ImageFiles.sourceDpi(jpeg(img, dir.resolve("d.jpg"), 600)), 0.1);
        assertEquals(0, ImageFiles.sourceDpi(jpeg(img, dir.resolve("e.jpg"), 72)));
        assertEquals(ImageFiles.PDF_DPI, ImageFiles.sourceDpi(dir.resolve("scan.pdf")));
        Path junk = Files.write(dir.resolve("junk.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        assertEquals(0, ImageFiles.sourceDpi(junk));
        assertEquals(0, ImageFiles.sourceDpi(dir.resolve("missing.tif")));
    }

    private static Path jpeg(BufferedImage img, Path out, int dpi) throws Exception {
        javax.imageio.ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(out.toFile())) {
            w.setOutput(ios);
            javax.imageio.metadata.IIOMetadata meta = w.getDefaultImageMetadata(
                    javax.imageio.ImageTypeSpecifier.createFromRenderedImage(img), w.getDefaultWriteParam());
            String format = "javax_imageio_jpeg_image_1.0";
            org.w3c.dom.Element tree = (org.w3c.dom.Element) meta.getAsTree(format);
            org.w3c.dom.Element jfif = (org.w3c.dom.Element) tree.getElementsByTagName("app0JFIF").item(0);
            jfif.setAttribute("resUnits", "1");
            jfif.setAttribute("Xdensity", Integer.toString(dpi));
            jfif.setAttribute("Ydensity", Integer.toString(dpi));
            meta.setFromTree(format, tree);
            w.write(new javax.imageio.IIOImage(img, null, meta));
        } finally {
            w.dispose();
        }
        return out;
    }
}
