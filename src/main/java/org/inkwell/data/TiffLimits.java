package org.inkwell.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * A TIFF's first image directory read by hand before any decoder sees the file: the number of strips or tiles it
 * declares, and the number its size and tile or strip size imply, must be within a budget and within the file (a
 * 150-byte TIFF declaring 2^31 tiles once made the decoder allocate 2.6 GB).
 */
final class TiffLimits {
    /**
     * Strips or tiles of one image: 1,000,000. A 120-megapixel scan in 16x16 tiles (the smallest the format allows)
     * is 470,000; in one-row strips 20,000 per plane.
     */
    static final long MAX_BLOCKS = Long.getLong("inkwell.maxTiffBlocks", 1_000_000L);
    /** Entries of one directory a real TIFF has (a few dozen). */
    private static final int MAX_ENTRIES = 4096;

    private static final int WIDTH = 256;
    private static final int LENGTH = 257;
    private static final int STRIP_OFFSETS = 273;
    private static final int SAMPLES_PER_PIXEL = 277;
    private static final int ROWS_PER_STRIP = 278;
    private static final int STRIP_BYTE_COUNTS = 279;
    private static final int PLANAR_CONFIGURATION = 284;
    private static final int TILE_WIDTH = 322;
    private static final int TILE_LENGTH = 323;
    private static final int TILE_OFFSETS = 324;
    private static final int TILE_BYTE_COUNTS = 325;

    private TiffLimits() {
    }

    /** Whether the file starts as a TIFF or BigTIFF does. */
    static boolean isTiff(byte[] head) {
        return head.length >= 4 && ((head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0)
                || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43)));
    }

    /** Refuses a TIFF whose first directory declares more strips or tiles than the budget or the file allow. */
    static void check(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = read(ch, 0, 4, ByteOrder.LITTLE_ENDIAN, size);
            ByteOrder order = head.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            head.order(order);
            boolean big = head.getShort(2) == 43;
            head = read(ch, 0, big ? 16 : 8, order, size);
            long ifd = big ? head.getLong(8) : head.getInt(4) & 0xffffffffL;
            int entrySize = big ? 20 : 12;
            if (ifd < 8 || ifd >= size) {
                throw new ImageLoadException(file + ": damaged TIFF (its image directory lies outside the file)");
            }
            ByteBuffer countBytes = read(ch, ifd, big ? 8 : 2, order, size);
            long entries = big ? countBytes.getLong(0) : countBytes.getShort(0) & 0xffff;
            if (entries < 0 || entries > MAX_ENTRIES || ifd + (big ? 8 : 2) + entries * entrySize > size) {
                throw new ImageLoadException(String.format(Locale.ROOT,
                        "%s: damaged TIFF (its image directory declares %,d entries, more than the file holds)", file, entries));
            }
            ByteBuffer dir = read(ch, ifd + (big ? 8 : 2), (int) (entries * entrySize), order, size);
            long width = -1;
            long length = -1;
            long samples = 1;
            long rowsPerStrip = -1;
            long planar = 1;
            long tileWidth = -1;
            long tileLength = -1;
            for (int i = 0; i < entries; i++) {
                int at = i * entrySize;
                int tag = dir.getShort(at) & 0xffff;
                int type = dir.getShort(at + 2) & 0xffff;
                long count = big ? dir.getLong(at + 4) : dir.getInt(at + 4) & 0xffffffffL;
                switch (tag) {
                    case STRIP_OFFSETS, STRIP_BYTE_COUNTS, TILE_OFFSETS, TILE_BYTE_COUNTS -> {
                        String what = tag == TILE_OFFSETS || tag == TILE_BYTE_COUNTS ? "tiles" : "strips";
                        if (count < 0 || count > MAX_BLOCKS) {
                            throw over(file, "declares", count, what);
                        }
                        long bytes = count * typeSize(type);
                        if (bytes > (big ? 8 : 4) && bytes > size) {
                            throw new ImageLoadException(String.format(Locale.ROOT, "%s: damaged or forged TIFF (it "
                                    + "declares %,d %s, whose offsets alone would take %,d bytes of a %,d-byte file)",
                                    file, count, what, bytes, size));
                        }
                    }
                    case WIDTH -> width = value(dir, at, type, big);
                    case LENGTH -> length = value(dir, at, type, big);
                    case SAMPLES_PER_PIXEL -> samples = value(dir, at, type, big);
                    case ROWS_PER_STRIP -> rowsPerStrip = value(dir, at, type, big);
                    case PLANAR_CONFIGURATION -> planar = value(dir, at, type, big);
                    case TILE_WIDTH -> tileWidth = value(dir, at, type, big);
                    case TILE_LENGTH -> tileLength = value(dir, at, type, big);
                    default -> {
                    }
                }
            }
            if (width <= 0 || length <= 0) {
                return; // the decoder reports a TIFF without a size
            }
            long planes = planar == 2 ? Math.max(1, samples) : 1;
            if (tileWidth >= 0 || tileLength >= 0) {
                if (tileWidth <= 0 || tileLength <= 0) {
                    throw new ImageLoadException(file + ": damaged TIFF (tiles of " + tileWidth + "x" + tileLength + " pixels)");
                }
                long tiles = ceil(width, tileWidth) * ceil(length, tileLength) * planes;
                if (tiles > MAX_BLOCKS) {
                    throw over(file, String.format(Locale.ROOT, "is %,dx%,d pixels in tiles of %,dx%,d, that is",
                            width, length, tileWidth, tileLength), tiles, "tiles");
                }
            } else if (rowsPerStrip > 0) {
                long strips = ceil(length, rowsPerStrip) * planes;
                if (strips > MAX_BLOCKS) {
                    throw over(file, String.format(Locale.ROOT, "is %,d rows in strips of %,d, that is", length, rowsPerStrip),
                            strips, "strips");
                }
            }
        }
    }

    private static ImageLoadException over(Path file, String what, long count, String blocks) {
        return new ImageLoadException(String.format(Locale.ROOT, "%s: refused, the TIFF %s %,d %s, more than the %,d "
                + "Inkwell reads (raise -Dinkwell.maxTiffBlocks if it is real)", file, what, count, blocks, MAX_BLOCKS));
    }

    private static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }

    /** Bytes of one value of a TIFF field type (1 for unknown types: the count alone is then checked). */
    private static int typeSize(int type) {
        return switch (type) {
            case 3, 8 -> 2;
            case 4, 9, 11, 13 -> 4;
            case 5, 10, 12, 16, 17, 18 -> 8;
            default -> 1;
        };
    }

    /** The first value of an entry whose value sits in the entry itself (SHORT, LONG or LONG8). */
    private static long value(ByteBuffer dir, int at, int type, boolean big) {
        int v = at + (big ? 12 : 8);
        return switch (type) {
            case 3 -> dir.getShort(v) & 0xffff;
            case 4 -> dir.getInt(v) & 0xffffffffL;
            case 16 -> big ? dir.getLong(v) : -1;
            default -> -1;
        };
    }

    private static ByteBuffer read(FileChannel ch, long position, int bytes, ByteOrder order, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(bytes).order(order);
        if (position + bytes > size) {
            throw new java.io.EOFException("truncated TIFF");
        }
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new java.io.EOFException("truncated TIFF");
            }
        }
        return b.flip();
    }
}
