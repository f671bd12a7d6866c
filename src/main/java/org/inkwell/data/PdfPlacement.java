package org.inkwell.data;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.util.Matrix;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Places a signature image on a page of a PDF and writes a new PDF: the original file is only read. The image keeps
 * its transparency (PDFBox's lossless image with a soft mask) and is drawn over the page's content, at a place given
 * in millimetres from the page's top-left corner as it is shown (its crop box). This is a visible signature, not a
 * digital one: nothing certifies who placed it.
 * <p>Places are given on the page as a viewer shows it: a page with a {@code /Rotate} entry is turned before the
 * millimetres are counted, and the signature is drawn upright on the turned page.
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

    /** A page as a viewer shows it: its picture and its size in mm (turned when the page has a rotation). */
    public record PageImage(BufferedImage image, int page, int pages, double widthMm, double heightMm) {
    }

    /**
     * Page {@code page} (from 1) rendered in colour at {@code dpi}, within the budgets every PDF is read under (time,
     * pixels, nested drawing operations).
     */
    public static PageImage render(Path pdf, int page, int dpi) throws ImageLoadException {
        int pages;
        double[] size;
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            pages = doc.getNumberOfPages();
            if (page < 1 || page > pages) {
                throw new ImageLoadException(pdf + " has " + pages + " page(s); there is no page " + page);
            }
            size = shownSizePt(doc.getPage(page - 1));
        } catch (ImageLoadException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageLoadException(pdf + ": not a PDF Inkwell can read (" + IoMessages.plain(e) + ")");
        }
        BufferedImage image = PdfPages.page(pdf, page, dpi, true, ImageFiles.DECODE_SECONDS * 1000L, ImageType.RGB);
        return new PageImage(image, page, pages, size[0] / PT_PER_MM, size[1] / PT_PER_MM);
    }

    /**
     * The signature as it goes on a page: an image with transparency as it is; an opaque one (a signature saved on
     * white) with its paper taken out, so that it never covers the document's lines and text. Each pixel is read
     * as ink of some colour over white: its alpha is how far its darkest channel is from white, and its colour that
     * ink's (white "unblended"), so anti-aliased edges stay smooth and blue ink stays blue.
     */
    public static BufferedImage inkOnly(BufferedImage signature) {
        if (signature.getColorModel().hasAlpha()) {
            return signature;
        }
        int w = signature.getWidth();
        int h = signature.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            signature.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int r = (p >> 16) & 0xff;
                int g = (p >> 8) & 0xff;
                int b = p & 0xff;
                int a = 255 - Math.min(r, Math.min(g, b));
                if (a == 0) {
                    row[x] = 0;
                    continue;
                }
                int paper = 255 - a; // what white contributes to each channel
                row[x] = a << 24 | unblend(r, paper, a) << 16 | unblend(g, paper, a) << 8 | unblend(b, paper, a);
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /**
     * The signature trimmed to its ink (every pixel not fully transparent) with a margin of 2 % of its larger side,
     * so the box the user moves on a page is the signature's, not the scan's. An image without ink is returned as is.
     */
    public static BufferedImage tight(BufferedImage ink) {
        int w = ink.getWidth();
        int h = ink.getHeight();
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            ink.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                if (row[x] >>> 24 != 0) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = y;
                }
            }
        }
        if (x1 < 0) {
            return ink;
        }
        int m = Math.max(1, Math.round(Math.max(w, h) * 0.02f));
        x0 = Math.max(0, x0 - m);
        y0 = Math.max(0, y0 - m);
        x1 = Math.min(w - 1, x1 + m);
        y1 = Math.min(h - 1, y1 + m);
        if (x0 == 0 && y0 == 0 && x1 == w - 1 && y1 == h - 1) {
            return ink;
        }
        BufferedImage out = new BufferedImage(x1 - x0 + 1, y1 - y0 + 1, BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setComposite(java.awt.AlphaComposite.Src);
        g.drawImage(ink, -x0, -y0, null);
        g.dispose();
        return out;
    }

    private static int unblend(int c, int paper, int a) {
        return Math.max(0, Math.min(255, Math.round((c - paper) * 255f / a)));
    }

    /** The page's width and height in points as shown: its crop box, turned by its rotation. */
    static double[] shownSizePt(PDPage page) {
        PDRectangle box = page.getCropBox();
        boolean turned = Math.floorMod(page.getRotation(), 180) == 90;
        return turned ? new double[]{box.getHeight(), box.getWidth()} : new double[]{box.getWidth(), box.getHeight()};
    }

    /**
     * Maps the shown page's coordinates (points, origin at its lower-left corner, y up) to the page's own user space:
     * the inverse of the viewer's clockwise turn by {@code /Rotate}, moved to the crop box's corner.
     */
    static Matrix shownToUser(PDPage page) {
        PDRectangle box = page.getCropBox();
        float w = box.getWidth();
        float h = box.getHeight();
        float x0 = box.getLowerLeftX();
        float y0 = box.getLowerLeftY();
        return switch (Math.floorMod(page.getRotation(), 360)) {
            case 90 -> new Matrix(0, 1, -1, 0, x0 + w, y0);
            case 180 -> new Matrix(-1, 0, 0, -1, x0 + w, y0 + h);
            case 270 -> new Matrix(0, -1, 1, 0, x0, y0 + h);
            default -> new Matrix(1, 0, 0, 1, x0, y0);
        };
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
            double[] shown = shownSizePt(page);
            double w = place.widthMm() * PT_PER_MM;
            double h = w * signature.getHeight() / signature.getWidth();
            double x = place.xMm() * PT_PER_MM;
            double top = shown[1] - place.yMm() * PT_PER_MM;
            if (x + w > shown[0] + 0.5 || top - h < -0.5) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "the signature (%.0f x %.0f mm at %.0f,%.0f mm) does not fit on page %d (%.0f x %.0f mm)",
                        place.widthMm(), h / PT_PER_MM, place.xMm(), place.yMm(), place.page(),
                        shown[0] / PT_PER_MM, shown[1] / PT_PER_MM));
            }
            PDImageXObject image = LosslessFactory.createFromImage(doc, inkOnly(signature));
            try (PDPageContentStream cs = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.APPEND, true, true)) {
                cs.transform(shownToUser(page));
                cs.drawImage(image, (float) x, (float) (top - h), (float) w, (float) h);
            }
            return guarded.write(out, OutputPolicy.Kind.PDF, doc::save);
        }
    }
}
