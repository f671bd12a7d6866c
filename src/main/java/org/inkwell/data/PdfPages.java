package org.inkwell.data;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** A scanned PDF's first page as an image (Apache PDFBox), within the same size budgets as any image. */
final class PdfPages {
    private PdfPages() {
    }

    static BufferedImage firstPage(Path file, int dpi, boolean render) throws ImageLoadException {
        try (PDDocument doc = Loader.loadPDF(file.toFile())) {
            if (doc.getNumberOfPages() == 0) {
                throw new ImageLoadException(file + ": the PDF has no pages");
            }
            PDRectangle box = doc.getPage(0).getCropBox();
            long w = Math.round(box.getWidth() / 72.0 * dpi);
            long h = Math.round(box.getHeight() / 72.0 * dpi);
            if (w <= 0 || h <= 0) {
                throw new ImageLoadException(file + ": the PDF's first page has no area");
            }
            ImageFiles.checkBudget(file.toString(), w, h, 8);
            return render ? new PDFRenderer(doc).renderImageWithDPI(0, dpi, ImageType.GRAY) : null;
        } catch (ImageLoadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageLoadException(file + ": unreadable PDF (" + IoMessages.plain(e) + ")", e);
        }
    }
}
