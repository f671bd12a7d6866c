package org.inkwell.ui.samples;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.inkwell.data.BatchIterator;
import org.inkwell.data.NoiseModel;
import org.inkwell.data.PairSpec;
import org.inkwell.data.PreparedImages;
import org.inkwell.data.Preprocess;
import org.inkwell.data.SignatureSource;
import org.inkwell.data.TrainingPair;
import org.inkwell.ui.service.AppContext;
import org.inkwell.ui.task.BackgroundTask;

import java.util.List;
import java.util.Locale;

/** The Samples pane: (noisy, clean) training pairs made exactly as the trainer makes them, updated live. */
public final class SamplesViewModel {
    /**
     * "scan" and the device families (pen, paper, photocopier, camera, pepper on a grey scan) render each signature at
     * level twice the slider and show it as the grey model reads it.
     */
    public static final List<String> NOISE_TYPES = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("pepper", "salt", "salt-and-pepper", "scan"), org.inkwell.data.NoiseMenu.FAMILIES.stream()).toList();
    public static final int PAIRS = 8;
    /** How a signature becomes the square training image: "fit" keeps its aspect (padded), "seed" squashes it. */
    public static final List<String> SHAPES = List.of("fit", "seed");

    private final org.inkwell.ui.task.TaskExecutor executor;
    private final javafx.beans.property.ReadOnlyObjectProperty<org.inkwell.data.SignatureSource> dataSource;
    private final StringProperty noiseType = new SimpleStringProperty("pepper");
    private final StringProperty shape = new SimpleStringProperty("fit");
    private final DoubleProperty noiseLevel = new SimpleDoubleProperty(0.2);
    private final BooleanProperty augment = new SimpleBooleanProperty(true);
    private final IntegerProperty seed = new SimpleIntegerProperty(7);
    private final LongProperty batch = new SimpleLongProperty(0);
    private final ObservableList<TrainingPair> pairs = FXCollections.observableArrayList();
    /** Read-only to the view; one instance, so listeners on it live as long as the view model. */
    private final ObservableList<TrainingPair> pairsView = javafx.collections.FXCollections.unmodifiableObservableList(pairs);
    private final javafx.beans.property.ReadOnlyStringWrapper status = new javafx.beans.property.ReadOnlyStringWrapper("");
    private final ObjectProperty<PreparedImages> prepared = new SimpleObjectProperty<>();
    private int requested;
    private boolean running;
    private boolean dirty;

    public SamplesViewModel(org.inkwell.ui.task.TaskExecutor executor,
                            javafx.beans.property.ReadOnlyObjectProperty<org.inkwell.data.SignatureSource> dataSource) {
        this.executor = executor;
        this.dataSource = dataSource;
        prepared.set(prepare(dataSource.get()));
        dataSource.addListener((o, a, s) -> {
            prepared.set(prepare(s));
            refresh();
        });
        shape.addListener((o, a, b) -> {
            prepared.set(prepare(dataSource.get()));
            refresh();
        });
        noiseType.addListener((o, a, b) -> refresh());
        noiseLevel.addListener((o, a, b) -> refresh());
        augment.addListener((o, a, b) -> refresh());
        seed.addListener((o, a, b) -> refresh());
        batch.addListener((o, a, b) -> refresh());
        refresh();
    }

    private PreparedImages prepare(SignatureSource s) {
        return new PreparedImages(s, mode(), Preprocess.SEED_SIZE);
    }

    private Preprocess.Mode mode() {
        return "seed".equals(shape.get()) ? Preprocess.Mode.SEED : Preprocess.Mode.FIT;
    }

    public StringProperty shapeProperty() {
        return shape;
    }

    public StringProperty noiseTypeProperty() {
        return noiseType;
    }

    /** Noise density, 0 to 0.5. */
    public DoubleProperty noiseLevelProperty() {
        return noiseLevel;
    }

    public BooleanProperty augmentProperty() {
        return augment;
    }

    public IntegerProperty seedProperty() {
        return seed;
    }

    public LongProperty batchProperty() {
        return batch;
    }

    public ObservableList<TrainingPair> pairs() {
        return pairsView;
    }

    public javafx.beans.property.ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public void newBatch() {
        batch.set(batch.get() + 1);
    }

    public NoiseModel noise() {
        return org.inkwell.data.NoiseMenu.of(noiseType.get(), noiseLevel.get());
    }

    /** Rebuilds the grid; while one rebuild runs, further changes collapse into a single next rebuild. */
    public void refresh() {
        requested++;
        if (running) {
            dirty = true;
            return;
        }
        running = true;
        int ticket = requested;
        PreparedImages images = prepared.get();
        PairSpec spec = new PairSpec(mode(), Preprocess.SEED_SIZE, 0, augment.get(), noise());
        long s = seed.get();
        long k = batch.get();
        BackgroundTask<List<TrainingPair>> task = BackgroundTask.of(
                () -> BatchIterator.buildPairs(images, spec, Math.min(PAIRS, Math.max(1, images.count())), s, k));
        task.onSuccess(r -> finish(ticket, r, null));
        task.onFailure(e -> finish(ticket, null, e));
        executor.execute(task);
    }

    private void finish(int ticket, List<TrainingPair> result, Throwable error) {
        running = false;
        if (result != null) {
            pairs.setAll(result);
            status.set(String.format(Locale.ROOT, "batch %d, %s noise at %.0f%%, %s", batch.get(), noiseType.get(),
                    100 * noiseLevel.get(), augment.get() ? "random flips and rotations" : "no augmentation"));
        } else {
            status.set("Cannot make samples: " + (error == null ? "unknown error" : error.getMessage()));
        }
        if (dirty || ticket != requested) {
            dirty = false;
            refresh();
        }
    }
}
