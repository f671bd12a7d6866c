package org.inkwell.data;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/** Reads scans of any common format as 8-bit grey and writes PNGs atomically. */
public final class ImageFiles {
    /** Extensions the data set browser and batch cleaning pick up. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "webp", "pdf");
    /** Scanned PDFs are rendered at this resolution (a signature at 200 dpi has strokes of 2-5 px). */
    public static final int PDF_DPI = 200;
    /** Images above this many pixels are refused before decoding (a 100000x100000 header would need 40 GB). */
    public static final long MAX_PIXELS = Long.getLong("inkwell.maxPixels", 120_000_000L);
    /**
     * Images with a longer side are refused before decoding: cleaning cost grows with the number of tiles, and a
     * 1,000,000x8 strip is only 8 megapixels but thousands of tiles.
     */
    public static final int MAX_SIDE = Integer.getInteger("inkwell.maxSide", 20_000);
    /**
     * Seconds decoding one image or rendering one PDF page may take: 15, so that with the rest of the work a hostile
     * file is refused within 20 s, while a legitimate 120-megapixel scan decodes in a few seconds.
     */
    public static final long DECODE_SECONDS = Long.getLong("inkwell.decodeSeconds", 10);
    /**
     * Pixels a WebP may declare per byte of file: 10,000. Its decoder runs pixel by pixel whatever the data, and a
     * scan does not compress below a few bits a pixel (a clean signature in lossless WebP: under 1,000 pixels a byte);
     * 41 bytes declaring 2000x2000 pixels took two minutes to decode.
     */
    public static final long MAX_WEBP_PIXELS_PER_BYTE = Long.getLong("inkwell.maxWebpPixelsPerByte", 10_000L);

    static {
        ImageIO.scanForPlugins();
        ImageIO.setUseCache(false);
    }

    private ImageFiles() {
    }

    public static boolean hasImageExtension(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1));
    }

    /** Reads the first frame of an image file as grey levels in [0, 1] (not yet binarized). */
    public static GrayImage readGray(Path file) throws ImageLoadException {
        return toGray(readUpright(file));
    }

    /**
     * The first frame (or PDF page) of an image file as every image viewer shows it: a phone photo's EXIF
     * orientation is applied, so the result is upright. Colour is kept (for display); budgets as in {@link #probe}.
     */
    public static BufferedImage readUpright(Path file) throws ImageLoadException {
        return open(file, true);
    }

    /**
     * Checks an image file's header against the size and memory budgets without decoding its pixels, so a batch
     * can refuse what it cannot afford before loading a model. Decoding may still fail later on damaged data.
     */
    public static void probe(Path file) throws ImageLoadException {
        open(file, false);
    }

    private static BufferedImage open(Path file, boolean decode) throws ImageLoadException {
        if (Files.isDirectory(file)) {
            throw new ImageLoadException(file + ": is a directory, not an image");
        }
        if (!Files.isReadable(file)) {
            throw new ImageLoadException(file + ": cannot be read (missing or no permission)");
        }
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new ImageLoadException(file + ": empty file");
            }
            byte[] head = head(file);
            if (isPdf(head)) {
                return PdfPages.firstPage(file, PDF_DPI, decode);
            }
            if (TiffLimits.isTiff(head)) {
                TiffLimits.check(file); // strip and tile counts, before the decoder reads its directory
            }
            ImageInputStream raw = ImageIO.createImageInputStream(file.toFile());
            if (raw == null) {
                throw new ImageLoadException(file + ": cannot be opened");
            }
            try (GuardedImageInput in = new GuardedImageInput(raw, DECODE_SECONDS)) {
                try {
                    return decode(file, in, head, size, decode);
                } catch (IOException | RuntimeException e) {
                    if (in.tripped() != null) {
                        throw new ImageLoadException(file + ": " + in.tripped(), e);
                    }
                    throw e;
                }
            }
        } catch (ImageLoadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ImageLoadException(file + ": unreadable or truncated image (" + why + ")", e);
        } catch (OutOfMemoryError e) {
            throw new ImageLoadException(file + ": image too large to decode in the available memory", e);
        }
    }

    /** The header checks of {@link #open} for an ImageIO format, then (when asked) the pixels. */
    private static BufferedImage decode(Path file, ImageInputStream in, byte[] head, long fileSize, boolean decode)
            throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new ImageLoadException(file + ": not a supported image (PNG, JPEG, BMP, GIF, TIFF, WebP or PDF)");
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(in, true, true);
            long w = reader.getWidth(0);
            long h = reader.getHeight(0);
            if (w <= 0 || h <= 0) {
                throw new ImageLoadException(file + ": image has no pixels");
            }
            checkBudget(file.toString(), w, h, bitsPerPixel(reader));
            if (isWebp(head) && w * h > fileSize * MAX_WEBP_PIXELS_PER_BYTE) {
                throw new ImageLoadException(String.format(Locale.ROOT, "%s: refused, a %,d-byte WebP declaring "
                        + "%dx%d pixels (more than %,d pixels a byte: a forged header; raise "
                        + "-Dinkwell.maxWebpPixelsPerByte if it is real)", file, fileSize, w, h, MAX_WEBP_PIXELS_PER_BYTE));
            }
            if (!decode) {
                return null;
            }
            BufferedImage image = reader.read(0);
            return Orientation.upright(image, Orientation.exifOrientation(file));
        } finally {
            reader.dispose();
        }
    }

    /**
     * Refuses an image before it is decoded when its longest side, its pixel count or the memory to decode it
     * (the decoded raster plus Inkwell's float copy) is over the limit; each message names the limit and its switch.
     */
    static void checkBudget(String name, long w, long h, int bitsPerPixel) throws ImageLoadException {
        if (Math.max(w, h) > MAX_SIDE) {
            throw new ImageLoadException(name + ": image is " + w + "x" + h + " pixels; its longest side is over the "
                    + MAX_SIDE + " pixels Inkwell accepts (scale it down, or raise -Dinkwell.maxSide)");
        }
        if (w * h > MAX_PIXELS) {
            throw new ImageLoadException(name + ": image is " + w + "x" + h + " pixels, more than the "
                    + MAX_PIXELS / 1_000_000 + " megapixels Inkwell accepts (scale it down, or raise -Dinkwell.maxPixels)");
        }
        long decoded = w * h * Math.max(8, bitsPerPixel) / 8 + w * h * Float.BYTES;
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (decoded > available) {
            throw new ImageLoadException(String.format(Locale.ROOT,
                    "%s: image is %dx%d pixels and needs about %d MB to decode, more than the %d MB of Java memory free "
                            + "(scale it down, or give Java more memory with -Xmx)", name, w, h, decoded >> 20, available >> 20));
        }
    }

    /** Bits per decoded pixel as the reader will produce it (32 when it cannot tell). */
    private static int bitsPerPixel(ImageReader reader) {
        try {
            var types = reader.getImageTypes(0);
            if (types != null && types.hasNext()) {
                int bits = 0;
                var sm = types.next().getSampleModel();
                for (int b = 0; b < sm.getNumBands(); b++) {
                    bits += sm.getSampleSize(b);
                }
                return bits;
            }
        } catch (IOException | RuntimeException e) {
            // Fall through to the pessimistic guess.
        }
        return 32;
    }

    /** The first 16 bytes of a file (fewer when it is shorter). */
    private static byte[] head(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(16);
        }
    }

    private static boolean isPdf(byte[] head) {
        return head.length >= 5 && new String(head, 0, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("%PDF-");
    }

    private static boolean isWebp(byte[] head) {
        return head.length >= 12 && new String(head, 0, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("RIFF")
                && new String(head, 8, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("WEBP");
    }

    /** Reads and binarizes a scan: ink 0, paper 1. */
    public static GrayImage readBinary(Path file) throws ImageLoadException {
        return Binarizer.binarize(readGray(file));
    }

    /** Converts any decoded image to luminance; transparent pixels count as paper. */
    public static GrayImage toGray(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        float[] out = new float[w * h];
        if (src.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            var raster = src.getRaster();
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = row[x] / 255f;
                }
            }
            return new GrayImage(w, h, out);
        }
        if (src.getType() == BufferedImage.TYPE_USHORT_GRAY) {
            var raster = src.getRaster();
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = row[x] / 65535f;
                }
            }
            return new GrayImage(w, h, out);
        }
        BufferedImage rgb = src;
        if (src.getColorModel().getColorSpace().getType() != ColorSpace.TYPE_RGB) {
            // CMYK and other colour spaces: convert to sRGB first.
            rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
            new ColorConvertOp(null).filter(src, rgb);
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            rgb.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                float a = ((p >>> 24) & 0xff) / 255f;
                float lum = (0.299f * ((p >> 16) & 0xff) + 0.587f * ((p >> 8) & 0xff) + 0.114f * (p & 0xff)) / 255f;
                if (!rgb.getColorModel().hasAlpha()) {
                    a = 1f;
                }
                out[y * w + x] = a * lum + (1f - a);
            }
        }
        return new GrayImage(w, h, out);
    }

    /** Writes {@code image} as PNG through {@link OutputPolicy#strict()}: atomic, never onto a special file or another kind. */
    public static Path writePng(BufferedImage image, Path target) throws IOException {
        return writePng(image, target, OutputPolicy.strict());
    }

    /** Writes {@code image} as PNG if {@code policy} allows {@code target}; returns the real path written. */
    public static Path writePng(BufferedImage image, Path target, OutputPolicy policy) throws IOException {
        return writePng(image, target, policy, 0);
    }

    /**
     * As {@link #writePng(BufferedImage, Path, OutputPolicy)}, recording {@code dpi} (when above 0) in the PNG's pHYs
     * chunk, so that documents and printers place it at its physical size.
     */
    public static Path writePng(BufferedImage image, Path target, OutputPolicy policy, double dpi) throws IOException {
        return policy.write(target, OutputPolicy.Kind.PNG, out -> writePng(image, out, dpi));
    }

    /** The PNG bytes of {@code image}, with {@code dpi} in its pHYs chunk when above 0. */
    public static void writePng(BufferedImage image, java.io.OutputStream out, double dpi) throws IOException {
        if (dpi <= 0) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
            return;
        }
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            javax.imageio.ImageTypeSpecifier type = javax.imageio.ImageTypeSpecifier.createFromRenderedImage(image);
            javax.imageio.metadata.IIOMetadata meta = writer.getDefaultImageMetadata(type, writer.getDefaultWriteParam());
            javax.imageio.metadata.IIOMetadataNode phys = new javax.imageio.metadata.IIOMetadataNode("pHYs");
            String perMetre = Long.toString(Math.round(dpi / 0.0254));
            phys.setAttribute("pixelsPerUnitXAxis", perMetre);
            phys.setAttribute("pixelsPerUnitYAxis", perMetre);
            phys.setAttribute("unitSpecifier", "meter");
            javax.imageio.metadata.IIOMetadataNode root = new javax.imageio.metadata.IIOMetadataNode("javax_imageio_png_1.0");
            root.appendChild(phys);
            meta.mergeTree("javax_imageio_png_1.0", root);
            writer.write(new javax.imageio.IIOImage(image, null, meta));
        } finally {
            writer.dispose();
        }
    }

    /**
     * The resolution a scanner recorded in an image file, in dots per inch, so a result keeps the signature's size
     * on paper; 0 when the file records none or one that says nothing about paper (phones and screens write 72 or
     * 96: below 100 is not taken; above 2400 neither). A PDF page is rendered at {@link #PDF_DPI}. Reads the header
     * only, and never fails: a file it cannot read has no resolution.
     */
    public static double sourceDpi(Path file) {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pdf")) {
            return PDF_DPI;
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return 0;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, false);
                javax.imageio.metadata.IIOMetadata meta = reader.getImageMetadata(0);
                if (meta == null || !meta.isStandardMetadataFormatSupported()) {
                    return 0;
                }
                org.w3c.dom.Node tree = meta.getAsTree(javax.imageio.metadata.IIOMetadataFormatImpl.standardMetadataFormatName);
                for (org.w3c.dom.Node d = tree.getFirstChild(); d != null; d = d.getNextSibling()) {
                    if (!d.getNodeName().equals("Dimension")) {
                        continue;
                    }
                    for (org.w3c.dom.Node n = d.getFirstChild(); n != null; n = n.getNextSibling()) {
                        if (n.getNodeName().equals("HorizontalPixelSize")) {
                            double mmPerPixel = Double.parseDouble(n.getAttributes().getNamedItem("value").getNodeValue());
                            double dpi = 25.4 / mmPerPixel;
                            return dpi >= 100 && dpi <= 2400 ? Math.round(dpi * 10) / 10.0 : 0;
                        }
                    }
                }
                return 0;
            } finally {
                reader.dispose();
            }
        } catch (Exception | LinkageError e) {
            return 0;
        }
    }

    /** The resolution a PNG's pHYs chunk records, in dots per inch; 0 when it has none. */
    public static double pngDpi(Path png) throws IOException {
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
            javax.imageio.ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in);
                org.w3c.dom.Node tree = reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
                for (org.w3c.dom.Node n = tree.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n.getNodeName().equals("pHYs")) {
                        var attrs = n.getAttributes();
                        if ("meter".equals(attrs.getNamedItem("unitSpecifier").getNodeValue())) {
                            return Double.parseDouble(attrs.getNamedItem("pixelsPerUnitXAxis").getNodeValue()) * 0.0254;
                        }
                    }
                }
                return 0;
            } finally {
                reader.dispose();
            }
        }
    }

}
