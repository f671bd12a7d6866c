package org.inkwell.ui;

import org.inkwell.data.SignatureLibrary;
import org.inkwell.ui.compare.LibraryViewModel;
import org.inkwell.ui.task.DirectTaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #26 (5): the signature library keeps, lists, exports and deletes, and survives a restart. */
class LibraryViewModelTest {
    @TempDir
    Path dir;

    private static BufferedImage signature() {
        BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_ARGB);
        for (int x = 5; x < 35; x++) {
            img.setRGB(x, 10, 0xFF1A3A9C);
        }
        return img;
    }

    @Test
    void keptSignaturesSurviveARestart() throws Exception {
        Path folder = dir.resolve("data/signatures");
        BufferedImage sig = signature();
        LibraryViewModel first = new LibraryViewModel(new DirectTaskExecutor(), new SignatureLibrary(folder), () -> sig);
        first.refresh();
        assertTrue(first.entries().isEmpty());
        first.keep("  Jane Doe ", false);
        assertEquals(1, first.entries().size(), first.statusProperty().get());
        assertEquals("Jane Doe", first.entries().get(0).name());

        // A new session over the same folder sees it, pixel for pixel (alpha included).
        LibraryViewModel second = new LibraryViewModel(new DirectTaskExecutor(), new SignatureLibrary(folder), () -> null);
        second.refresh();
        assertEquals(1, second.entries().size());
        BufferedImage back = second.entries().get(0).image();
        for (int y = 0; y < sig.getHeight(); y++) {
            for (int x = 0; x < sig.getWidth(); x++) {
                assertEquals(sig.getRGB(x, y), back.getRGB(x, y));
            }
        }
        try (var files = Files.list(folder)) {
            assertEquals(1, files.count(), "no temporary file left beside it");
        }

        // The same name is refused unless replacing; a bad name is refused in one line.
        first.keep("Jane Doe", false);
        assertTrue(first.statusProperty().get().contains("already kept"), first.statusProperty().get());
        first.keep("../escape", false);
        assertTrue(first.statusProperty().get().contains("name"), first.statusProperty().get());
        assertTrue(Files.notExists(dir.resolve("data/escape.png")));

        Path exported = dir.resolve("out.png");
        second.export(second.entries().get(0), exported);
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(folder.resolve("Jane Doe.png")), Files.readAllBytes(exported)));

        second.delete(second.entries().get(0));
        assertTrue(second.entries().isEmpty());
        assertTrue(Files.notExists(folder.resolve("Jane Doe.png")));
        assertTrue(Files.exists(exported), "the exported copy stays");
    }
}
