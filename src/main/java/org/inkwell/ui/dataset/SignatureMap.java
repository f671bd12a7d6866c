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
 * The Map: signatures placed by the first two principal components of the current model's encoder features,
 * and the signatures most similar to the selected one. Computed only once asked for, then kept current.
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
        BackgroundTask<float[][]> task = new BackgroundTask<>() {
            @Override
            protected float[][] call() throws Exception {
                List<GrayImage> imgs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    GrayImage g;
                    try {
                        g = Preprocess.apply(s.load(i), Preprocess.Mode.SEED, Preprocess.SEED_SIZE);
                    } catch (ImageLoadException e) {
                        g = GrayImage.blank(Preprocess.SEED_SIZE, Preprocess.SEED_SIZE);
                    }
                    imgs.add(g);
                    updateProgress(i + 1, 2.0 * n);
                }
                try {
                    return models.embed(imgs).get();
                } catch (ExecutionException e) {
                    throw (Exception) (e.getCause() instanceof Exception c ? c : e);
                }
            }
        };
        task.onSuccess(rows -> {
            if (gen != generation) {
                return;
            }
            embeddings = Embeddings.centred(rows);
            double[][] xy = Embeddings.pca2(rows);
            List<Point> pts = new ArrayList<>();
            for (int i = 0; i < xy.length; i++) {
                pts.add(new Point(i, xy[i][0], xy[i][1]));
            }
            points.setAll(pts);
            progress.set(1);
            status.set(String.format(Locale.ROOT, "%d signatures by the first two principal components of their %d encoder features%s.",
                    rows.length, rows.length == 0 ? 0 : rows[0].length, s.size() > n ? " (first " + n + " of " + s.size() + ")" : ""));
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
        if (selected >= embeddings.length) {
            similar.clear();
            similarStatus.set("Similar signatures are found among the first " + embeddings.length + ".");
            return;
        }
        similar.setAll(Embeddings.nearest(embeddings, embeddings[selected], selected, 8));
        similarStatus.set("8 nearest by cosine distance of the encoder features:");
    }
}
