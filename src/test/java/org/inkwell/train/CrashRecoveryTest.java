package org.inkwell.train;

import org.inkwell.model.TrainingConfig;

import org.inkwell.model.Architecture;
import org.inkwell.model.ModelLoadException;
import org.inkwell.model.ModelStore;
import org.inkwell.runtime.Dl4jRuntime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kills a training CLI process with SIGKILL at random moments: every checkpoint left behind must load and resume. */
class CrashRecoveryTest {
    @TempDir
    Path dir;

    private Process startTraining(Path out, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(org.inkwell.ChildJvm.inkwell("train", "--synthetic", "6",
                "--arch", "seed", "--optimizer", "adam", "--size", "64", "--patch", "32", "--batch", "2",
                "--steps", "2", "--epochs", "400", "--validation", "2", "-o", out.toString()));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
    }

    private List<Path> checkpoints(Path cpDir) throws Exception {
        if (!Files.isDirectory(cpDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cpDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".zip")).sorted().toList();
        }
    }

    @Test
    void killedRunsAlwaysLeaveLoadableCheckpointsAndResume() throws Exception {
        Dl4jRuntime.init();
        Path out = dir.resolve("m.zip");
        Path cpDir = dir.resolve("m-checkpoints");
        Random random = new Random(7);
        long lastStep = -1;
        for (int round = 0; round < 3; round++) {
            Process p = round == 0 ? startTraining(out) : startTraining(out, "--resume", latest(cpDir).toString());
            // Wait until this round has written at least one new checkpoint, then kill at a random moment.
            long deadline = System.currentTimeMillis() + 60_000;
            long before = lastStep;
            while (System.currentTimeMillis() < deadline && maxStep(cpDir) <= before) {
                Thread.sleep(100);
            }
            Thread.sleep(random.nextInt(1500));
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            List<Path> cps = checkpoints(cpDir);
            assertFalse(cps.isEmpty(), "no checkpoint written; log: " + Files.readString(dir.resolve("log.txt")));
            for (Path cp : cps) {
                ModelStore.StoredModel m = ModelStore.load(cp, true); // every file left behind is whole
                assertTrue(m.metadata().step() > 0);
            }
            long step = maxStep(cpDir);
            assertTrue(step > lastStep, "round " + round + " made progress: " + lastStep + " -> " + step + "; log: "
                    + Files.readString(dir.resolve("log.txt")));
            lastStep = step;
        }
    }

    private Path latest(Path cpDir) throws Exception {
        Path best = null;
        long bestStep = -1;
        for (Path cp : checkpoints(cpDir)) {
            long s = ModelStore.load(cp, false).metadata().step();
            if (s > bestStep) {
                bestStep = s;
                best = cp;
            }
        }
        return best;
    }

    private long maxStep(Path cpDir) throws Exception {
        long max = -1;
        for (Path cp : checkpoints(cpDir)) {
            try {
                max = Math.max(max, ModelStore.load(cp, false).metadata().step());
            } catch (ModelLoadException e) {
                // a checkpoint being replaced right now; the next poll sees it whole
            }
        }
        return max;
    }

    @Test
    void oversizedBatchIsRefusedWithASuggestion() {
        TrainingConfig huge = new TrainingConfig("seed", TrainingConfig.ADAM, 1e-3, 1_000, 1, 1, "seed", 224, 0, true,
                "pepper:0.2", 1, 1, 1);
        var net = Architecture.SEED.build(224, new org.nd4j.linalg.learning.config.Adam(1e-3), 1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MemoryBudget.check(huge, net, 0));
        assertTrue(e.getMessage().contains("use --batch") && e.getMessage().contains("--micro-batch"), e.getMessage());
        MemoryBudget.check(huge, net, 8); // the same batch in micro-batches of 8 fits
        MemoryBudget.check(TinyModels.config("seed", TrainingConfig.ADAM, 1, 1), net, 0); // small is fine
    }

    @Test
    void politeKillWritesAnInterruptedCheckpoint() throws Exception {
        Path out = dir.resolve("p.zip");
        Path cpDir = dir.resolve("p-checkpoints");
        Process p = startTraining(out);
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && maxStep(cpDir) < 0) {
            Thread.sleep(100);
        }
        p.destroy(); // SIGTERM, like Ctrl+C
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        Path interrupted = cpDir.resolve(CheckpointStore.INTERRUPTED);
        assertTrue(Files.exists(interrupted), Files.readString(dir.resolve("log.txt")));
        assertTrue(ModelStore.load(interrupted, true).metadata().step() >= maxStep(cpDir));
    }
}
