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
