package org.inkwell.ui.dataset;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageLoadException;
import org.inkwell.data.Preprocess;
import org.inkwell.data.SignatureSource;
import org.inkwell.model.Embeddings;
import org.inkwell.ui.service.ModelService;
import org.inkwell.ui.task.BackgroundTask;
import org.inkwell.ui.task.TaskExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;

/**
 * The Map: signatures placed by the first two principal components of the encoder features of the network that
 * cleans black-and-white signatures (the bundled model's binary specialist, else the current model), and the
 * signatures most similar to the selected one. Computed only once asked for, then kept current.
 */
public final class SignatureMap {
    /** The Map shows at most this many images, so it stays quick on a laptop. */
    public static final int LIMIT = 400;

    /** One signature on the Map: its index and PCA coordinates. */
    public record Point(int index, double x, double y) {
    }

    private final TaskExecutor executor;
    private final ModelService models;
    private final ObservableList<Point> points = FXCollections.observableArrayList();
    private final DoubleProperty progress = new SimpleDoubleProperty(-1);
    private final StringProperty status = new SimpleStringProperty("Open the Map to place the signatures by their encoder features.");
    private final ObservableList<Embeddings.Neighbour> similar = FXCollections.observableArrayList();
    private final StringProperty similarStatus = new SimpleStringProperty("");
    private float[][] embeddings;
    /** The data set index of each row of {@link #embeddings}: unreadable files have no row. */
    private int[] rowIndex = new int[0];
    private boolean wanted;
    private int generation;
    private SignatureSource source;
    private int selected = -1;

    SignatureMap(TaskExecutor executor, ModelService models) {
        this.executor = executor;
        this.models = models;
    }

    public ObservableList<Point> points() {
        return points;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public ObservableList<Embeddings.Neighbour> similar() {
        return similar;
    }

    public StringProperty similarStatusProperty() {
        return similarStatus;
    }

    /** Asks for the Map (e.g. when its tab opens); it then follows every data set and model change. */
    public void request() {
        wanted = true;
        if (embeddings == null && progress.get() < 0) {
            compute();
        }
    }

    /** The data set or the model changed: the features are stale. */
    void invalidate(SignatureSource s) {
        source = s;
        embeddings = null;
        generation++;
        points.clear();
        similar.clear();
        progress.set(-1);
        if (wanted) {
            compute();
        }
    }

    void select(int index) {
        selected = index;
        updateSimilar();
    }

    private void compute() {
        SignatureSource s = source;
        int gen = ++generation;
        int n = Math.min(s.size(), LIMIT);
        progress.set(0);
        status.set("Computing encoder features of " + n + " signatures...");
        record Features(float[][] rows, int[] index) {
        }
        BackgroundTask<Features> task = new BackgroundTask<>() {
            @Override
            protected Features call() throws Exception {
                // Unreadable files are left off the Map: a blank stand-in would sit at distance 0 from every other.
                List<GrayImage> imgs = new ArrayList<>();
                List<Integer> readable = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    try {
                        imgs.add(Preprocess.apply(s.load(i), Preprocess.Mode.SEED, Preprocess.SEED_SIZE));
                        readable.add(i);
                    } catch (ImageLoadException e) {
                        // counted below
                    }
                    updateProgress(i + 1, 2.0 * n);
                }
                try {
                    float[][] rows = imgs.isEmpty() ? new float[0][] : models.embed(imgs).get();
                    return new Features(rows, readable.stream().mapToInt(Integer::intValue).toArray());
                } catch (ExecutionException e) {
                    throw (Exception) (e.getCause() instanceof Exception c ? c : e);
                }
            }
        };
        task.onSuccess(f -> {
            if (gen != generation) {
                return;
            }
            float[][] rows = f.rows();
            rowIndex = f.index();
            embeddings = rows.length == 0 ? null : Embeddings.centred(rows);
            double[][] xy = rows.length == 0 ? new double[0][] : Embeddings.pca2(rows);
            List<Point> pts = new ArrayList<>();
            for (int i = 0; i < xy.length; i++) {
                pts.add(new Point(rowIndex[i], xy[i][0], xy[i][1]));
            }
            points.setAll(pts);
            progress.set(1);
            int unreadable = n - rows.length;
            status.set(String.format(Locale.ROOT, "%d signatures by the first two principal components of their %d encoder features%s%s.",
                    rows.length, rows.length == 0 ? 0 : rows[0].length, s.size() > n ? " (first " + n + " of " + s.size() + ")" : "",
                    unreadable == 0 ? "" : "; " + unreadable + " unreadable file" + (unreadable == 1 ? "" : "s") + " left out"));
            updateSimilar();
        });
        task.onFailure(e -> {
            if (gen == generation) {
                progress.set(1);
                status.set("No map: " + e.getMessage());
            }
        });
        executor.execute(task, p -> {
            if (gen == generation) {
                progress.set(p);
            }
        });
    }

    private void updateSimilar() {
        if (embeddings == null || selected < 0) {
            similar.clear();
            similarStatus.set(embeddings == null ? "Open the Map to find similar signatures." : "");
            return;
        }
        int row = java.util.Arrays.binarySearch(rowIndex, selected);
        if (row < 0) {
            similar.clear();
            similarStatus.set(selected < LIMIT && source != null && selected < source.size()
                    ? "This file could not be read, so it has no similar signatures."
                    : "Similar signatures are found among the first " + LIMIT + ".");
            return;
        }
        List<Embeddings.Neighbour> near = new ArrayList<>();
        for (Embeddings.Neighbour nb : Embeddings.nearest(embeddings, embeddings[row], row, 8)) {
            near.add(new Embeddings.Neighbour(rowIndex[nb.index()], nb.distance()));
        }
        similar.setAll(near);
        similarStatus.set(near.size() + " nearest by cosine distance of the encoder features:");
    }
}
