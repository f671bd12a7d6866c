package org.inkwell.data;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipFile;

/**
 * The one rule for every file Inkwell writes, from the CLI and the workbench alike. Paths are resolved through
 * symbolic links first; then an output is refused when it is one of this run's inputs, a folder or a special
 * file (device, FIFO, socket), or an existing file of another kind (an image replaced by a CSV, a Keras HDF5 by
 * a zip) unless the user asked to overwrite. Allowed writes go to a temp file beside the target and appear under
 * the target's real path only when complete and synced, so a symbolic link stays a link and a crash leaves the
 * old file whole.
 * <p>Longer than most classes: every check an output must pass, and the one atomic writer, are in one place so the
 * rule can be read and reviewed whole.
 */
public final class OutputPolicy {
    /** What Inkwell is about to write; each kind may replace only an existing file of the same kind. */
    public enum Kind {
        PNG("a PNG image"), MODEL_ZIP("an Inkwell model zip"), CSV("a CSV table"), JSON("a JSON file"),
        ONNX("an ONNX model");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final Set<Path> inputs = new HashSet<>();
    private final boolean overwrite;

    /** @param overwrite lets an output replace an existing regular file of another kind (never an input) */
    public OutputPolicy(boolean overwrite) {
        this.overwrite = overwrite;
    }

    /** A policy that protects nothing but special files and folders, and refuses other kinds. */
    public static OutputPolicy strict() {
        return new OutputPolicy(false);
    }

    /** Registers a file read by this run: no output may ever resolve to it. Missing files are ignored. */
    public OutputPolicy protect(Path input) {
        if (input != null) {
            try {
                inputs.add(input.toRealPath());
            } catch (IOException e) {
                inputs.add(input.toAbsolutePath().normalize());
            }
        }
        return this;
    }

    public OutputPolicy protectAll(Iterable<Path> files) {
        files.forEach(this::protect);
        return this;
    }

    /** True when {@code target} resolves to a protected input. */
    public boolean isInput(Path target) {
        try {
            return inputs.contains(realTarget(target));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Checks {@code target} and returns the real path the output will be written to.
     *
     * @throws OutputRefusedException with a one-line reason in plain words
     */
    public Path check(Path target, Kind kind) throws IOException {
        Path real = realTarget(target);
        if (inputs.contains(real)) {
            throw new OutputRefusedException(target + ": is an input of this run" + (real.equals(target.toAbsolutePath())
                    ? "" : " (" + real + ")") + "; Inkwell never replaces its inputs, choose another output");
        }
        if (!Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
            return real;
        }
        BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isDirectory()) {
            throw new OutputRefusedException(target + ": is a directory, not a file");
        }
        if (!a.isRegularFile()) {
            throw new OutputRefusedException(target + ": is a special file (device, FIFO or socket); Inkwell writes "
                    + "only regular files");
        }
        String existing = kindOf(real);
        // A table or JSON file may replace any plain text file (a CSV named .txt or .tsv by the user, say).
        boolean textForText = (kind == Kind.CSV || kind == Kind.JSON) && existing != null
                && (existing.equals("a text file") || existing.equals(Kind.CSV.description()) || existing.equals(Kind.JSON.description()));
        if (!overwrite && existing != null && !existing.equals(kind.description()) && !textForText) {
            throw new OutputRefusedException(target + ": exists and is " + existing + ", not " + kind.description()
                    + "; choose another name, or pass --overwrite to replace it");
        }
        return real;
    }

    /** Checks {@code target}, then writes it atomically at its real path. */
    public Path write(Path target, Kind kind, IoConsumer<OutputStream> body) throws IOException {
        Path real = check(target, kind);
        writeAtomically(real, body);
        return real;
    }

    /**
     * The absolute path with every symbolic link resolved; for a file that does not exist yet, its nearest existing
     * ancestor is resolved and the rest appended. A dangling link resolves to where it points.
     */
    public static Path realTarget(Path target) throws IOException {
        return realTarget(target, 0);
    }

    private static Path realTarget(Path target, int hops) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            return abs.toRealPath();
        }
        if (Files.isSymbolicLink(abs)) {
            if (hops > 40) {
                throw new OutputRefusedException(target + ": too many levels of symbolic links");
            }
            Path to = Files.readSymbolicLink(abs);
            return realTarget(abs.getParent().resolve(to), hops + 1);
        }
        Path existing = abs;
        Path rest = null;
        while (existing != null && !Files.exists(existing)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        return rest == null ? existing.toRealPath() : existing.toRealPath().resolve(rest);
    }

    /** The description of an existing regular file's kind from its first bytes, or null when it is empty. */
    static String kindOf(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4096);
        } catch (IOException e) {
            throw new OutputRefusedException(file + ": exists and cannot be read to check what it is ("
                    + IoMessages.plain(e) + ")");
        }
        if (head.length == 0) {
            return null;
        }
        if (startsWith(head, 0x89, 'P', 'N', 'G')) {
            return Kind.PNG.description();
        }
        if (startsWith(head, 'P', 'K')) {
            return isModelZip(file) ? Kind.MODEL_ZIP.description() : "a zip archive";
        }
        if (startsWith(head, 0x89, 'H', 'D', 'F')) {
            return "an HDF5 file (a Keras model?)";
        }
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
            return "a JPEG image";
        }
        if (startsWith(head, 'G', 'I', 'F', '8')) {
            return "a GIF image";
        }
        if (startsWith(head, 'I', 'I', '*', 0) || startsWith(head, 'M', 'M', 0, '*')) {
            return "a TIFF image";
        }
        if (startsWith(head, 'B', 'M')) {
            return "a BMP image";
        }
        if (startsWith(head, '%', 'P', 'D', 'F')) {
            return "a PDF document";
        }
        if (head.length >= 12 && startsWith(head, 'R', 'I', 'F', 'F') && head[8] == 'W' && head[9] == 'E') {
            return "a WebP image";
        }
        if (isOnnx(head)) {
            return Kind.ONNX.description();
        }
        for (byte b : head) {
            if (b == 0) {
                return "a binary file";
            }
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Kind.CSV.description();
        }
        if (name.endsWith(".json")) {
            return Kind.JSON.description();
        }
        return "a text file";
    }

    /**
     * An ONNX model is a protobuf ModelProto: field 1 (ir_version, a small varint) first, then a field among 2 to 8
     * (producer, domain, model version, doc string, graph, opsets), as every exporter writes them.
     */
    private static boolean isOnnx(byte[] head) {
        if (head.length < 3 || head[0] != 0x08 || head[1] < 1) {
            return false;
        }
        int field = (head[2] & 0xff) >>> 3;
        int wire = head[2] & 0x07;
        return field >= 2 && field <= 8 && (wire == 0 || wire == 2);
    }

    private static boolean isModelZip(Path file) {
        try (ZipFile z = new ZipFile(file.toFile())) {
            return z.getEntry("configuration.json") != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        return Arrays.equals(Arrays.copyOf(head, magic.length), toBytes(magic));
    }

    private static byte[] toBytes(int[] values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /**
     * Writes through a synced temp file in the target's folder and an atomic rename. {@code real} must already be
     * a real path; an existing folder or special file there is refused even here, whatever the caller checked.
     */
    public static void writeAtomically(Path real, IoConsumer<OutputStream> body) throws IOException {
        if (Files.exists(real, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputRefusedException(real + ": is not a regular file; not replaced");
        }
        Path dir = real.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create the folder " + dir + " (" + IoMessages.plain(e) + ")", e);
        }
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + real.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw new IOException("cannot write in " + dir + " (" + IoMessages.plain(e) + ")", e);
        }
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(ch)) {
                // The body may close its stream (ZipOutputStream does): keep the channel open for the fsync.
                body.accept(new FilterOutputStream(out) {
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
                // A replaced file keeps its permissions (a private 0600 file stays private); a new one gets 0644.
                Files.setPosixFilePermissions(tmp, Files.isRegularFile(real)
                        ? Files.getPosixFilePermissions(real) : PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: keep the defaults.
            }
            try {
                Files.move(tmp, real, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, real, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (OutputRefusedException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(real + ": cannot write (" + IoMessages.plain(e) + ")", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @FunctionalInterface
    public interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }
}
