package org.inkwell.ui.dataset;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageLoadException;
import org.inkwell.data.SignatureSource;
import org.inkwell.ui.task.BackgroundTask;
import org.inkwell.ui.task.TaskExecutor;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Counts, sizes and ink of a data set (Tablesaw summaries), and the files that could not be read. */
public final class DatasetStatistics {
    /** Statistics read at most this many images, so huge folders still answer quickly. */
    public static final int LIMIT = 2000;

    private final TaskExecutor executor;
    private final StringProperty summary = new SimpleStringProperty("");
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final ObservableList<String> failures = FXCollections.observableArrayList();
    private BackgroundTask<?> running;

    DatasetStatistics(TaskExecutor executor) {
        this.executor = executor;
    }

    public StringProperty summaryProperty() {
        return summary;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public ObservableList<String> failures() {
        return failures;
    }

    /** Reads the statistics of {@code s} in the background; a newer data set cancels an older reading. */
    void compute(SignatureSource s) {
        if (running != null) {
            running.cancel();
        }
        failures.clear();
        summary.set("Reading statistics...");
        progress.set(0);
        int n = Math.min(s.size(), LIMIT);
        BackgroundTask<Result> task = new BackgroundTask<>() {
            @Override
            protected Result call() {
                org.inkwell.data.Tables.ready(); // Tablesaw loaded where cancelling this task cannot break it
                List<String> bad = new ArrayList<>();
                DoubleColumn widths = DoubleColumn.create("width");
                DoubleColumn heights = DoubleColumn.create("height");
                DoubleColumn ink = DoubleColumn.create("ink %");
                for (int i = 0; i < n && !isCancelled(); i++) {
                    try {
                        GrayImage g = s.load(i);
                        widths.append(g.width());
                        heights.append(g.height());
                        ink.append(100 * g.inkFraction());
                    } catch (ImageLoadException e) {
                        bad.add(e.getMessage());
                    }
                    updateProgress(i + 1, n);
                }
                return new Result(describe(Table.create("stats", widths, heights, ink), s.size(), n, bad.size()), bad);
            }
        };
        task.onSuccess(r -> {
            if (running == task && !task.isCancelled()) {
                progress.set(1);
                summary.set(r.text());
                failures.setAll(r.unreadable());
            }
        });
        task.onFailure(e -> {
            if (running == task) {
                progress.set(1);
                summary.set("Statistics failed: " + e.getMessage());
            }
        });
        running = task;
        executor.execute(task, p -> {
            if (running == task) {
                progress.set(p);
            }
        });
    }

    private record Result(String text, List<String> unreadable) {
    }

    static String describe(Table t, int total, int read, int unreadable) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d images", total));
        if (read < total) {
            sb.append(String.format(Locale.ROOT, " (statistics of the first %d)", read));
        }
        if (unreadable > 0) {
            sb.append(String.format(Locale.ROOT, ", %d unreadable", unreadable));
        }
        sb.append('\n');
        for (String name : t.columnNames()) {
            DoubleColumn c = t.doubleColumn(name);
            if (c.isEmpty()) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%-7s mean %7.1f   min %7.1f   max %7.1f%n", name, c.mean(), c.min(), c.max()));
        }
        return sb.toString().trim();
    }
}
