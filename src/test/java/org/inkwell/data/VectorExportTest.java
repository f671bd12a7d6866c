package org.inkwell.data;

import org.apache.batik.transcoder.TranscoderInput;
import org.apache.batik.transcoder.TranscoderOutput;
import org.apache.batik.transcoder.image.ImageTranscoder;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SVG and PDF exports, drawn by programs Inkwell did not write (Batik, PDFBox's renderer), match the PNG.
 * Catches: outlines shifted by a pixel or half a pixel, the PDF not flipped upright, holes filled (no even-odd or
 * an outline left open), curves that overshoot the ink, a wrong ink colour or physical size.
 */
class VectorExportTest {
    @TempDir
    Path dir;

    /** Batik's rendering of an SVG text, {@code w} pixels wide, on white. */
    static BufferedImage renderSvg(String svg, int w, int h) throws Exception {
        BufferedImage[] out = new BufferedImage[1];
        ImageTranscoder t = new ImageTranscoder() {
            @Override
            public BufferedImage createImage(int width, int height) {
                return new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
            }

            @Override
            public void writeImage(BufferedImage img, TranscoderOutput output) {
                out[0] = img;
            }
        };
        t.addTranscodingHint(ImageTranscoder.KEY_WIDTH, (float) w);
        t.addTranscodingHint(ImageTranscoder.KEY_HEIGHT, (float) h);
        t.addTranscodingHint(ImageTranscoder.KEY_BACKGROUND_COLOR, java.awt.Color.WHITE);
        t.transcode(new TranscoderInput(new StringReader(svg)), null);
        return out[0];
    }

    private static boolean ink(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        return (r + g + b) / 3 < 128;
    }

    /** Pixels whose ink differs, over the PNG's ink pixels. */
    private static double mismatch(BufferedImage png, BufferedImage drawn) {
        assertEquals(png.getWidth(), drawn.getWidth());
        assertEquals(png.getHeight(), drawn.getHeight());
        long differ = 0;
        long ink = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                boolean a = ink(png.getRGB(x, y));
                ink += a ? 1 : 0;
                differ += a != ink(drawn.getRGB(x, y)) ? 1 : 0;
            }
        }
        return differ / (double) ink;
    }

    private static BufferedImage signature() {
        GrayImage g = new SignatureGenerator(12).generate(3);
        return Preprocess.resizeNearest(g, g.width() * 2, g.height() * 2).toBufferedImage();
    }

    @Test
    void theSvgDrawnByBatikMatchesThePngWithSmoothCurves() throws Exception {
        BufferedImage png = signature();
        String svg = VectorExport.svg(png, 0x000000, 0);
        BufferedImage drawn = renderSvg(svg, png.getWidth(), png.getHeight());
        double m = mismatch(png, drawn);
        assertTrue(m < 0.08, "Batik's drawing differs from the PNG on " + m + " of the ink");
        assertTrue(svg.contains("C") && svg.contains("fill-rule=\"evenodd\""), "smooth curves, even-odd");
        int points = svg.split("C").length;
        long edge = 0;
        for (int y = 1; y < png.getHeight() - 1; y++) {
            for (int x = 1; x < png.getWidth() - 1; x++) {
                if (ink(png.getRGB(x, y)) && !ink(png.getRGB(x + 1, y))) {
                    edge++;
                }
            }
        }
        assertTrue(points < edge, "thinned: " + points + " curve points for " + edge + " edge pixels");
    }

    @Test
    void aRingKeepsItsHoleAndColourAndSizeAreKept() throws Exception {
        int n = 120;
        BufferedImage ring = new BufferedImage(n, n, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double r = Math.hypot(x - n / 2.0, y - n / 2.0);
                ring.setRGB(x, y, r > 25 && r < 45 ? 0xff1a3c8c : 0x00ffffff); // blue ink on transparent paper
            }
        }
        String svg = VectorExport.svg(ring, 0x1a3c8c, 40);
        assertTrue(svg.contains("width=\"40.00mm\" height=\"40.00mm\"") && svg.contains("fill=\"#1a3c8c\""), svg.substring(0, 300));
        BufferedImage drawn = renderSvg(svg, n, n);
        assertTrue(!ink(drawn.getRGB(n / 2, n / 2)), "the hole stays paper");
        assertTrue(ink(drawn.getRGB(n / 2 + 35, n / 2)), "the ring is ink");
        assertEquals(0x1a3c8c, drawn.getRGB(n / 2 + 35, n / 2) & 0xffffff, "the ink's colour");
        assertTrue(mismatch(ring, drawn) < 0.05);
    }

    @Test
    void thePdfDrawnByPdfBoxMatchesThePngAndTheFilesAreAtomicAndTheirKind() throws Exception {
        BufferedImage png = signature();
        Path pdf = VectorExport.writePdf(png, 0x000000, 0, dir.resolve("sig.pdf"), OutputPolicy.strict());
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            assertEquals(1, doc.getNumberOfPages());
            BufferedImage drawn = new PDFRenderer(doc).renderImageWithDPI(0, 96);
            double m = mismatch(png, drawn);
            assertTrue(m < 0.08, "PDFBox's drawing differs from the PNG on " + m + " of the ink");
        }
        Path svg = VectorExport.writeSvg(png, 0, 50, dir.resolve("sig.svg"), OutputPolicy.strict());
        assertTrue(Files.readString(svg).startsWith("<?xml"));
        // A PNG under the SVG's name is another kind of file: refused, and said so.
        Path png2 = ImageFiles.writePng(png, dir.resolve("other.svg"));
        byte[] before = Files.readAllBytes(png2);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(OutputRefusedException.class,
                () -> VectorExport.writeSvg(png, 0, 0, png2, OutputPolicy.strict())).getMessage().contains("is a PNG image, not an SVG image"));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(png2)));
        // An SVG replaced by an SVG when the user said so; the kind is recognised from the file's text.
        assertEquals(OutputPolicy.Kind.SVG.description(), OutputPolicy.kindOf(svg));
    }
}
