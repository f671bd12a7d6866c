package org.inkwell.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Cleaned signatures kept for later, one PNG per name in a folder of the app's data folder (ink on a transparent
 * background, as saved). Written atomically through the {@link OutputPolicy}; a name is refused rather than replaced
 * unless the caller says so; names are plain (letters, digits, spaces, dots, dashes, underscores).
 */
public final class SignatureLibrary {
    /** At most this many characters in a name. */
    public static final int MAX_NAME = 80;

    private final Path folder;

    public SignatureLibrary(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /** One kept signature. */
    public record Entry(String name, Path file) {
    }

    /** The kept signatures, by name; unreadable or foreign files are not listed. */
    public List<Entry> list() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.sorted().toList()) {
                String file = p.getFileName().toString();
                if (Files.isRegularFile(p) && file.toLowerCase(Locale.ROOT).endsWith(".png") && !file.startsWith(".")) {
                    out.add(new Entry(file.substring(0, file.length() - 4), p));
                }
            }
        }
        return out;
    }

    /** Checks a name: trimmed, 1 to {@value #MAX_NAME} plain characters; returns it trimmed. */
    public static String checkName(String name) {
        String n = name == null ? "" : name.trim();
        if (n.isEmpty() || n.length() > MAX_NAME || !n.matches("[\\p{L}\\p{N} ._-]+") || n.startsWith(".")) {
            throw new IllegalArgumentException("a signature's name is 1 to " + MAX_NAME
                    + " letters, digits, spaces, dots, dashes or underscores, not starting with a dot; got '" + name + "'");
        }
        return n;
    }

    /** Keeps {@code image} as {@code name}; an existing name is replaced only when {@code replace} is true. */
    public Entry save(String name, BufferedImage image, boolean replace) throws IOException {
        String n = checkName(name);
        Files.createDirectories(folder);
        Path target = folder.resolve(n + ".png");
        if (!replace && Files.exists(target)) {
            throw new OutputRefusedException("a signature named '" + n + "' is already kept; choose another name or replace it");
        }
        OutputPolicy policy = replace ? OutputPolicy.replacing() : OutputPolicy.strict();
        ImageFiles.writePng(image, target, policy);
        return new Entry(n, target);
    }

    public BufferedImage load(Entry e) throws IOException {
        BufferedImage img = ImageIO.read(e.file().toFile());
        if (img == null) {
            throw new IOException(e.file() + ": not an image any more");
        }
        return img;
    }

    public void delete(Entry e) throws IOException {
        if (!e.file().getParent().equals(folder)) {
            throw new IllegalArgumentException(e.file() + " is not in the library");
        }
        Files.deleteIfExists(e.file());
    }
}
