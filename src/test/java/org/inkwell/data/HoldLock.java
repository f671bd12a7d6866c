package org.inkwell.data;

import java.nio.file.Path;

/** A child process for tests: holds {@link RunLock#folder} on args[0], says "locked", and lets go when stdin closes. */
public final class HoldLock {
    private HoldLock() {
    }

    public static void main(String[] args) throws Exception {
        RunLock.describeProcessAs("inkwell denoise (test holder)");
        try (RunLock lock = args.length > 1 && args[1].equals("file") ? RunLock.file(Path.of(args[0]))
                : RunLock.folder(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
    }
}
