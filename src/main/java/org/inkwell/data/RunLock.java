package org.inkwell.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An advisory lock that says "this Inkwell run writes here": a hidden lock file held with an OS file lock, so a
 * second run (another process, or another task in this one) refuses at once in one line naming the first, and a
 * run killed with SIGKILL frees it with its process. The lock file records who holds it and is removed on close.
 * <p>The holding process never opens its own lock file again: closing any descriptor of a file drops the POSIX
 * locks the process holds on it.
 */
public final class RunLock implements AutoCloseable {
    public static final String FOLDER_LOCK = ".inkwell.lock";
    /** Lock files held by this JVM, with what they say (the OS lock does not see two holders in one process). */
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();
    private static volatile String processDescription = "the Inkwell workbench";

    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /** What a lock file says of this process (the command line, for the CLI). */
    public static void describeProcessAs(String description) {
        processDescription = description;
    }

    /** Locks an existing folder that this run writes into. */
    public static RunLock folder(Path folder) throws IOException {
        return acquire(OutputPolicy.realTarget(folder).resolve(FOLDER_LOCK), folder.toString(), processDescription);
    }

    /** Locks one output file (that may not exist yet) through {@code .NAME.lock} beside it; its folder must exist. */
    public static RunLock file(Path file) throws IOException {
        Path real = OutputPolicy.realTarget(file);
        return acquire(real.resolveSibling("." + real.getFileName() + ".lock"), file.toString(), processDescription);
    }

    private static RunLock acquire(Path lockFile, String what, String command) throws IOException {
        String who = "pid " + ProcessHandle.current().pid() + " since " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                + (command == null ? "" : ": " + (command.length() > 1000 ? command.substring(0, 1000) : command));
        // A holder removes its lock file while still holding it; a run that opened the old file just before may
        // then lock a file no longer under the name: it sees another file there and tries again.
        for (int attempt = 0; attempt < 5; attempt++) {
            RunLock l = tryAcquire(lockFile, what, who);
            if (l != null) {
                return l;
            }
        }
        throw busy(what, holder(lockFile));
    }

    private static RunLock tryAcquire(Path lockFile, String what, String who) throws IOException {
        String held = HELD.putIfAbsent(lockFile, who);
        if (held != null) {
            throw busy(what, held);
        }
        FileChannel ch = null;
        try {
            if (Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
                throw new OutputRefusedException(lockFile + ": is not a regular file; Inkwell cannot lock " + what);
            }
            // The file under the name before opening it: a holder that lets go removes it, and a third run may make
            // a new one; the channel must lock the file that is under the name, checked again after locking.
            Object before = fileKey(lockFile);
            try {
                ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new IOException("cannot write in " + lockFile.getParent() + " (" + IoMessages.plain(e) + ")", e);
            }
            Object opened = before != null ? before : fileKey(lockFile);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                String other = holder(lockFile); // safe: this process holds no lock on it
                throw busy(what, other);
            }
            // Still the file under the name? Checked by stat, since opening it would drop the lock.
            Object now = fileKey(lockFile);
            if (opened == null || !opened.equals(now)) {
                l.release();
                ch.close();
                HELD.remove(lockFile);
                return null;
            }
            try {
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(who.getBytes(StandardCharsets.UTF_8)), 0);
                ch.force(false);
            } catch (IOException e) {
                Files.deleteIfExists(lockFile);
                throw new IOException("cannot write in " + lockFile.getParent() + " (" + IoMessages.plain(e) + ")", e);
            }
            return new RunLock(lockFile, ch, l);
        } catch (IOException | RuntimeException e) {
            HELD.remove(lockFile);
            if (ch != null) {
                ch.close();
            }
            throw e;
        }
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static OutputRefusedException busy(String what, String holder) {
        return new OutputRefusedException(what + ": another Inkwell run is writing here" + (holder.isEmpty() ? "" : " (" + holder + ")")
                + "; wait for it to finish, or choose another output");
    }

    /** What another process's lock file says; never called for a file this process holds. */
    private static String holder(Path lockFile) {
        try {
            byte[] b;
            try (var in = Files.newInputStream(lockFile, LinkOption.NOFOLLOW_LINKS)) {
                b = in.readNBytes(4096);
            }
            return new String(b, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", " ").trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** The lock file, for messages and tests. */
    public Path lockFile() {
        return lockFile;
    }

    @Override
    public void close() throws IOException {
        try {
            // Removed while still held, so no other run can have locked this file in between.
            try {
                Files.deleteIfExists(lockFile);
            } catch (IOException e) {
                // The folder went away or changed under the run: nothing left to tidy.
            }
            if (channel.isOpen()) {
                lock.release();
            }
        } finally {
            channel.close();
            HELD.remove(lockFile);
        }
    }
}
