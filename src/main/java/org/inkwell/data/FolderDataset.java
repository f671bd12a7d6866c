package org.inkwell.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every image file under a folder, recursively, in a stable sorted order. Files that fail to load are
 * remembered with the reason instead of stopping the caller.
 */
public final class FolderDataset implements SignatureSource {
    private final Path root;
    private final List<Path> files;
    private final ConcurrentHashMap<Path, String> failures = new ConcurrentHashMap<>();

    private FolderDataset(Path root, List<Path> files) {
        this.root = root;
        this.files = files;
    }

    public static FolderDataset scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": not a folder");
        }
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (Files.isRegularFile(p) && ImageFiles.hasImageExtension(p)) {
                    found.add(p);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
                // The JDK's message is the bare path ("data/private"): say what went wrong, and where.
                String why = IoMessages.plain(e);
                String what = Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "folder" : "file";
                throw new IOException(p + ": cannot read this " + what + " (" + why + ") inside the data folder " + root
                        + ": fix its permissions or move it out of the data folder", e);
            }
        });
        Collections.sort(found);
        return new FolderDataset(root, List.copyOf(found));
    }

    /** Reads every file once and drops the ones that fail, recording why. */
    public FolderDataset validated() {
        List<Path> ok = new ArrayList<>();
        for (Path p : files) {
            try {
                ImageFiles.readGray(p);
                ok.add(p);
            } catch (ImageLoadException e) {
                failures.put(p, e.getMessage());
            }
        }
        FolderDataset v = new FolderDataset(root, List.copyOf(ok));
        v.failures.putAll(failures);
        return v;
    }

    public Path root() {
        return root;
    }

    public Path file(int i) {
        return files.get(i);
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public String name(int i) {
        return root.relativize(files.get(i)).toString();
    }

    @Override
    public GrayImage load(int i) throws ImageLoadException {
        Path p = files.get(i);
        try {
            return ImageFiles.readBinary(p);
        } catch (ImageLoadException e) {
            failures.put(p, e.getMessage());
            throw e;
        }
    }

    /** Files that could not be read so far, with the reason. */
    public java.util.Map<Path, String> failures() {
        return java.util.Map.copyOf(failures);
    }

    @Override
    public String description() {
        return "folder " + root + " (" + files.size() + " images)";
    }

    /**
     * A train/validation split that does not change when files are added: a file is validation when the hash
     * of its relative path falls in the first {@code validationFraction} of the hash range.
     */
    public SignatureSource[] split(double validationFraction) {
        List<Integer> train = new ArrayList<>();
        List<Integer> val = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            long h = Seeds.mix(name(i).hashCode(), 17, 0x5EEDL) >>> 1;
            if (h % 10_000 < validationFraction * 10_000) {
                val.add(i);
            } else {
                train.add(i);
            }
        }
        if (val.isEmpty() && train.size() > 1) {
            val.add(train.remove(train.size() - 1));
        }
        return new SignatureSource[]{subset(train.stream().mapToInt(Integer::intValue).toArray(), "train"),
                subset(val.stream().mapToInt(Integer::intValue).toArray(), "validation")};
    }
}
