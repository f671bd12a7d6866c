package org.inkwell.spark;

import org.inkwell.ChildJvm;
import org.inkwell.model.ModelStore;
import org.inkwell.train.CheckpointStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * spark-train stopped with SIGTERM keeps its work (issue #24, item 2: Spark's own shutdown hook used to cancel the
 * job first, so nothing was written), and data that would hang a task is refused on the driver (item 8).
 */
class SparkStopTest {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsBetweenRoundsAndWritesTheCheckpointAndTheModel() throws Exception {
        Path out = dir.resolve("s.zip");
        Path log = dir.resolve("log.txt");
        Process p = new ProcessBuilder(ChildJvm.java(SparkTrainCommand.class.getName(), "--master", "local[2]",
                "--data", "generator:8", "--arch", "unet", "--optimizer", "adam", "--size", "32", "--batch", "2",
                "--steps", "400", "--epochs", "2", "--validation", "2", "--average-every", "1", "-o", out.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline && p.isAlive() && !Files.readString(log).contains("training unet")) {
                Thread.sleep(200);
            }
            assertTrue(Files.readString(log).contains("training unet"), Files.readString(log));
            Thread.sleep(3000); // some averaging rounds into the first epoch
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), Files.readString(log));
        } finally {
            p.destroyForcibly();
        }
        String text = Files.readString(log);
        assertEquals(130, p.exitValue(), text);
        assertTrue(text.contains("cancelled in epoch 1 after averaging round"), text);
        Path interrupted = dir.resolve("s-checkpoints").resolve(CheckpointStore.INTERRUPTED);
        assertTrue(Files.isRegularFile(interrupted), text);
        assertTrue(Files.isRegularFile(out), text);
        // The checkpoint loads whole and resumes the epoch it stopped in.
        assertEquals(0, ModelStore.load(interrupted, true).metadata().step());
        assertFalse(text.contains("\tat "), text);
    }

    private static String[] refusal(String... args) {
        StringWriter err = new StringWriter();
        int code = SparkTrainCommand.commandLine(new PrintWriter(err, true)).execute(args);
        return new String[]{String.valueOf(code), err.toString()};
    }

    @Test
    void specialFilesInTheDataAreRefusedOnTheDriver() throws Exception {
        Path fifo = dir.resolve("pipe.png");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        long t0 = System.nanoTime();
        String[] onFifo = refusal("--master", "local[1]", "--data", fifo.toString(), "-o", dir.resolve("a.zip").toString());
        assertEquals("2", onFifo[0], onFifo[1]);
        assertTrue(onFifo[1].contains("special file") && onFifo[1].lines().count() == 1, onFifo[1]);

        Path folder = Files.createDirectories(dir.resolve("data"));
        Files.move(fifo, folder.resolve("pipe.png"));
        String[] inFolder = refusal("--master", "local[1]", "--data", folder.toString(), "-o", dir.resolve("b.zip").toString());
        assertTrue(inFolder[1].contains("pipe.png") && inFolder[1].contains("special file"), inFolder[1]);

        Files.delete(folder.resolve("pipe.png"));
        Files.createSymbolicLink(folder.resolve("zero.png"), Path.of("/dev/zero")); // a character device
        String[] device = refusal("--master", "local[1]", "--data", folder.toString(), "-o", dir.resolve("c.zip").toString());
        assertTrue(device[1].contains("zero.png") && device[1].contains("special file"), device[1]);
        assertTrue((System.nanoTime() - t0) / 1e9 < 20, "refused at once, before Spark starts");
        assertFalse(Files.exists(dir.resolve("a-checkpoints")) || Files.exists(dir.resolve("b-checkpoints")));
    }
}
