package org.inkwell.data;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Places a signature image on a page of a PDF and writes a new PDF: the original file is only read. The image keeps
 * its transparency (PDFBox's lossless image with a soft mask) and is drawn over the page's content, at a place given
 * in millimetres from the page's top-left corner as it is shown (its crop box). This is a visible signature, not a
 * digital one: nothing certifies who placed it.
 */
public final class PdfPlacement {
    /** Points per millimetre. */
    static final double PT_PER_MM = 72 / 25.4;

    private PdfPlacement() {
    }

    /** Where the signature goes: page (1-based), its top-left corner and width in mm; the height follows the image. */
    public record Place(int page, double xMm, double yMm, double widthMm) {
        public Place {
            if (page < 1) {
                throw new IllegalArgumentException("--page counts from 1, got " + page);
            }
            if (!(widthMm > 0 && widthMm <= 2000) || !(xMm >= 0) || !(yMm >= 0)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "the signature's place must be at or right/below the page's corner and its width 0-2000 mm,"
                                + " got %.1f,%.1f mm, %.1f mm wide", xMm, yMm, widthMm));
            }
        }
    }

    /** The number of pages of a PDF (for the page picker). */
    public static int pages(Path pdf) throws ImageLoadException {
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            return doc.getNumberOfPages();
        } catch (IOException e) {
            throw new ImageLoadException(pdf + ": not a PDF Inkwell can read (" + IoMessages.plain(e) + ")");
        }
    }

    /**
     * Writes {@code out}: {@code in} with {@code signature} drawn at {@code place}. {@code in} is never written (the
     * policy protects it); {@code out} is written atomically.
     */
    public static Path place(Path in, BufferedImage signature, Place place, Path out, OutputPolicy policy) throws IOException {
        OutputPolicy guarded = policy.protect(in);
        guarded.check(out, OutputPolicy.Kind.PDF);
        try (PDDocument doc = Loader.loadPDF(in.toFile())) {
            if (place.page() > doc.getNumberOfPages()) {
                throw new IllegalArgumentException(in + " has " + doc.getNumberOfPages() + " page(s); there is no page " + place.page());
            }
            PDPage page = doc.getPage(place.page() - 1);
            PDRectangle box = page.getCropBox();
            double w = place.widthMm() * PT_PER_MM;
            double h = w * signature.getHeight() / signature.getWidth();
            double x = box.getLowerLeftX() + place.xMm() * PT_PER_MM;
            double top = box.getUpperRightY() - place.yMm() * PT_PER_MM;
            if (x + w > box.getUpperRightX() + 0.5 || top - h < box.getLowerLeftY() - 0.5) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "the signature (%.0f x %.0f mm at %.0f,%.0f mm) does not fit on page %d (%.0f x %.0f mm)",
                        place.widthMm(), h / PT_PER_MM, place.xMm(), place.yMm(), place.page(),
                        box.getWidth() / PT_PER_MM, box.getHeight() / PT_PER_MM));
            }
            PDImageXObject image = LosslessFactory.createFromImage(doc, signature);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.APPEND, true, true)) {
                cs.drawImage(image, (float) x, (float) (top - h), (float) w, (float) h);
            }
            return guarded.write(out, OutputPolicy.Kind.PDF, doc::save);
        }
    }
}
