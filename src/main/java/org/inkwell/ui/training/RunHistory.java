package org.inkwell.ui.training;

import org.inkwell.train.CheckpointStore;
import org.inkwell.model.ModelLoadException;
import org.inkwell.model.ModelStore;
import org.inkwell.model.TrainingHistory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The runs table's memory: every run folder under the data folder, read back from its checkpoints. */
final class RunHistory {
    static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private RunHistory() {
    }

    /** The epoch a run's "best" checkpoint holds: the lowest validation BCE (as the trainer picks it). */
    static TrainingHistory.Epoch bestEpoch(TrainingHistory h) {
        return h.epochs().stream().filter(e -> !Double.isNaN(e.valLoss()))
                .min(Comparator.comparingDouble(TrainingHistory.Epoch::valLoss))
                .orElse(h.epochs().isEmpty() ? null : h.epochs().get(h.epochs().size() - 1));
    }

    /** One record per run folder that holds a readable checkpoint, newest first. Unreadable folders are skipped. */
    static List<RunRecord> read(Path runsFolder) {
        List<RunRecord> out = new ArrayList<>();
        if (!Files.isDirectory(runsFolder)) {
            return out;
        }
        List<Path> folders;
        try (Stream<Path> s = Files.list(runsFolder)) {
            folders = s.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            return out;
        }
        for (Path folder : folders) {
            RunRecord r = readRun(folder);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private static RunRecord readRun(Path folder) {
        Path latest = latestCheckpoint(folder);
        if (latest == null) {
            return null;
        }
        try {
            ModelStore.Description d = ModelStore.describe(latest);
            if (d.metadata() == null || d.metadata().training() == null || d.history() == null) {
                return null;
            }
            var training = d.metadata().training();
            TrainingHistory.Epoch best = bestEpoch(d.history());
            double minutes = d.history().epochs().stream().mapToDouble(TrainingHistory.Epoch::seconds).sum() / 60;
            boolean complete = d.metadata().epochs() >= training.epochs() && !latest.endsWith(CheckpointStore.INTERRUPTED);
            Path bestFile = folder.resolve(CheckpointStore.BEST);
            Path shown = Files.isRegularFile(bestFile) ? bestFile : latest;
            return new RunRecord(started(folder), training.architecture(), training.optimizer(), d.metadata().epochs(),
                    d.metadata().step(), best == null ? Double.NaN : best.valLoss(), best == null ? Double.NaN : best.valFmeasure(),
                    minutes, complete ? "completed" : "cancelled", shown.toString(), training, d.history());
        } catch (ModelLoadException e) {
            return null;
        }
    }

    /** interrupted.zip when the run was stopped after its last epoch, else the highest epoch. */
    private static Path latestCheckpoint(Path folder) {
        Path interrupted = folder.resolve(CheckpointStore.INTERRUPTED);
        if (Files.isRegularFile(interrupted)) {
            return interrupted;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches("epoch-\\d{3,}\\.zip"))
                    .max(Comparator.naturalOrder()).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** runs/yyyyMMdd-HHmmss, with -2, -3 ... when a run already started in that second. */
    static Path newRunFolder(Path runs, LocalDateTime now) {
        String name = now.format(FOLDER);
        Path p = runs.resolve(name);
        for (int i = 2; Files.exists(p); i++) {
            p = runs.resolve(name + "-" + i);
        }
        return p;
    }

    private static String started(Path folder) {
        String name = folder.getFileName().toString();
        try {
            return LocalDateTime.parse(name.length() > 15 ? name.substring(0, 15) : name, FOLDER).format(SHOWN);
        } catch (DateTimeParseException e) {
            return name;
        }
    }
}
