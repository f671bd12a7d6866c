package org.inkwell.data;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/** Turns the JDK's and the libraries' I/O failures into the plain words a user understands. */
public final class IoMessages {
    private IoMessages() {
    }

    /** "permission denied", "disk full", "is a directory", ... found anywhere in the cause chain. */
    public static String plain(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String words = known(t);
            if (words != null) {
                return words;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : firstLine(m);
    }

    private static String known(Throwable t) {
        if (t instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (t instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (t instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (t instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        String m = t instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : t.getMessage();
        if (m == null) {
            return null;
        }
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left") || lower.contains("disk quota")) {
            return "disk full";
        }
        if (lower.contains("permission denied") || lower.contains("operation not permitted")) {
            return "permission denied";
        }
        if (lower.contains("read-only file system")) {
            return "read-only file system";
        }
        if (lower.contains("is a directory")) {
            return "is a directory";
        }
        if (lower.contains("not a directory")) {
            return "not a folder";
        }
        if (lower.contains("no such file")) {
            return "no such file or folder";
        }
        if (lower.contains("file too large")) {
            return "file too large for this file system";
        }
        return null;
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
