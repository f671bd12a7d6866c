package org.inkwell.ui.dataset;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.inkwell.data.CleanDataCheck;
import org.inkwell.data.FolderDataset;
import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.ImageLoadException;
import org.inkwell.data.SignatureSource;
import org.inkwell.data.SyntheticSignatures;
import org.inkwell.ui.service.AppContext;
import org.inkwell.ui.task.BackgroundTask;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    private final javafx.beans.property.ReadOnlyStringWrapper sourceDescription = new javafx.beans.property.ReadOnlyStringWrapper();
    private final ObservableList<Integer> items = FXCollections.observableArrayList();
    /** Read-only to the view; one instance, so listeners on it live as long as the view model. */
    private final ObservableList<Integer> itemsView = javafx.collections.FXCollections.unmodifiableObservableList(items);
    private final IntegerProperty selectedIndex = new SimpleIntegerProperty(-1);
    private final javafx.beans.property.ReadOnlyObjectWrapper<GrayImage> selectedImage = new javafx.beans.property.ReadOnlyObjectWrapper<>();
    private final javafx.beans.property.ReadOnlyStringWrapper selectedInfo = new javafx.beans.property.ReadOnlyStringWrapper("Select a signature to see it here.");
    private int generation;
    private final javafx.beans.property.ReadOnlyStringWrapper dataWarning = new javafx.beans.property.ReadOnlyStringWrapper("");
    private final javafx.beans.property.ReadOnlyBooleanWrapper cleaning = new javafx.beans.property.ReadOnlyBooleanWrapper();

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

    public javafx.beans.property.ReadOnlyStringProperty sourceDescriptionProperty() {
        return sourceDescription.getReadOnlyProperty();
    }

    public ObservableList<Integer> items() {
        return itemsView;
    }

    public IntegerProperty selectedIndexProperty() {
        return selectedIndex;
    }

    public javafx.beans.property.ReadOnlyObjectProperty<GrayImage> selectedImageProperty() {
        return selectedImage.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyStringProperty selectedInfoProperty() {
        return selectedInfo.getReadOnlyProperty();
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
        checkCleanData(s);
    }

    /** How many images of a folder are looked at to tell clean signatures from scans. */
    static final int CHECKED = 12;

    /** A folder of scans or photos is not clean data: sampled off the UI thread, the pane says so and offers to clean it. */
    private void checkCleanData(SignatureSource s) {
        dataWarning.set("");
        if (!(s instanceof FolderDataset folder)) {
            return;
        }
        int gen = generation;
        BackgroundTask<CleanDataCheck.Verdict> check = BackgroundTask.of(() -> {
            List<GrayImage> sample = new ArrayList<>();
            int n = folder.size();
            for (int k = 0; k < Math.min(CHECKED, n); k++) {
                try {
                    // Judged at most 512 px on a side: twelve phone photos at full size would take half a gigabyte.
                    GrayImage g = ImageFiles.readGray(folder.file((int) ((long) k * n / Math.min(CHECKED, n))));
                    double shrink = Math.min(1, 512.0 / Math.max(g.width(), g.height()));
                    sample.add(shrink == 1 ? g : org.inkwell.data.Preprocess.resizeNearest(g,
                            Math.max(1, (int) Math.round(g.width() * shrink)), Math.max(1, (int) Math.round(g.height() * shrink))));
                } catch (ImageLoadException e) {
                    // unreadable files are listed by the statistics
                }
            }
            return CleanDataCheck.of(sample);
        });
        check.onSuccess(v -> {
            if (gen == generation && v.looksLikeScans()) {
                dataWarning.set("This folder holds scans or photos, not clean signatures: " + v.describe()
                        + ". As training targets they would teach the model to keep the shadows and specks. "
                        + "Clean them with the current model first; the cleaned copies become the data set.");
            }
        });
        executor.execute(check);
    }

    /**
     * Why the folder shown is not clean data; empty when it is (or when the generator is in use).
     */
    public javafx.beans.property.ReadOnlyStringProperty dataWarningProperty() {
        return dataWarning.getReadOnlyProperty();
    }

    /** Whether the cleaning of a folder of scans is running. */
    public javafx.beans.property.ReadOnlyBooleanProperty cleaningProperty() {
        return cleaning.getReadOnlyProperty();
    }

    /**
     * Cleans every image of the folder shown into {@code out} with the current model (as Clean a folder and
     * {@code inkwell denoise} do), then makes the cleaned folder the data set. The originals are only read.
     */
    public void cleanInto(Path out) {
        if (!(source() instanceof FolderDataset folder) || cleaning.get()) {
            return;
        }
        cleaning.set(true);
        dataWarning.set("Cleaning the scans into " + out + "...");
        var job = models.activity().begin("Cleaning " + folder.size() + " scans");
        BackgroundTask<org.inkwell.model.BatchCleaner.Summary> clean = new BackgroundTask<>() {
            @Override
            protected org.inkwell.model.BatchCleaner.Summary call() throws Exception {
                List<String> errors = new ArrayList<>();
                List<Path> files = org.inkwell.model.BatchCleaner.collect(List.of(folder.root()), errors, out);
                var summary = org.inkwell.model.BatchCleaner.run(files, out, org.inkwell.data.OutputPolicy.strict(),
                        new org.inkwell.model.BatchCleaner.Options(org.inkwell.model.Denoiser.DEFAULT_THRESHOLD, false, false, 8),
                        scan -> models.reconstruct(scan).get(), (done, total, in, o, error) -> updateProgress(done, total),
                        this::isCancelled);
                errors.addAll(summary.errors());
                return new org.inkwell.model.BatchCleaner.Summary(summary.cleaned(), errors);
            }
        };
        clean.onSuccess(sum -> {
            job.end();
            cleaning.set(false);
            dataWarning.set("");
            openFolder(out);
            statistics.summaryProperty().set("Cleaned " + sum.cleaned() + " scans into " + out
                    + (sum.failed() == 0 ? "" : "; " + sum.failed() + " could not be cleaned"));
        });
        clean.onFailure(e -> {
            job.end();
            cleaning.set(false);
            dataWarning.set("Cannot clean the scans: " + e.getMessage());
        });
        executor.execute(clean);
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
