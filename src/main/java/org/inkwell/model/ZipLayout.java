package org.inkwell.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A model zip's layout read from its own bytes, so that what Inkwell checks is what DL4J loads: the central
 * directory (what {@link java.util.zip.ZipFile} reads) must name every entry once, each local header must carry the
 * same name, and the entries must follow one another with nothing hidden between them. A zip with two
 * {@code coefficients.bin} (one checked, the other loaded) or a local entry the directory does not list is refused.
 */
final class ZipLayout {
    /** More entries than any model has (Inkwell writes at most seven). */
    static final int MAX_ENTRIES = 64;
    private static final int LOC = 0x04034b50;
    private static final int CEN = 0x02014b50;
    private static final int END = 0x06054b50;
    /** A data descriptor after an entry's data: up to 24 bytes (signature, CRC, two 8-byte sizes). */
    private static final int DESCRIPTOR_MAX = 24;

    /** One entry as the central directory declares it. */
    record Entry(String name, int method, long compressedSize, long size, long localOffset) {
    }

    private ZipLayout() {
    }

    /** The central directory's entries, after the checks above; a refusal names the file and the problem. */
    static List<Entry> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            long end = findEnd(ch, length, file);
            ByteBuffer eocd = readAt(ch, end, 22);
            int disk = eocd.getShort(4) & 0xffff;
            int cenDisk = eocd.getShort(6) & 0xffff;
            int onDisk = eocd.getShort(8) & 0xffff;
            int total = eocd.getShort(10) & 0xffff;
            long cenSize = eocd.getInt(12) & 0xffffffffL;
            long cenOffset = eocd.getInt(16) & 0xffffffffL;
            if (disk != 0 || cenDisk != 0 || onDisk != total || total == 0xffff || cenOffset == 0xffffffffL) {
                throw refused(file, "it is a split or ZIP64 archive, which Inkwell never writes");
            }
            if (total > MAX_ENTRIES) {
                throw refused(file, "it has " + total + " entries; a model has at most seven");
            }
            if (cenOffset + cenSize != end) {
                throw refused(file, "its central directory does not end where the archive says");
            }
            ByteBuffer cen = readAt(ch, cenOffset, (int) cenSize);
            List<Entry> entries = new ArrayList<>();
            Set<String> names = new HashSet<>();
            int pos = 0;
            for (int i = 0; i < total; i++) {
                if (pos + 46 > cen.limit() || cen.getInt(pos) != CEN) {
                    throw refused(file, "its central directory is damaged");
                }
                int method = cen.getShort(pos + 10) & 0xffff;
                long csize = cen.getInt(pos + 20) & 0xffffffffL;
                long size = cen.getInt(pos + 24) & 0xffffffffL;
                int nameLength = cen.getShort(pos + 28) & 0xffff;
                int extraLength = cen.getShort(pos + 30) & 0xffff;
                int commentLength = cen.getShort(pos + 32) & 0xffff;
                long offset = cen.getInt(pos + 42) & 0xffffffffL;
                if (pos + 46 + nameLength > cen.limit()) {
                    throw refused(file, "its central directory is damaged");
                }
                String name = name(cen, pos + 46, nameLength);
                if (csize == 0xffffffffL || size == 0xffffffffL || offset == 0xffffffffL) {
                    throw refused(file, "entry '" + name + "' is ZIP64, which Inkwell never writes");
                }
                if (method != 0 && method != 8) {
                    throw refused(file, "entry '" + name + "' uses compression method " + method + " (only stored and deflated are read)");
                }
                if (!names.add(name)) {
                    throw refused(file, "the zip holds the entry '" + name + "' twice (one copy could be checked and "
                            + "the other loaded)");
                }
                entries.add(new Entry(name, method, csize, size, offset));
                pos += 46 + nameLength + extraLength + commentLength;
            }
            checkLocalHeaders(ch, entries, cenOffset, file);
            return entries;
        }
    }

    /** Each local header names its entry as the directory does, and entries follow one another with no gap. */
    private static void checkLocalHeaders(FileChannel ch, List<Entry> entries, long cenOffset, Path file) throws IOException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::localOffset));
        long expected = 0;
        for (Entry e : byOffset) {
            long gap = e.localOffset() - expected;
            if (gap < 0 || gap > DESCRIPTOR_MAX || (expected == 0 && gap != 0)) {
                throw refused(file, "there are " + (gap < 0 ? "overlapping entries" : "bytes the directory does not list")
                        + " before the entry '" + e.name() + "' (a hidden entry?)");
            }
            if (e.localOffset() + 30 > cenOffset) {
                throw refused(file, "the entry '" + e.name() + "' lies outside the archive");
            }
            ByteBuffer loc = readAt(ch, e.localOffset(), 30);
            if (loc.getInt(0) != LOC) {
                throw refused(file, "the entry '" + e.name() + "' has no local header where the directory says");
            }
            int nameLength = loc.getShort(26) & 0xffff;
            int extraLength = loc.getShort(28) & 0xffff;
            String local = name(readAt(ch, e.localOffset() + 30, nameLength), 0, nameLength);
            if (!local.equals(e.name())) {
                throw refused(file, "the directory names an entry '" + e.name() + "' whose local header says '" + local + "'");
            }
            expected = e.localOffset() + 30 + nameLength + extraLength + e.compressedSize();
        }
        long tail = cenOffset - expected;
        if (tail < 0 || tail > DESCRIPTOR_MAX) {
            throw refused(file, "there are " + (tail < 0 ? "overlapping entries" : "bytes the directory does not list")
                    + " before its central directory (a hidden entry?)");
        }
    }

    /** Position of the end-of-central-directory record whose comment runs exactly to the end of the file. */
    private static long findEnd(FileChannel ch, long length, Path file) throws IOException {
        int window = (int) Math.min(length, 22 + 0xffff);
        if (window < 22) {
            throw refused(file, "it is too short to be a zip");
        }
        ByteBuffer tail = readAt(ch, length - window, window);
        for (int i = window - 22; i >= 0; i--) {
            if (tail.getInt(i) == END && (tail.getShort(i + 20) & 0xffff) == window - 22 - i) {
                return length - window + i;
            }
        }
        throw refused(file, "no zip directory found");
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new java.io.EOFException("truncated zip");
            }
        }
        return b.flip();
    }

    private static String name(ByteBuffer b, int at, int length) {
        byte[] bytes = new byte[length];
        b.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static ModelLoadException refused(Path file, String why) {
        return new ModelLoadException(file + ": refused, " + why);
    }
}
