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
 * file (device, FIFO, socket), or a file that already exists: an existing file is replaced only when the user
 * said so ({@code --overwrite}, or a save dialog's confirmation), and never when the user could not write it
 * (read-only, or another user's). Allowed writes go to a temp file beside the target and appear under the
 * target's real path only when complete and synced, so a symbolic link stays a link and a crash leaves the old
 * file whole.
 * <p>Longer than most classes: every check an output must pass, and the one atomic writer, are in one place so the
 * rule can be read and reviewed whole.
 */
public final class OutputPolicy {
    /** What Inkwell is about to write; each kind may replace only an existing file of the same kind. */
    public enum Kind {
        PNG("a PNG image"), MODEL_ZIP("an Inkwell model zip"), CSV("a CSV table"), JSON("a JSON file"),
        RAW("a binary file"), ONNX("an ONNX model"), JPEG("a JPEG image"),
        PDF("a PDF document"), SVG("an SVG image");

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

    /** @param overwrite lets an output replace an existing regular file the user can write (never an input) */
    public OutputPolicy(boolean overwrite) {
        this.overwrite = overwrite;
    }

    /** A policy that never replaces an existing file. */
    public static OutputPolicy strict() {
        return new OutputPolicy(false);
    }

    /**
     * A policy for files the user already agreed to replace (a save dialog that asked), or that belong to this run
     * (its own checkpoints): an existing regular file the user can write may be replaced.
     */
    public static OutputPolicy replacing() {
        return new OutputPolicy(true);
    }

    /** True when an existing file may be replaced. */
    public boolean overwrite() {
        return overwrite;
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
        if (readOnly(real)) {
            throw new OutputRefusedException(target + ": exists and is read-only or not yours to write; Inkwell never "
                    + "replaces it, choose another name");
        }
        String existing = kindOf(real);
        if (existing != null && !existing.equals(kind.description())) {
            // Never a file of another kind, --overwrite or not (a scan under an SVG's name, a model under a CSV's).
            throw new OutputRefusedException(target + ": exists and is " + existing + ", not " + kind.description()
                    + "; Inkwell replaces only a file of the same kind, choose another name");
        }
        if (!overwrite) {
            throw new OutputRefusedException(target + ": exists" + (existing == null ? " (empty)" : "")
                    + "; choose another name, or pass --overwrite to replace it");
        }
        return real;
    }

    /**
     * True when the user running Inkwell may not replace {@code real}: no write permission for them, or no write
     * bit at all (a file someone made read-only stays, even for root).
     */
    static boolean readOnly(Path real) {
        if (!Files.isWritable(real)) {
            return true;
        }
        try {
            Set<java.nio.file.attribute.PosixFilePermission> p = Files.getPosixFilePermissions(real, LinkOption.NOFOLLOW_LINKS);
            return !p.contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)
                    && !p.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                    && !p.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }

    /**
     * Checks, before hours of work, that a file can be created where {@code target} will go: its folder (or the
     * nearest folder above it that exists) accepts a new file. Tried with a temp file, removed at once.
     */
    public static void checkCanCreate(Path target) throws IOException {
        Path dir = realTarget(target).getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new OutputRefusedException(target + ": its folder is not a folder");
        }
        Path probe;
        try {
            probe = Files.createTempFile(dir, ".inkwell-probe.", ".tmp");
        } catch (IOException e) {
            throw new OutputRefusedException(target + ": cannot write in " + dir + " (" + IoMessages.plain(e)
                    + "); choose another output before the work starts");
        }
        Files.deleteIfExists(probe);
    }

    /** True when {@code target} does not exist yet, or exists and this policy may replace it. */
    public boolean mayWrite(Path target, Kind kind) {
        try {
            check(target, kind);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Removes temp files that an Inkwell writer killed mid-write left in {@code folder} ({@code .NAME.<digits>.tmp},
     * the pattern {@link #writeAtomically} uses) for names that {@code ours} accepts. Call it only while holding the
     * folder's {@link RunLock}, so no live writer's temp file is taken. Returns how many were removed.
     */
    public static int removeStaleTemps(Path folder, java.util.function.Predicate<String> ours) {
        int removed = 0;
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (java.util.stream.Stream<Path> s = Files.list(folder)) {
            for (Path p : s.toList()) {
                java.util.regex.Matcher m = STALE_TEMP.matcher(p.getFileName().toString());
                if (m.matches() && ours.test(m.group(1)) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        } catch (IOException e) {
            // Only tidying: an unreadable folder fails later with its own message.
        }
        return removed;
    }

    private static final java.util.regex.Pattern STALE_TEMP = java.util.regex.Pattern.compile("\\.(.+)\\.\\d+\\.tmp");

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
            return Kind.JPEG.description();
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
            return Kind.PDF.description();
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
        if (new String(head, java.nio.charset.StandardCharsets.UTF_8).contains("<svg")) {
            return Kind.SVG.description();
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
