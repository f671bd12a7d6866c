package org.inkwell.ui;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.inkwell.data.SignatureLibrary;
import org.inkwell.ui.place.PlaceViewModel;
import org.inkwell.ui.service.UserSettings;
import org.inkwell.ui.task.DirectTaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #26 (6), the Sign pane's view model without a toolkit: open a PDF, pick a page, choose a signature, move and
 * size it (always inside the page), save a new PDF with the signature on the chosen page at the chosen place, pixel
 * for pixel the image the preview showed, the input unchanged. Mutations caught: the page picker not rendering the
 * page (the saved signature lands on page 1), the clamp dropped (a place off the page is saved and refused), the
 * preview's image not the one saved (pixel comparison), the place not carried into the PDF (ink found elsewhere).
 */
class PlaceViewModelTest {
    @TempDir
    Path dir;

    private Path pdf(int pages) throws Exception {
        Path pdf = dir.resolve("contract.pdf");
        try (PDDocument doc = new PDDocument()) {
            for (int i = 0; i < pages; i++) {
                doc.addPage(new PDPage(PDRectangle.A4));
            }
            doc.save(pdf.toFile());
        }
        return pdf;
    }

    /** A 300 x 100 signature in black on white (as Compare saves it when not transparent). */
    private static BufferedImage onWhite() {
        BufferedImage img = new BufferedImage(300, 100, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 300; x++) {
                boolean ink = y >= 45 && y < 55 || x >= 20 && x < 30 && y >= 20 && y < 80;
                img.setRGB(x, y, ink ? 0x000000 : 0xFFFFFF);
            }
        }
        return img;
    }

    private PlaceViewModel vm(UserSettings settings, SignatureLibrary library, BufferedImage current) {
        return new PlaceViewModel(new DirectTaskExecutor(), settings, library, () -> current);
    }

    @Test
    void aSignatureIsPlacedOnTheChosenPageAndSavedAsShown() throws Exception {
        UserSettings settings = TestContexts.settings();
        SignatureLibrary library = new SignatureLibrary(dir.resolve("signatures"));
        library.save("Ada", onWhite(), false);
        Path in = pdf(3);
        byte[] before = Files.readAllBytes(in);
        PlaceViewModel vm = vm(settings, library, onWhite());
        vm.refreshSignatures();
        List<String> names = new ArrayList<>();
        vm.choices().forEach(c -> names.add(c.name()));
        assertEquals(List.of("Current result (Compare)", "Ada"), names);
        assertTrue(vm.statusProperty().get().startsWith("Open a PDF"), vm.statusProperty().get());
        assertTrue(!vm.canSaveProperty().get(), "nothing to save before a document is open");

        vm.open(in);
        assertEquals(3, vm.pageImageProperty().get().pages());
        assertEquals(210, vm.pageImageProperty().get().widthMm(), 0.5);
        assertTrue(vm.statusProperty().get().contains("3 page(s)"), vm.statusProperty().get());
        // Placed at once, inside the page, at the remembered (default) width.
        assertEquals(50, vm.widthMmProperty().get(), 1e-9);
        // Trimmed to its ink (rows 20-79, the bar across the whole width) with a 6 px margin: 300 x 72 px.
        assertEquals(300, vm.signatureProperty().get().getWidth());
        assertEquals(72, vm.signatureProperty().get().getHeight());
        assertEquals(50.0 * 72 / 300, vm.heightMmProperty().get(), 1e-9);
        assertTrue(vm.xMmProperty().get() + 50 <= 210 && vm.yMmProperty().get() + vm.heightMmProperty().get() <= 297);

        vm.pageProperty().set(2);
        assertEquals(2, vm.pageImageProperty().get().page(), "the picker renders the chosen page");
        vm.choiceProperty().set(vm.choices().get(1));
        vm.moveTo(500, -20); // off the page: kept inside
        assertEquals(160, vm.xMmProperty().get(), 1e-3); // A4 is 595.276 pt, 210.00002 mm
        assertEquals(0, vm.yMmProperty().get(), 1e-9);
        vm.resize(1000); // wider than the page: the page's width, and moved left to fit
        assertEquals(210, vm.widthMmProperty().get(), 1e-3);
        assertEquals(0, vm.xMmProperty().get(), 1e-9);
        vm.resize(1);
        assertEquals(5, vm.widthMmProperty().get(), 1e-9, "no narrower than 5 mm");
        vm.resize(60);
        vm.moveTo(100, 200);
        assertEquals("contract-signed.pdf", vm.suggestedName());

        Path out = dir.resolve("contract-signed.pdf");
        vm.save(out);
        assertTrue(vm.statusProperty().get().startsWith("Saved contract-signed.pdf"), vm.statusProperty().get());
        assertArrayEquals(before, Files.readAllBytes(in), "the document is only read");
        try (PDDocument doc = Loader.loadPDF(out.toFile())) {
            assertEquals(3, doc.getNumberOfPages());
            assertNull(image(doc.getPage(0)));
            assertNull(image(doc.getPage(2)));
            PDImageXObject placed = image(doc.getPage(1));
            assertNotNull(placed, "the signature is on page 2");
            // The image in the PDF is the preview's, pixel for pixel (colour where there is ink, and alpha).
            BufferedImage shown = vm.signatureProperty().get();
            BufferedImage saved = placed.getImage();
            assertEquals(shown.getWidth(), saved.getWidth());
            for (int y = 0; y < shown.getHeight(); y++) {
                for (int x = 0; x < shown.getWidth(); x++) {
                    int a = shown.getRGB(x, y);
                    int b = saved.getRGB(x, y);
                    assertEquals(a >>> 24, b >>> 24, "alpha at " + x + "," + y);
                    if (a >>> 24 != 0) {
                        assertEquals(a & 0xFFFFFF, b & 0xFFFFFF, "colour at " + x + "," + y);
                    }
                }
            }
            // At the chosen place: 60 mm for 300 px, the bar's middle (row 50 of the original, 36 of the trimmed)
            // 7.2 mm below the top; the vertical stroke (columns 20-29) 4-6 mm from the left edge.
            BufferedImage page = new PDFRenderer(doc).renderImage(1, 1f);
            double pt = 72 / 25.4;
            double mmPerPx = 60.0 / 300;
            assertTrue((page.getRGB((int) Math.round(140 * pt), (int) Math.round((200 + 36 * mmPerPx) * pt)) & 0xFF) < 80, "ink at the place");
            assertTrue((page.getRGB((int) Math.round(140 * pt), (int) Math.round((200 + 20 * mmPerPx) * pt)) & 0xFF) > 200, "paper above the bar");
            assertTrue((page.getRGB((int) Math.round((100 + 25 * mmPerPx) * pt), (int) Math.round((200 + 10 * mmPerPx) * pt)) & 0xFF) < 80,
                    "the vertical stroke near the left edge");
        }
    }

    @Test
    void theLastDocumentAndWidthComeBackAndABrokenPdfSaysSo() throws Exception {
        UserSettings settings = TestContexts.settings();
        SignatureLibrary library = new SignatureLibrary(dir.resolve("signatures"));
        Path in = pdf(1);
        PlaceViewModel first = vm(settings, library, onWhite());
        first.refreshSignatures();
        first.open(in);
        first.resize(42);

        PlaceViewModel again = vm(settings, library, onWhite());
        again.refreshSignatures();
        again.reopenLast();
        assertEquals(in, again.documentProperty().get());
        assertEquals(42, again.widthMmProperty().get(), 1e-9);

        Path broken = dir.resolve("broken.pdf");
        Files.writeString(broken, "%PDF-1.7\nthis is not a document");
        again.open(broken);
        assertTrue(again.statusProperty().get().startsWith("Cannot open the document: "), again.statusProperty().get());
        assertEquals(in, again.documentProperty().get(), "the open document stays");

        PlaceViewModel none = vm(settings, new SignatureLibrary(dir.resolve("empty")), null);
        none.refreshSignatures();
        assertTrue(none.choices().isEmpty());
        assertTrue(none.statusProperty().get().startsWith("No signature to place yet"), none.statusProperty().get());
        none.reopenLast();
        assertTrue(!none.canSaveProperty().get());
        none.save(dir.resolve("x.pdf"));
        assertTrue(Files.notExists(dir.resolve("x.pdf")));
    }

    private static PDImageXObject image(PDPage page) throws Exception {
        if (page.getResources() == null) {
            return null;
        }
        for (var name : page.getResources().getXObjectNames()) {
            if (page.getResources().getXObject(name) instanceof PDImageXObject img) {
                return img;
            }
        }
        return null;
    }
}
