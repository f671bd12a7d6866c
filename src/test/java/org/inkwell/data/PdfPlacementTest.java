package org.inkwell.data;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #26 (6): a signature placed on a PDF page lands on the chosen page at the chosen place, with its
 * transparency, and the input's bytes are unchanged. Mutations caught: the page index off by one (page 1 gets it),
 * y measured from the bottom (the ink is found low on the page), the alpha dropped (the page's text under the
 * signature's transparent parts is covered).
 */
class PdfPlacementTest {
    @TempDir
    Path dir;

    private Path twoPages() throws Exception {
        Path pdf = dir.resolve("contract.pdf");
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage(PDRectangle.A4));
            doc.addPage(new PDPage(PDRectangle.A4));
            doc.save(pdf.toFile());
        }
        return pdf;
    }

    /** A 200 x 80 signature: a dark bar across its middle, transparent elsewhere. */
    private static BufferedImage signature() {
        BufferedImage img = new BufferedImage(200, 80, BufferedImage.TYPE_INT_ARGB);
        for (int y = 35; y < 45; y++) {
            for (int x = 0; x < 200; x++) {
                img.setRGB(x, y, 0xFF101010);
            }
        }
        return img;
    }

    @Test
    void theSignatureLandsOnTheChosenPageAtTheChosenPlace() throws Exception {
        Path in = twoPages();
        byte[] before = Files.readAllBytes(in);
        Path out = dir.resolve("signed.pdf");
        PdfPlacement.place(in, signature(), new PdfPlacement.Place(2, 100, 200, 50), out, OutputPolicy.strict());
        assertArrayEquals(before, Files.readAllBytes(in), "the input is only read");
        try (PDDocument doc = Loader.loadPDF(out.toFile())) {
            assertEquals(2, doc.getNumberOfPages());
            assertEquals(0, count(doc.getPage(0)), "page 1 is untouched");
            assertEquals(1, count(doc.getPage(1)));
            // Rendered at 72 dpi (1 px per point): the bar is at x 100-150 mm, y 200 + 10 mm (its middle) from the top.
            BufferedImage page = new PDFRenderer(doc).renderImage(1, 1f);
            double pt = 72 / 25.4;
            int cx = (int) Math.round(125 * pt);
            int barY = (int) Math.round((200 + 10) * pt);
            assertTrue((page.getRGB(cx, barY) & 0xFF) < 80, "ink at the bar's middle");
            assertTrue((page.getRGB(cx, barY - (int) (6 * pt)) & 0xFF) > 200, "paper above the bar: the alpha was kept");
            assertTrue((page.getRGB((int) (90 * pt), barY) & 0xFF) > 200, "paper left of the signature");
            assertTrue((page.getRGB(cx, (int) Math.round((297 - 210) * pt)) & 0xFF) > 200, "not measured from the bottom");
        }
    }

    @Test
    void aPlaceOffThePageOrAMissingPageIsRefusedAndNothingIsWritten() throws Exception {
        Path in = twoPages();
        Path out = dir.resolve("nope.pdf");
        assertThrows(IllegalArgumentException.class,
                () -> PdfPlacement.place(in, signature(), new PdfPlacement.Place(3, 10, 10, 50), out, OutputPolicy.strict()));
        assertThrows(IllegalArgumentException.class,
                () -> PdfPlacement.place(in, signature(), new PdfPlacement.Place(1, 180, 10, 50), out, OutputPolicy.strict()));
        assertTrue(Files.notExists(out));
        assertThrows(java.io.IOException.class,
                () -> PdfPlacement.place(in, signature(), new PdfPlacement.Place(1, 10, 10, 50), in, OutputPolicy.replacing()),
                "the input is never the output");
        assertEquals(2, PdfPlacement.pages(in));
    }

    /**
     * A page with {@code /Rotate 90} is shown landscape: the place is counted on the page as shown, and the signature
     * is drawn upright there. Mutations caught: the place counted on the unturned page (the ink lands elsewhere), the
     * turn's direction reversed (the bar comes out at the mirrored place), the image drawn unturned (the bar would be
     * vertical, its middle paper).
     */
    @Test
    void aTurnedPageIsSignedAsItIsShown() throws Exception {
        Path in = dir.resolve("landscape.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            page.setRotation(90);
            doc.addPage(page);
            doc.save(in.toFile());
        }
        PdfPlacement.PageImage shown = PdfPlacement.render(in, 1, 36);
        assertEquals(297, shown.widthMm(), 0.5);
        assertEquals(210, shown.heightMm(), 0.5);
        assertTrue(shown.image().getWidth() > shown.image().getHeight(), "rendered as shown: landscape");
        Path out = dir.resolve("signed.pdf");
        PdfPlacement.place(in, signature(), new PdfPlacement.Place(1, 200, 150, 60), out, OutputPolicy.strict());
        try (PDDocument doc = Loader.loadPDF(out.toFile())) {
            BufferedImage page = new PDFRenderer(doc).renderImage(0, 1f);
            assertTrue(page.getWidth() > page.getHeight());
            double pt = 72 / 25.4;
            int barY = (int) Math.round((150 + 12) * pt); // 60 mm wide, 24 mm tall: the bar's middle 12 mm down
            for (double xMm : new double[]{205, 230, 255}) {
                assertTrue((page.getRGB((int) Math.round(xMm * pt), barY) & 0xFF) < 80, "ink along the bar at " + xMm + " mm");
            }
            assertTrue((page.getRGB((int) Math.round(230 * pt), barY - (int) (8 * pt)) & 0xFF) > 200, "paper above the bar");
            assertTrue((page.getRGB((int) Math.round((297 - 230) * pt), barY) & 0xFF) > 200, "not mirrored");
        }
    }

    /**
     * An opaque signature (saved on white) has its paper taken out before it goes on a page, so it never hides the
     * document under it; anti-aliased edges keep their colour. Mutations caught: alpha from the brightest channel
     * (blue ink would come out half transparent), the colour not unblended (an edge pixel turns pale blue-white),
     * white kept opaque (the page's line under the signature disappears).
     */
    @Test
    void anOpaqueSignatureGoesOnThePageWithoutItsPaper() throws Exception {
        BufferedImage opaque = new BufferedImage(200, 80, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 80; y++) {
            for (int x = 0; x < 200; x++) {
                opaque.setRGB(x, y, 0xFFFFFF);
            }
        }
        for (int x = 0; x < 200; x++) {
            for (int y = 35; y < 45; y++) {
                opaque.setRGB(x, y, 0x0000C8); // blue ink
            }
            opaque.setRGB(x, 34, 0x8080E3); // half of that blue over white
        }
        BufferedImage ink = PdfPlacement.inkOnly(opaque);
        assertEquals(0, ink.getRGB(5, 5) >>> 24, "paper is transparent");
        assertEquals(0xFF0000C8, ink.getRGB(5, 40), "full ink keeps its colour, opaque");
        int edge = ink.getRGB(5, 34);
        assertEquals(127, edge >>> 24, 2.0, "half ink is half opaque");
        assertEquals(0, (edge >> 16) & 0xFF, 3.0, "the edge's colour is the ink's");
        assertEquals(0xC8, edge & 0xFF, 3.0, "the edge's colour is the ink's");
        assertTrue(PdfPlacement.inkOnly(signature()) == signature() || PdfPlacement.inkOnly(signature()).getColorModel().hasAlpha());

        // On a page with a black rule, the rule stays visible through the signature's paper.
        Path in = dir.resolve("ruled.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (var cs = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                cs.addRect(0, 842 - 100, 595, 4); // a 4 pt rule 96-100 pt from the top
                cs.fill();
            }
            doc.save(in.toFile());
        }
        Path out = dir.resolve("signed.pdf");
        // 200 pt wide at 20 pt from the left, 80 pt from the top: the rule crosses the signature's top paper rows.
        double pt = 72 / 25.4;
        PdfPlacement.place(in, opaque, new PdfPlacement.Place(1, 20 / pt, 80 / pt, 200 / pt), out, OutputPolicy.strict());
        try (PDDocument doc = Loader.loadPDF(out.toFile())) {
            BufferedImage page = new PDFRenderer(doc).renderImage(0, 1f);
            assertTrue((page.getRGB(120, 98) & 0xFF) < 60, "the rule under the signature's paper is still there");
            int blue = page.getRGB(120, 80 + 40);
            assertTrue((blue & 0xFF) > 150 && ((blue >> 16) & 0xFF) < 60, "the ink is blue");
        }
    }

    private static int count(PDPage page) throws Exception {
        int n = 0;
        if (page.getResources() == null) {
            return 0;
        }
        for (var name : page.getResources().getXObjectNames()) {
            if (page.getResources().getXObject(name) instanceof PDImageXObject) {
                n++;
            }
        }
        return n;
    }
}
