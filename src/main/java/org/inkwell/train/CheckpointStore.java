package org.inkwell.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.OutputPolicy;
import org.inkwell.data.RunLock;
import org.inkwell.model.ModelLoadException;
import org.inkwell.model.ModelMetadata;
import org.inkwell.model.ModelStore;
import org.inkwell.model.TrainingHistory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run's checkpoint folder: one whole zip per epoch (the last {@value #KEEP_LAST} of this run are kept), the best
 * epoch as {@value #BEST}, and {@value #INTERRUPTED} when a run is cancelled. The folder belongs to one training run:
 * {@value #RUN_ID} names it, another run refuses the folder, and only this run's own files are ever replaced. The
 * folder is held with a {@link RunLock} while a run writes into it.
 */
public final class CheckpointStore implements AutoCloseable {
    public static final int KEEP_LAST = 3;
    public static final String BEST = "best.zip";
    public static final String INTERRUPTED = "interrupted.zip";
    public static final String RUN_ID = "run.id";

    private final Path folder;
    /** A checkpoint that rotation must never delete, e.g. the one this run resumed from; may be null. */
    private final Path keep;
    private RunLock lock;
    /** Epoch checkpoints this run wrote, oldest first. */
    private final List<Path> written = new ArrayList<>();

    /** Checkpoint files of a run (epoch-NNN.zip, best.zip, interrupted.zip) already in {@code folder}, sorted. */
    public static List<Path> existing(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return Files.isRegularFile(p) && (n.matches("epoch-\\d{3,}\\.zip") || n.equals(BEST) || n.equals(INTERRUPTED));
            }).sorted().toList();
        }
    }

    /**
     * Makes {@code folder} ready for a new run (not a resumed one). An earlier run's checkpoints there would be mixed
     * with the new run's, and its best.zip and interrupted.zip replaced: refused, unless {@code replace}, which
     * deletes those checkpoint files (and nothing else) first.
     */
    public static void prepareForNewRun(Path folder, boolean replace) throws IOException {
        List<Path> earlier = existing(folder);
        if (earlier.isEmpty()) {
            return;
        }
        if (!replace) {
            Path latest = earlier.stream().filter(p -> p.getFileName().toString().equals(INTERRUPTED)).findFirst()
                    .orElse(earlier.stream().filter(p -> p.getFileName().toString().startsWith("epoch-"))
                            .reduce((a, b) -> b).orElse(earlier.get(0)));
            throw new IllegalArgumentException(folder + " holds checkpoints of an earlier run ("
                    + String.join(", ", earlier.stream().map(p -> p.getFileName().toString()).toList())
                    + "): continue it with --resume " + latest + ", choose another --checkpoints folder, or add"
                    + " --overwrite to replace them");
        }
        try (RunLock lock = RunLock.folder(folder)) { // never under a run that is writing there now
            for (Path p : earlier) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(folder.resolve(RUN_ID));
        }
    }

    /** A new run's id: random, short enough to read in a message. */
    public static String newRunId() {
        return java.util.UUID.randomUUID().toString().substring(0, 13);
    }

    /**
     * The run a checkpoint belongs to: its own record, else the {@value #RUN_ID} of the folder it lies in (a
     * checkpoint written before runs had ids), else a new id.
     */
    public static String runIdOf(Path checkpoint, ModelMetadata meta) {
        if (meta != null && meta.runId() != null) {
            return meta.runId();
        }
        String folderRun = readRunId(checkpoint.toAbsolutePath().getParent());
        return folderRun != null ? folderRun : newRunId();
    }

    /** True when {@code output} is a model that run {@code runId} wrote (a resumed run's own earlier result). */
    public static boolean isOutputOf(Path output, String runId) {
        if (!Files.isRegularFile(output)) {
            return false;
        }
        try {
            ModelMetadata m = ModelStore.describe(output).metadata();
            return m != null && runId.equals(m.runId());
        } catch (ModelLoadException e) {
            return false;
        }
    }

    /** The run id a folder records, or null. */
    public static String readRunId(Path folder) {
        Path f = folder == null ? null : folder.resolve(RUN_ID);
        if (f == null || !Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try (java.io.InputStream in = Files.newInputStream(f)) {
            String id = new String(in.readNBytes(64), java.nio.charset.StandardCharsets.UTF_8).trim();
            return id.isEmpty() ? null : id;
        } catch (IOException e) {
            return null;
        }
    }

    public CheckpointStore(Path folder, Path keep) {
        this.folder = folder;
        this.keep = keep;
    }

    /**
     * Creates the folder, locks it for this run, claims it for {@code runId} and removes temp files a killed process
     * left behind (the checkpoints are always whole). A folder that records another run, or that holds checkpoints
     * of an unknown run while this one did not resume from it, is refused in one line.
     */
    public void open(String runId) throws IOException {
        open();
        try {
            claim(runId);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void claim(String runId) throws IOException {
        String owner = readRunId(folder);
        boolean resumedHere = keep != null && Files.exists(keep)
                && Files.isSameFile(keep.toAbsolutePath().getParent(), folder);
        boolean empty = existing(folder).isEmpty();
        if (owner != null && !owner.equals(runId) && keep == null && empty) {
            owner = null; // a run that stopped before its first checkpoint: nothing of it to keep
        }
        if (owner != null && !owner.equals(runId) || owner == null && !empty && !resumedHere) {
            throw new IllegalArgumentException(folder + " holds the checkpoints of another training run"
                    + (owner == null ? "" : " (run " + owner + ")") + "; " + (keep == null
                    ? "choose another --checkpoints folder, or continue that run with --resume"
                    : "resume into the folder of " + keep.getFileName() + " (" + keep.toAbsolutePath().getParent()
                    + ") or a new --checkpoints folder"));
        }
        if (!runId.equals(owner)) {
            OutputPolicy.writeAtomically(folder.toAbsolutePath().resolve(RUN_ID),
                    out -> out.write((runId + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    /** Releases the folder's lock (the files stay). */
    @Override
    public void close() throws IOException {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    /** Creates and locks the folder and removes stale temp files; see {@link #open(String)}. */
    private void open() throws IOException {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IOException("cannot create the checkpoint folder " + folder + " (" + e.getMessage()
                    + "); choose another folder", e);
        }
        lock = RunLock.folder(folder);
        // Only temp files of this folder's own writes (checkpoints, the run id): a user's .notes.tmp stays.
        OutputPolicy.removeStaleTemps(folder, name -> name.matches("epoch-\\d{3,}\\.zip") || name.equals(BEST)
                || name.equals(INTERRUPTED) || name.equals(RUN_ID));
    }

    /**
     * A resumed run's best so far: best.zip in this folder, or beside the checkpoint it resumed from (copied here,
     * so the best of the whole run stays one file). Only a best of this run at or before the resumed step counts: a
     * best from beyond it belongs to an abandoned continuation, and is kept aside as {@code abandoned-best-step-N.zip}
     * (never deleted) so it cannot become this branch's result. Null when there is none; {@code say} hears why.
     */
    public Path earlierBest(String runId, long resumedStep, java.util.function.Consumer<String> say) {
        Path here = folder.resolve(BEST);
        if (Files.isRegularFile(here)) {
            if (belongs(here, runId, resumedStep, say)) {
                return here;
            }
        }
        Path there = keep == null ? null : keep.toAbsolutePath().resolveSibling(BEST);
        if (there != null && Files.isRegularFile(there) && !isSame(there, here) && belongs(there, runId, resumedStep, say)) {
            try {
                copy(there, here);
                return here;
            } catch (IOException e) {
                return there;
            }
        }
        return null;
    }

    private boolean belongs(Path best, String runId, long resumedStep, java.util.function.Consumer<String> say) {
        ModelMetadata m;
        try {
            m = ModelStore.describe(best).metadata();
        } catch (ModelLoadException e) {
            say.accept("ignoring " + best + ": " + e.getMessage());
            return false;
        }
        if (m == null || m.runId() != null && !m.runId().equals(runId)) {
            say.accept("ignoring " + best + ": it belongs to another training run");
            return false;
        }
        if (m.step() > resumedStep) {
            Path aside = folder.resolve(String.format("abandoned-best-step-%06d.zip", m.step()));
            try {
                if (best.toAbsolutePath().getParent().equals(folder.toAbsolutePath()) && !Files.exists(aside)) {
                    Files.move(best, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    say.accept(best.getFileName() + " is from step " + m.step() + ", beyond the resumed step " + resumedStep
                            + " (an abandoned continuation): kept as " + aside.getFileName() + ", not used");
                    return false;
                }
            } catch (IOException e) {
                // Left where it is; still not used.
            }
            say.accept(best + " is from step " + m.step() + ", beyond the resumed step " + resumedStep + ": not used");
            return false;
        }
        return true;
    }

    private static boolean isSame(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** The best checkpoint of an earlier session of this run, so resuming cannot lose it; null if unreadable. */
    public static TrainingResult.Snapshot snapshotOf(Path checkpoint) {
        try {
            ModelStore.StoredModel m = ModelStore.load(checkpoint, false);
            return new TrainingResult.Snapshot(m.net().params().dup(), m.metadata(), m.history());
        } catch (ModelLoadException e) {
            return null;
        }
    }

    public Path saveInterrupted(ComputationGraph net, ModelMetadata meta, TrainingHistory history) throws IOException {
        Path p = folder.resolve(INTERRUPTED);
        ModelStore.save(p, net, meta, history, true, OutputPolicy.replacing());
        return p;
    }

    /** Writes epoch {@code epoch}'s checkpoint (and best.zip when it is the best), then rotates; returns the epoch file. */
    public Path saveEpoch(int epoch, boolean isBest, ComputationGraph net, ModelMetadata meta, TrainingHistory history)
            throws IOException {
        Path p = folder.resolve(String.format("epoch-%03d.zip", epoch));
        // This run's own files (the folder is claimed and locked): an epoch file of an abandoned continuation of
        // this run is replaced by this branch's.
        ModelStore.save(p, net, meta, history, true, OutputPolicy.replacing());
        if (isBest) {
            copy(p, best());
        }
        prune(p);
        Files.deleteIfExists(folder.resolve(INTERRUPTED));
        return p;
    }

    public Path best() {
        return folder.resolve(BEST);
    }

    public Path folder() {
        return folder;
    }

    private void prune(Path justWritten) throws IOException {
        written.remove(justWritten);
        written.add(justWritten);
        while (written.size() > KEEP_LAST) {
            Path old = written.remove(0);
            if (keep == null || !Files.exists(keep) || !Files.isSameFile(keep, old)) {
                Files.deleteIfExists(old);
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        OutputPolicy.writeAtomically(to.toAbsolutePath(), out -> Files.copy(from, out));
    }
}
