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
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff");
    /** Images above this many pixels are refused before decoding (a 100000x100000 header would need 40 GB). */
    public static final long MAX_PIXELS = 120_000_000L;

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
        if (Files.isDirectory(file)) {
            throw new ImageLoadException(file + ": is a directory, not an image");
        }
        if (!Files.isReadable(file)) {
            throw new ImageLoadException(file + ": cannot be read (missing or no permission)");
        }
        try {
            if (Files.size(file) == 0) {
                throw new ImageLoadException(file + ": empty file");
            }
            try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
                if (in == null) {
                    throw new ImageLoadException(file + ": cannot be opened");
                }
                Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
                if (!readers.hasNext()) {
                    throw new ImageLoadException(file + ": not a supported image (PNG, JPEG, BMP, GIF or TIFF)");
                }
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    long w = reader.getWidth(0);
                    long h = reader.getHeight(0);
                    if (w <= 0 || h <= 0) {
                        throw new ImageLoadException(file + ": image has no pixels");
                    }
                    if (w * h > MAX_PIXELS) {
                        throw new ImageLoadException(file + ": image is " + w + "x" + h
                                + " pixels, more than the " + MAX_PIXELS / 1_000_000 + " megapixels Inkwell accepts; scale it down first");
                    }
                    return toGray(reader.read(0));
                } finally {
                    reader.dispose();
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

    /** Writes {@code image} as PNG via a temp file and an atomic rename, so a crash never leaves half a file. */
    public static void writePng(BufferedImage image, Path target) throws IOException {
        writeAtomically(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /** Body writes to the stream; the file appears under {@code target} only when complete and synced. */
    public static void writeAtomically(Path target, IoConsumer<OutputStream> body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(ch)) {
                // The body may close its stream (ZipOutputStream does): keep the channel open for the fsync.
                body.accept(new java.io.FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                });
                out.flush();
                ch.force(true);
            }
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: keep the defaults.
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @FunctionalInterface
    public interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }
}
