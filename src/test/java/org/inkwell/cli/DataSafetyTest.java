package org.inkwell.cli;

import org.inkwell.ChildJvm;
import org.inkwell.data.GrayImage;
import org.inkwell.data.HoldLock;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.RunLock;
import org.inkwell.model.ModelStore;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.train.CheckpointStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule for existing files and the ownership of runs (issue #24): an existing file is never replaced unasked, a
 * run refuses a folder another run is writing, and a resumed run keeps to its own checkpoints. Each test is one of
 * the reproductions a hostile pass found.
 */
class DataSafetyTest {
    /** A tiny run: a few seconds on two cores. */
    private static final String[] TINY = {"--synthetic", "6", "--arch", "seed", "--optimizer", "adam", "--size", "64",
            "--patch", "32", "--batch", "2", "--steps", "1", "--validation", "2"};

    @TempDir
    Path dir;

    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    /** train with the tiny settings; an option given in {@code more} replaces the tiny one. */
    private static String[] train(String... more) {
        List<String> a = new ArrayList<>(List.of("train"));
        for (int i = 0; i < TINY.length; i += 2) {
            if (!List.of(more).contains(TINY[i])) {
                a.add(TINY[i]);
                a.add(TINY[i + 1]);
            }
        }
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private Path tinyModel(String name) throws Exception {
        return Fixtures.tinyModel(dir.resolve(name));
    }

    private Path signaturePng(Path folder, String name) throws Exception {
        return Fixtures.signaturePng(folder, name, name.hashCode() & 7);
    }

    private static void assertOneLineRefusal(CliTest.Run r, String... words) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        for (String w : words) {
            assertTrue(r.err().contains(w), "expected '" + w + "' in: " + r.err());
        }
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Item 1: `cp good.zip m.zip; train ... -o m.zip` no longer replaces the trained model, Ctrl+C or not. */
    @Test
    void anExistingModelIsNeverReplacedByANewRun() throws Exception {
        Path good = tinyModel("good.zip");
        Path m = dir.resolve("m.zip");
        Files.copy(good, m);
        byte[] before = Files.readAllBytes(m);
        CliTest.Run r = CliTest.run(train("--epochs", "8", "-o", m.toString()));
        assertOneLineRefusal(r, m.toString(), "exists", "--overwrite");
        assertArrayEquals(before, Files.readAllBytes(m));
        assertFalse(Files.exists(dir.resolve("m-checkpoints")), "refused before anything was written");

        // The exact reproduction, as a separate process stopped with SIGTERM two seconds in.
        Process p = new ProcessBuilder(ChildJvm.inkwell(train("--steps", "60", "--epochs", "8", "-o", m.toString())))
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        Thread.sleep(2000);
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertArrayEquals(before, Files.readAllBytes(m), Files.readString(dir.resolve("log.txt")));

        // Asked for, it is replaced.
        CliTest.Run forced = CliTest.run(train("--epochs", "1", "-o", m.toString(), "--overwrite"));
        assertEquals(0, forced.code(), forced.err());
        assertFalse(Arrays.equals(before, Files.readAllBytes(m)));
    }

    /** A polite kill (SIGTERM) writes interrupted.zip and the model, exits 130, and the model's run resumes into it. */
    @Test
    void sigtermWritesTheCheckpointAndTheModelAndResumeReplacesOnlyItsOwnOutput() throws Exception {
        Path m = dir.resolve("p.zip");
        Path cps = dir.resolve("p-checkpoints");
        Path log = dir.resolve("log.txt");
        Process p = new ProcessBuilder(ChildJvm.inkwell(train("--steps", "2", "--epochs", "400", "-o", m.toString())))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline && !Files.exists(cps.resolve("epoch-001.zip"))) {
            Thread.sleep(100);
        }
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(130, p.exitValue(), Files.readString(log));
        Path interrupted = cps.resolve(CheckpointStore.INTERRUPTED);
        assertTrue(Files.exists(interrupted), Files.readString(log));
        assertTrue(Files.exists(m), Files.readString(log));
        assertFalse(Files.readString(log).contains("\tat "), Files.readString(log));
        String run = CheckpointStore.readRunId(cps);
        assertEquals(run, ModelStore.describe(m).metadata().runId());

        // Its own output: the resumed run may replace p.zip without --overwrite, and ends where it was asked to.
        long at = ModelStore.describe(interrupted).metadata().step();
        int epochs = (int) (at / 2) + 2;
        CliTest.Run resumed = CliTest.run("train", "--resume", interrupted.toString(), "--epochs", String.valueOf(epochs),
                "-o", m.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(run, ModelStore.describe(m).metadata().runId());
        // Another run's model is not its own: refused.
        Path other = tinyModel("other.zip");
        CliTest.Run refused = CliTest.run("train", "--resume", cps.resolve("best.zip").toString(), "--epochs",
                String.valueOf(epochs + 1), "-o", other.toString());
        assertOneLineRefusal(refused, "exists", "--overwrite");
    }

    /** Item 3: resuming RUN1's checkpoint into RUN2's folder is refused; RUN2's files are untouched. */
    @Test
    void resumeRefusesAnotherRunsCheckpointFolder() throws Exception {
        Path r1 = dir.resolve("r1.zip");
        Path r2 = dir.resolve("r2.zip");
        assertEquals(0, CliTest.run(train("--epochs", "2", "-o", r1.toString())).code());
        assertEquals(0, CliTest.run(train("--epochs", "2", "--seed", "9", "-o", r2.toString())).code());
        Path run2 = dir.resolve("r2-checkpoints");
        List<String> before = names(run2);
        byte[] best2 = Files.readAllBytes(run2.resolve("best.zip"));
        CliTest.Run r = CliTest.run("train", "--resume", dir.resolve("r1-checkpoints/epoch-002.zip").toString(),
                "--epochs", "3", "--checkpoints", run2.toString(), "-o", dir.resolve("r3.zip").toString());
        assertOneLineRefusal(r, "another training run", "r1-checkpoints");
        assertEquals(before, names(run2));
        assertArrayEquals(best2, Files.readAllBytes(run2.resolve("best.zip")));
        assertFalse(Files.exists(dir.resolve("r3.zip")));
    }

    /**
     * Item 3, second half: `--resume epoch-002.zip --epochs 3` in a folder whose best.zip came from epoch 4 of the
     * abandoned continuation must not write that epoch-4 model; the abandoned best is kept aside, not lost.
     */
    @Test
    void resumeNeverTakesABestFromBeyondTheResumedEpoch() throws Exception {
        Path r = dir.resolve("b.zip");
        assertEquals(0, CliTest.run(train("--epochs", "4", "-o", r.toString())).code());
        Path cps = dir.resolve("b-checkpoints");
        // Whatever epoch was best, make the folder's best the abandoned epoch 4 (same run, a later step).
        Files.copy(cps.resolve("epoch-004.zip"), cps.resolve("best.zip"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] epoch4 = Files.readAllBytes(cps.resolve("epoch-004.zip"));
        long step2 = ModelStore.describe(cps.resolve("epoch-002.zip")).metadata().step();
        Path out = dir.resolve("b3.zip");
        CliTest.Run resumed = CliTest.run("train", "--resume", cps.resolve("epoch-002.zip").toString(), "--epochs", "3",
                "--checkpoints", cps.toString(), "-o", out.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("abandoned"), resumed.out());
        long written = ModelStore.describe(out).metadata().step();
        assertTrue(written > 0 && written <= step2 + 1, "the result is of this branch (step " + written + ")");
        Path aside = cps.resolve(String.format("abandoned-best-step-%06d.zip", 4));
        assertArrayEquals(epoch4, Files.readAllBytes(aside), "the abandoned best is kept, not lost");
        assertTrue(ModelStore.describe(cps.resolve("best.zip")).metadata().step() <= step2 + 1);
    }

    /** Item 5: `denoise scans -o cleaned; denoise cleaned -o scans` keeps the scans; NAME-1.png instead, and said. */
    @Test
    void cleaningBackIntoTheScansFolderNeverReplacesAScan() throws Exception {
        Path scans = dir.resolve("scans");
        Path a = signaturePng(scans, "a.png");
        byte[] original = Files.readAllBytes(a);
        Path model = tinyModel("m.zip");
        Path cleaned = dir.resolve("cleaned");
        assertEquals(0, CliTest.run("denoise", scans.toString(), "-o", cleaned.toString(), "--model", model.toString()).code());
        CliTest.Run back = CliTest.run("denoise", cleaned.toString(), "-o", scans.toString(), "--model", model.toString());
        assertEquals(0, back.code(), back.err());
        assertArrayEquals(original, Files.readAllBytes(a));
        assertTrue(Files.exists(scans.resolve("a-1.png")));
        assertTrue(back.out().contains("a-1.png") && back.out().contains("is taken"), back.out());
        // The same run again: a-1.png is now taken too, so a-2.png.
        assertEquals(0, CliTest.run("denoise", cleaned.toString(), "-o", scans.toString(), "--model", model.toString()).code());
        assertTrue(Files.exists(scans.resolve("a-2.png")));
        assertArrayEquals(original, Files.readAllBytes(a));
        assertEquals(List.of("a-1.png", "a-2.png", "a.png"), names(scans), "no lock or temp file left behind");
        // --overwrite is how a user says "replace my earlier results": cleaned/a.png is replaced, no a-1.png.
        ImageFiles.writePng(GrayImage.blank(3, 3).toBufferedImage(), cleaned.resolve("a.png"),
                org.inkwell.data.OutputPolicy.replacing()); // an earlier result
        byte[] earlier = Files.readAllBytes(cleaned.resolve("a.png"));
        CliTest.Run over = CliTest.run("denoise", scans.resolve("a.png").toString(), "-o", cleaned.toString(),
                "--model", model.toString(), "--overwrite");
        assertEquals(0, over.code(), over.err());
        assertEquals(List.of("a.png"), names(cleaned));
        assertFalse(Arrays.equals(earlier, Files.readAllBytes(cleaned.resolve("a.png"))), "the earlier result was replaced");
        // A file of another kind under a result's name is never replaced, not even with --overwrite: the result goes beside it.
        Files.writeString(cleaned.resolve("a.png"), "notes, not an image");
        CliTest.Run beside = CliTest.run("denoise", scans.resolve("a.png").toString(), "-o", cleaned.toString(),
                "--model", model.toString(), "--overwrite");
        assertEquals(0, beside.code(), beside.err());
        assertEquals("notes, not an image", Files.readString(cleaned.resolve("a.png")));
        assertTrue(Files.exists(cleaned.resolve("a-1.png")));
    }

    /** Item 5: a second run into a folder another process is writing is refused in one line naming the first. */
    @Test
    void aFolderAnotherRunIsWritingIsRefused() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path in = signaturePng(dir.resolve("in"), "a.png");
        Path model = tinyModel("m.zip");
        Process holder = new ProcessBuilder(ChildJvm.java(HoldLock.class.getName(), out.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine());
            CliTest.Run second = CliTest.run("denoise", in.toString(), "-o", out.toString(), "--model", model.toString());
            assertOneLineRefusal(second, "another Inkwell run is writing here", "pid " + holder.pid());
            assertEquals(List.of(RunLock.FOLDER_LOCK), names(out), "nothing written beside the first run's lock");
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        // Once the first run is over the folder is free, and its lock file is gone.
        assertEquals(0, CliTest.run("denoise", in.toString(), "-o", out.toString(), "--model", model.toString()).code());
        assertEquals(List.of("a.png"), names(out));
    }

    /** Item 5: two `train -o same.zip` at once: the second refuses at start instead of mixing its epochs in. */
    @Test
    void twoTrainingRunsIntoOneModelAreRefused() throws Exception {
        Path same = dir.resolve("same.zip");
        try (RunLock first = RunLock.file(same)) {
            CliTest.Run second = CliTest.run(train("--epochs", "1", "-o", same.toString(), "--checkpoints",
                    dir.resolve("elsewhere").toString()));
            assertOneLineRefusal(second, "another Inkwell run is writing here");
            assertFalse(Files.exists(same));
        }
        try (RunLock first = RunLock.folder(Files.createDirectories(dir.resolve("same-checkpoints")))) {
            CliTest.Run second = CliTest.run(train("--epochs", "1", "-o", same.toString()));
            assertOneLineRefusal(second, "another Inkwell run is writing here");
        }
    }

    /** Item 4: fidelity --dir never writes through a link, into a device, over a manifest, or into a FIFO. */
    @Test
    void fidelityWritesOnlyIntoANewOrEmptyFolder() throws Exception {
        Path png = signaturePng(dir.resolve("in"), "keep.png");
        byte[] original = Files.readAllBytes(png);
        Path linked = Files.createDirectories(dir.resolve("linked"));
        Files.createSymbolicLink(linked.resolve("x.f32"), png);
        Path fifoDir = Files.createDirectories(dir.resolve("fifo"));
        assertEquals(0, new ProcessBuilder("mkfifo", fifoDir.resolve("x.f32").toString()).start().waitFor());
        Path manifestDir = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(manifestDir.resolve("manifest.json"), "{\"mine\": true}");
        for (Path d : List.of(linked, fifoDir, manifestDir)) {
            long t0 = System.nanoTime();
            CliTest.Run r = CliTest.run("fidelity", "--dir", d.toString(), "--steps", "1", "--size", "32", "--batch", "1",
                    "--python", "/nonexistent/python", "--keras", "/nonexistent.hdf5");
            assertOneLineRefusal(r, "not empty");
            assertTrue((System.nanoTime() - t0) / 1e9 < 20, "no hang on " + d);
        }
        assertArrayEquals(original, Files.readAllBytes(png));
        assertEquals("{\"mine\": true}", Files.readString(manifestDir.resolve("manifest.json")));
        assertTrue(Files.isSymbolicLink(linked.resolve("x.f32")));

        // A new folder is written; without --dir the scratch folder is removed afterwards (item 15).
        Path fresh = dir.resolve("fresh");
        assertEquals(0, CliTest.run("fidelity", "--dir", fresh.toString(), "--steps", "1", "--size", "32", "--batch", "1",
                "--python", "/nonexistent/python", "--keras", "/nonexistent.hdf5").code());
        assertTrue(Files.isRegularFile(fresh.resolve("manifest.json")) && Files.isRegularFile(fresh.resolve("x.f32")));
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<String> before = fidelityTemps(tmp);
        assertEquals(0, CliTest.run("fidelity", "--steps", "1", "--size", "32", "--batch", "1",
                "--python", "/nonexistent/python", "--keras", "/nonexistent.hdf5").code());
        assertEquals(before, fidelityTemps(tmp), "no inkwell-fidelity* folder left in " + tmp);
    }

    private static List<String> fidelityTemps(Path tmp) throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("inkwell-fidelity")).sorted().toList();
        }
    }

    /** Item 11: temp files a killed writer left are removed by the next run into the folder; others' files stay. */
    @Test
    void staleTempFilesOfInkwellsOwnPatternAreRemoved() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve(".a.png.8364519283.tmp"), "half a PNG");
        Files.writeString(out.resolve(".notes.tmp"), "the user's");
        Files.writeString(out.resolve(".b.txt.123.tmp"), "not a result of ours");
        Path in = signaturePng(dir.resolve("in"), "a.png");
        assertEquals(0, CliTest.run("denoise", in.toString(), "-o", out.toString(), "--model", tinyModel("m.zip").toString()).code());
        assertEquals(List.of(".b.txt.123.tmp", ".notes.tmp", "a.png"), names(out));

        Path m = dir.resolve("t.zip");
        Files.writeString(dir.resolve(".t.zip.77.tmp"), "half a model");
        assertEquals(0, CliTest.run(train("--epochs", "1", "-o", m.toString())).code());
        assertFalse(Files.exists(dir.resolve(".t.zip.77.tmp")));
    }

    /** Hostile pass: a checkpoint folder's own stale temp files go, a user's .notes.tmp there stays. */
    @Test
    void aCheckpointFolderKeepsTheUsersTempLookingFiles() throws Exception {
        Path cps = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(cps.resolve(".notes.tmp"), "the user's");
        Files.writeString(cps.resolve(".epoch-001.zip.4242.tmp"), "half a checkpoint");
        assertEquals(0, CliTest.run(train("--epochs", "1", "--checkpoints", cps.toString(), "-o", dir.resolve("n.zip").toString())).code());
        assertTrue(Files.exists(cps.resolve(".notes.tmp")));
        assertFalse(Files.exists(cps.resolve(".epoch-001.zip.4242.tmp")));
    }

    /** Hostile pass: a checkpoint that says it is beyond its own run is refused, not "resumed" into a finished model. */
    @Test
    void aCheckpointBeyondItsRunIsRefusedAndRunLengthIsBounded() throws Exception {
        CliTest.Run huge = CliTest.run(train("--steps", "2000000000", "--epochs", "2000000000", "-o", dir.resolve("h.zip").toString()));
        assertOneLineRefusal(huge, "more than the");
        assertFalse(Files.exists(dir.resolve("h-checkpoints")));
        Path m = dir.resolve("f.zip");
        assertEquals(0, CliTest.run(train("--epochs", "1", "-o", m.toString())).code());
        Path cp = dir.resolve("f-checkpoints/epoch-001.zip");
        var stored = ModelStore.load(cp, true);
        Path forged = dir.resolve("forged.zip");
        ModelStore.save(forged, stored.net(), stored.metadata().withProgress(1, 99_999, stored.metadata().metrics()),
                stored.history(), true);
        CliTest.Run r = CliTest.run("train", "--resume", forged.toString(), "-o", dir.resolve("g.zip").toString());
        assertOneLineRefusal(r, "beyond the");
        assertFalse(Files.exists(dir.resolve("g.zip")));
    }

    /** Hostile pass: a second denoise into a folder another run writes is refused before its model loads. */
    @Test
    void aBusyOutputFolderIsRefusedBeforeTheModelLoads() throws Exception {
        Path out = Files.createDirectories(dir.resolve("busy"));
        Path in = signaturePng(dir.resolve("in"), "a.png");
        try (RunLock first = RunLock.folder(out)) {
            // A model that does not exist: if the lock were checked after loading it, the error would be the model's.
            CliTest.Run r = CliTest.run("denoise", in.toString(), "-o", out.toString(), "--model", dir.resolve("none.zip").toString());
            assertOneLineRefusal(r, "another Inkwell run is writing here");
        }
        // A run that cleans nothing leaves no output folder it made.
        Path never = dir.resolve("never");
        Path bad = Files.writeString(dir.resolve("bad.png"), "not a png");
        CliTest.Run none = CliTest.run("denoise", bad.toString(), "-o", never.toString(), "--model", tinyModel("m.zip").toString());
        assertEquals(1, none.code(), none.err());
        assertFalse(Files.exists(never), "no empty output folder");
    }

    /** Item 14: an output folder that cannot be written is found before training, not after it. */
    @Test
    void anUnwritableModelFolderIsRefusedBeforeTraining() throws Exception {
        long t0 = System.nanoTime();
        CliTest.Run r = CliTest.run(train("--epochs", "50", "-o", "/proc/inkwell-test/m.zip", "--checkpoints",
                dir.resolve("cps").toString()));
        assertOneLineRefusal(r, "cannot write in /proc");
        assertFalse(r.out().contains("epoch"), r.out());
        assertFalse(Files.exists(dir.resolve("cps")));
        assertTrue((System.nanoTime() - t0) / 1e9 < 20);
    }

    /** Item 14: a read-only result (another user's, 0444) is never replaced, even with --overwrite. */
    @Test
    void aReadOnlyFileIsNeverReplaced() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path theirs = Files.writeString(out.resolve("a.png"), "someone else's result");
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("r--r--r--"));
        Path in = signaturePng(dir.resolve("in"), "a.png");
        CliTest.Run r = CliTest.run("denoise", in.toString(), "-o", out.toString(), "--model", tinyModel("m.zip").toString(),
                "--overwrite");
        assertEquals(0, r.code(), r.err());
        assertEquals("someone else's result", Files.readString(theirs));
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(theirs, LinkOption.NOFOLLOW_LINKS)));
        assertTrue(Files.exists(out.resolve("a-1.png")));
    }

    /** Item 15: a refused synth leaves no folder behind; an existing signature is not replaced. */
    @Test
    void aRefusedSynthLeavesNothing() throws Exception {
        Path fresh = dir.resolve("new");
        CliTest.Run r = CliTest.run("synth", "--count", "2", "-o", fresh.toString(), "--scan", "no-such-level");
        assertEquals(2, r.code(), r.err());
        assertFalse(Files.exists(fresh), "no empty folder left");

        Path old = Files.createDirectories(dir.resolve("old"));
        Path first = Files.writeString(old.resolve("signature-000001.png"), "the user's");
        CliTest.Run again = CliTest.run("synth", "--count", "3", "-o", old.toString());
        assertOneLineRefusal(again, "signature-000001.png", "exists");
        assertEquals(List.of("signature-000001.png"), names(old), "nothing written when one name is taken");
        assertEquals("the user's", Files.readString(first));
    }
}
