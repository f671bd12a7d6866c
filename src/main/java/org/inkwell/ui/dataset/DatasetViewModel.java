package org.inkwell.ui.dataset;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.inkwell.data.FolderDataset;
import org.inkwell.data.GrayImage;
import org.inkwell.data.SignatureSource;
import org.inkwell.data.SyntheticSignatures;
import org.inkwell.ui.service.AppContext;
import org.inkwell.ui.task.BackgroundTask;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The Dataset pane: which signatures Inkwell works on (the generator or a folder) and which one is selected;
 * its {@link DatasetStatistics}, {@link SignatureMap} and {@link Thumbnails} follow the data set.
 */
public final class DatasetViewModel {
    private final org.inkwell.ui.task.TaskExecutor executor;
    private final org.inkwell.ui.service.ModelService models;
    private final org.inkwell.ui.service.UserSettings userSettings;
    private final javafx.beans.property.ObjectProperty<org.inkwell.data.SignatureSource> dataSource;
    private final DatasetStatistics statistics;
    private final SignatureMap map;
    private final Thumbnails thumbnails;
    private final IntegerProperty generatorSeed = new SimpleIntegerProperty((int) AppContext.DEFAULT_SEED);
    private final IntegerProperty generatorCount = new SimpleIntegerProperty(AppContext.DEFAULT_COUNT);
    private final StringProperty sourceDescription = new SimpleStringProperty();
    private final ObservableList<Integer> items = FXCollections.observableArrayList();
    private final IntegerProperty selectedIndex = new SimpleIntegerProperty(-1);
    private final ObjectProperty<GrayImage> selectedImage = new SimpleObjectProperty<>();
    private final StringProperty selectedInfo = new SimpleStringProperty("Select a signature to see it here.");
    private int generation;

    public DatasetViewModel(org.inkwell.ui.task.TaskExecutor executor,
                            org.inkwell.ui.service.ModelService models,
                            org.inkwell.ui.service.UserSettings userSettings,
                            javafx.beans.property.ObjectProperty<org.inkwell.data.SignatureSource> dataSource) {
        this.executor = executor;
        this.models = models;
        this.userSettings = userSettings;
        this.dataSource = dataSource;
        this.statistics = new DatasetStatistics(executor);
        this.map = new SignatureMap(executor, models);
        this.thumbnails = new Thumbnails(executor);
        dataSource.addListener((obs, old, now) -> showSource(now));
        models.modelNameProperty().addListener((obs, old, now) -> map.invalidate(source()));
        selectedIndex.addListener((obs, old, now) -> {
            select(now.intValue());
            map.select(now.intValue());
        });
        // A new seed or count applies at once while the generator is the data set (Enter in the field is enough).
        generatorSeed.addListener((obs, old, now) -> useGeneratorIfActive());
        generatorCount.addListener((obs, old, now) -> useGeneratorIfActive());
        showSource(dataSource.get());
    }

    public DatasetStatistics statistics() {
        return statistics;
    }

    public SignatureMap map() {
        return map;
    }

    private void useGeneratorIfActive() {
        if (source() instanceof SyntheticSignatures) {
            useGenerator();
        }
    }

    /** Moves the selection by {@code delta} signatures (arrow keys), staying within the data set. */
    public void moveSelection(int delta) {
        int n = items.size();
        if (n == 0) {
            return;
        }
        int from = Math.max(0, selectedIndex.get());
        selectedIndex.set(Math.max(0, Math.min(n - 1, from + delta)));
    }

    public IntegerProperty generatorSeedProperty() {
        return generatorSeed;
    }

    public IntegerProperty generatorCountProperty() {
        return generatorCount;
    }

    public StringProperty sourceDescriptionProperty() {
        return sourceDescription;
    }

    public ObservableList<Integer> items() {
        return items;
    }

    public IntegerProperty selectedIndexProperty() {
        return selectedIndex;
    }

    public ObjectProperty<GrayImage> selectedImageProperty() {
        return selectedImage;
    }

    public StringProperty selectedInfoProperty() {
        return selectedInfo;
    }

    public SignatureSource source() {
        return dataSource.get();
    }

    public Path lastFolder() {
        return userSettings.folder("data");
    }

    /** Switches to the built-in generator with the seed and count fields. */
    public void useGenerator() {
        int count = Math.max(1, Math.min(100_000, generatorCount.get()));
        userSettings.rememberDataFolder(null);
        dataSource.set(new SyntheticSignatures(generatorSeed.get(), count));
    }

    /** Scans a folder in the background; unreadable files are listed, never fatal. */
    public void openFolder(Path folder) {
        // The status bar says what runs: a large folder takes a while to list.
        var job = models.activity().begin("Scanning " + folder.getFileName());
        userSettings.rememberFolder("data", folder);
        BackgroundTask<FolderDataset> scan = BackgroundTask.of(() -> FolderDataset.scan(folder));
        scan.onSuccess(ds -> {
            job.end();
            if (ds.size() == 0) {
                statistics.summaryProperty().set("No images (PNG, JPEG, BMP, GIF, TIFF, WebP, PDF) in " + folder + ".");
                return;
            }
            userSettings.rememberDataFolder(folder);
            dataSource.set(ds);
        });
        scan.onFailure(e -> {
            job.end();
            statistics.summaryProperty().set("Cannot open " + folder + ": " + e.getMessage());
        });
        executor.execute(scan);
    }

    /**
     * Calls {@code onReady} (on the UI thread) with a small preview of image {@code index}, or null when it cannot
     * be read. Thumbnails are cached; requests from a previous data set are dropped.
     */
    public void requestThumbnail(int index, Consumer<GrayImage> onReady) {
        thumbnails.request(index, onReady);
    }

    private void showSource(SignatureSource s) {
        generation++;
        thumbnails.show(s);
        sourceDescription.set(s.description());
        items.setAll(IntStream.range(0, s.size()).boxed().toList());
        selectedIndex.set(-1);
        selectedImage.set(null);
        selectedInfo.set("Select a signature to see it here.");
        if (s.size() > 0) {
            selectedIndex.set(0);
        }
        statistics.compute(s);
        map.invalidate(s);
    }

    private void select(int i) {
        SignatureSource s = source();
        if (i < 0 || i >= s.size()) {
            return;
        }
        int gen = generation;
        BackgroundTask<GrayImage> load = BackgroundTask.of(() -> s.load(i));
        load.onSuccess(g -> {
            if (gen != generation || selectedIndex.get() != i) {
                return;
            }
            selectedImage.set(g);
            selectedInfo.set(String.format(Locale.ROOT, "%s%n%d x %d pixels, ink %.1f%%", s.name(i), g.width(), g.height(),
                    100 * g.inkFraction()));
        });
        load.onFailure(e -> {
            if (gen == generation) {
                selectedImage.set(null);
                selectedInfo.set(s.name(i) + "\n" + e.getMessage());
            }
        });
        executor.execute(load);
    }
}
