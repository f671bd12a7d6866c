package org.inkwell.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.OutputPolicy;
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
 * epoch as {@value #BEST}, and {@value #INTERRUPTED} when a run is cancelled. Files of other runs are never touched.
 */
public final class CheckpointStore {
    public static final int KEEP_LAST = 3;
    public static final String BEST = "best.zip";
    public static final String INTERRUPTED = "interrupted.zip";

    private final Path folder;
    /** A checkpoint that rotation must never delete, e.g. the one this run resumed from; may be null. */
    private final Path keep;
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
        for (Path p : earlier) {
            Files.deleteIfExists(p);
        }
    }

    public CheckpointStore(Path folder, Path keep) {
        this.folder = folder;
        this.keep = keep;
    }

    /** Creates the folder and removes temp files a killed process left behind (the checkpoints are always whole). */
    public void open() throws IOException {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IOException("cannot create the checkpoint folder " + folder + " (" + e.getMessage()
                    + "); choose another folder", e);
        }
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".")
                    && p.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A resumed run's best so far: best.zip in this folder, or beside the checkpoint it resumed from (copied here,
     * so the best of the whole run stays one file). Null when there is none.
     */
    public Path earlierBest() {
        Path here = folder.resolve(BEST);
        if (Files.isRegularFile(here)) {
            return here;
        }
        Path there = keep == null ? null : keep.toAbsolutePath().resolveSibling(BEST);
        if (there != null && Files.isRegularFile(there)) {
            try {
                copy(there, here);
                return here;
            } catch (IOException e) {
                return there;
            }
        }
        return null;
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
        ModelStore.save(p, net, meta, history, true);
        return p;
    }

    /** Writes epoch {@code epoch}'s checkpoint (and best.zip when it is the best), then rotates; returns the epoch file. */
    public Path saveEpoch(int epoch, boolean isBest, ComputationGraph net, ModelMetadata meta, TrainingHistory history)
            throws IOException {
        Path p = folder.resolve(String.format("epoch-%03d.zip", epoch));
        ModelStore.save(p, net, meta, history, true);
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
