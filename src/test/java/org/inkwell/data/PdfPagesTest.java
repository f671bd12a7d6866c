package org.inkwell.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PdfPagesTest {
    @TempDir
    Path dir;

    /** A one-inch page of {@code fills} tiny filled squares, drawn directly (no forms): 2 operations each. */
    private Path flatPage(int fills) throws Exception {
        Path f = dir.resolve("flat-" + fills + ".pdf");
        try (var doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            var page = new org.apache.pdfbox.pdmodel.PDPage(new org.apache.pdfbox.pdmodel.common.PDRectangle(72, 72));
            doc.addPage(page);
            var content = new org.apache.pdfbox.pdmodel.common.PDStream(doc);
            try (var out = content.createOutputStream(org.apache.pdfbox.cos.COSName.FLATE_DECODE)) {
                byte[] fill = "0 0 1 1 re f\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                for (int i = 0; i < fills; i++) {
                    out.write(fill);
                }
            }
            page.setContents(content);
            doc.save(f.toFile());
        }
        return f;
    }

    @Test
    void renderingStopsAtItsDeadline() throws Exception {
        // 400,000 operations: under the count budget, seconds to render; with a 200 ms deadline it stops at once.
        Path f = flatPage(200_000);
        long t0 = System.nanoTime();
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> PdfPages.firstPage(f, 200, true, 200));
        long took = System.nanoTime() - t0;
        assertTrue(e.getMessage().contains("took longer than 0.2 s") && e.getMessage().contains("-Dinkwell.decodeSeconds"),
                e.getMessage());
        assertTrue(took < 5_000_000_000L, "stopped near its deadline: " + took / 1_000_000 + " ms");
    }

    @Test
    void anOrdinaryPageRendersWithinTheBudgets() throws Exception {
        var img = PdfPages.firstPage(flatPage(10), 200, true);
        assertEquals(200, img.getWidth());
        assertEquals(null, PdfPages.firstPage(flatPage(10), 200, false));
    }

    @Test
    void aFormThatDrawsItselfIsRefusedBeforeRendering() throws Exception {
        Path f = dir.resolve("loop.pdf");
        try (var doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            var page = new org.apache.pdfbox.pdmodel.PDPage(new org.apache.pdfbox.pdmodel.common.PDRectangle(72, 72));
            doc.addPage(page);
            var form = new org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject(doc);
            form.setBBox(new org.apache.pdfbox.pdmodel.common.PDRectangle(72, 72));
            var resources = new org.apache.pdfbox.pdmodel.PDResources();
            form.setResources(resources);
            String self = resources.add(form).getName();
            try (var out = form.getContentStream().createOutputStream()) {
                out.write(("0 0 1 1 re f /" + self + " Do\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            page.setResources(new org.apache.pdfbox.pdmodel.PDResources());
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                content.drawForm(form);
            }
            doc.save(f.toFile());
        }
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> PdfPages.firstPage(f, 200, false));
        assertTrue(e.getMessage().contains("endless drawing operations"), e.getMessage());
    }
}
