package org.inkwell.ui.dataset;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.inkwell.data.FolderDataset;
import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageLoadException;
import org.inkwell.data.Preprocess;
import org.inkwell.data.SignatureSource;
import org.inkwell.data.SyntheticSignatures;
import org.inkwell.ui.service.AppContext;
import org.inkwell.ui.task.BackgroundTask;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/** The Dataset pane: which signatures Inkwell works on, browsed as thumbnails with their statistics. */
public final class DatasetViewModel {
    public static final int THUMB_W = 168;
    public static final int THUMB_H = 84;
    /** Statistics read at most this many images, so huge folders still answer quickly. */
    public static final int STATS_LIMIT = 2000;

    private final AppContext context;
    private final IntegerProperty generatorSeed = new SimpleIntegerProperty((int) AppContext.DEFAULT_SEED);
    private final IntegerProperty generatorCount = new SimpleIntegerProperty(AppContext.DEFAULT_COUNT);
    private final StringProperty sourceDescription = new SimpleStringProperty();
    private final ObservableList<Integer> items = FXCollections.observableArrayList();
    private final IntegerProperty selectedIndex = new SimpleIntegerProperty(-1);
    private final ObjectProperty<GrayImage> selectedImage = new SimpleObjectProperty<>();
    private final StringProperty selectedInfo = new SimpleStringProperty("Select a signature to see it here.");
    private final StringProperty summary = new SimpleStringProperty("");
    private final DoubleProperty statsProgress = new SimpleDoubleProperty(0);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final ObservableList<String> failures = FXCollections.observableArrayList();
    private final Map<Long, GrayImage> thumbnails = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, GrayImage> e) {
            return size() > 3000;
        }
    };
    /** Newest thumbnail requests first: what is on screen now beats what scrolled past. */
    private final ThreadPoolExecutor thumbnailPool = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS,
            new LinkedBlockingDeque<>() {
                @Override
                public boolean offer(Runnable r) {
                    return offerFirst(r);
                }
            }, r -> {
        Thread t = new Thread(r, "inkwell-thumbnails");
        t.setDaemon(true);
        return t;
    });
    private BackgroundTask<?> statsTask;
    private int generation;
    /** The Map shows at most this many images, so it stays quick on a laptop. */
    public static final int MAP_LIMIT = 400;

    /** One signature on the Map: its index and PCA coordinates. */
    public record MapPoint(int index, double x, double y) {
    }

    private final ObservableList<MapPoint> mapPoints = FXCollections.observableArrayList();
    private final DoubleProperty mapProgress = new SimpleDoubleProperty(-1);
    private final StringProperty mapStatus = new SimpleStringProperty("Open the Map to place the signatures by their encoder features.");
    private final ObservableList<org.inkwell.model.Embeddings.Neighbour> similar = FXCollections.observableArrayList();
    private final StringProperty similarStatus = new SimpleStringProperty("");
    private float[][] embeddings;
    private boolean mapWanted;
    private int mapGeneration;

    public DatasetViewModel(AppContext context) {
        this.context = context;
        context.dataSourceProperty().addListener((obs, old, now) -> showSource(now));
        context.models().modelNameProperty().addListener((obs, old, now) -> invalidateMap());
        selectedIndex.addListener((obs, old, now) -> {
            select(now.intValue());
            updateSimilar(now.intValue());
        });
        // A new seed or count applies at once while the generator is the data set (Enter in the field is enough).
        generatorSeed.addListener((obs, old, now) -> useGeneratorIfActive());
        generatorCount.addListener((obs, old, now) -> useGeneratorIfActive());
        showSource(context.dataSourceProperty().get());
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

    public StringProperty summaryProperty() {
        return summary;
    }

    public DoubleProperty statsProgressProperty() {
        return statsProgress;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public ObservableList<String> failures() {
        return failures;
    }

    public SignatureSource source() {
        return context.dataSourceProperty().get();
    }

    public Path lastFolder() {
        return context.settings().folder("data");
    }

    /** Switches to the built-in generator with the seed and count fields. */
    public void useGenerator() {
        int count = Math.max(1, Math.min(100_000, generatorCount.get()));
        context.settings().rememberDataFolder(null);
        context.dataSourceProperty().set(new SyntheticSignatures(generatorSeed.get(), count));
    }

    /** Scans a folder in the background; unreadable files are listed, never fatal. */
    public void openFolder(Path folder) {
        busy.set(true);
        // The status bar says what runs: a large folder takes a while to list.
        var job = context.models().activity().begin("Scanning " + folder.getFileName());
        context.settings().rememberFolder("data", folder);
        BackgroundTask<FolderDataset> scan = BackgroundTask.of(() -> FolderDataset.scan(folder));
        scan.onSuccess(ds -> {
            busy.set(false);
            job.end();
            if (ds.size() == 0) {
                summary.set("No images (PNG, JPEG, BMP, GIF, TIFF, WebP, PDF) in " + folder + ".");
                return;
            }
            context.settings().rememberDataFolder(folder);
            context.dataSourceProperty().set(ds);
        });
        scan.onFailure(e -> {
            busy.set(false);
            job.end();
            summary.set("Cannot open " + folder + ": " + e.getMessage());
        });
        context.executor().execute(scan);
    }

    private void showSource(SignatureSource s) {
        generation++;
        synchronized (thumbnails) {
            thumbnails.clear();
        }
        failures.clear();
        sourceDescription.set(s.description());
        items.setAll(IntStream.range(0, s.size()).boxed().toList());
        selectedIndex.set(-1);
        selectedImage.set(null);
        selectedInfo.set("Select a signature to see it here.");
        if (s.size() > 0) {
            selectedIndex.set(0);
        }
        computeStats(s);
        invalidateMap();
    }

    /** Asks for the Map (e.g. when its tab opens); it then follows every data set and model change. */
    public void requestMap() {
        mapWanted = true;
        if (embeddings == null && mapProgress.get() < 0) {
            computeMap();
        }
    }

    private void invalidateMap() {
        embeddings = null;
        mapGeneration++;
        mapPoints.clear();
        similar.clear();
        mapProgress.set(-1);
        if (mapWanted) {
            computeMap();
        }
    }

    private void computeMap() {
        SignatureSource s = source();
        int gen = ++mapGeneration;
        int n = Math.min(s.size(), MAP_LIMIT);
        mapProgress.set(0);
        mapStatus.set("Computing encoder features of " + n + " signatures...");
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
                    return context.models().embed(imgs).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw (Exception) (e.getCause() instanceof Exception c ? c : e);
                }
            }
        };
        task.onSuccess(rows -> {
            if (gen != mapGeneration) {
                return;
            }
            embeddings = org.inkwell.model.Embeddings.centred(rows);
            double[][] xy = org.inkwell.model.Embeddings.pca2(rows);
            List<MapPoint> pts = new ArrayList<>();
            for (int i = 0; i < xy.length; i++) {
                pts.add(new MapPoint(i, xy[i][0], xy[i][1]));
            }
            mapPoints.setAll(pts);
            mapProgress.set(1);
            mapStatus.set(String.format(Locale.ROOT, "%d signatures by the first two principal components of their %d encoder features%s.",
                    rows.length, rows.length == 0 ? 0 : rows[0].length, s.size() > n ? " (first " + n + " of " + s.size() + ")" : ""));
            updateSimilar(selectedIndex.get());
        });
        task.onFailure(e -> {
            if (gen == mapGeneration) {
                mapProgress.set(1);
                mapStatus.set("No map: " + e.getMessage());
            }
        });
        context.executor().execute(task, p -> {
            if (gen == mapGeneration) {
                mapProgress.set(p);
            }
        });
    }

    private void updateSimilar(int i) {
        if (embeddings == null || i < 0) {
            similar.clear();
            similarStatus.set(embeddings == null ? "Open the Map to find similar signatures." : "");
            return;
        }
        if (i >= embeddings.length) {
            similar.clear();
            similarStatus.set("Similar signatures are found among the first " + embeddings.length + ".");
            return;
        }
        similar.setAll(org.inkwell.model.Embeddings.nearest(embeddings, embeddings[i], i, 8));
        similarStatus.set("8 nearest by cosine distance of the encoder features:");
    }

    public ObservableList<MapPoint> mapPoints() {
        return mapPoints;
    }

    public DoubleProperty mapProgressProperty() {
        return mapProgress;
    }

    public StringProperty mapStatusProperty() {
        return mapStatus;
    }

    public ObservableList<org.inkwell.model.Embeddings.Neighbour> similar() {
        return similar;
    }

    public StringProperty similarStatusProperty() {
        return similarStatus;
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
        context.executor().execute(load);
    }

    /**
     * Calls {@code onReady} (on the UI thread) with a small preview of image {@code index}, or null when it cannot
     * be read. Thumbnails are cached; requests from a previous data set are dropped.
     */
    public void requestThumbnail(int index, Consumer<GrayImage> onReady) {
        SignatureSource s = source();
        int gen = generation;
        long key = ((long) gen << 32) | index;
        GrayImage cached;
        synchronized (thumbnails) {
            cached = thumbnails.get(key);
        }
        if (cached != null) {
            onReady.accept(cached);
            return;
        }
        thumbnailPool.execute(() -> {
            if (gen != generation) {
                return;
            }
            GrayImage thumb;
            try {
                thumb = Preprocess.fitPadded(shrinkForThumbnail(s.load(index)), THUMB_W, THUMB_H);
            } catch (ImageLoadException | RuntimeException e) {
                thumb = null;
            }
            if (thumb != null) {
                synchronized (thumbnails) {
                    thumbnails.put(key, thumb);
                }
            }
            GrayImage result = thumb;
            context.executor().runOnUi(() -> {
                if (gen == generation) {
                    onReady.accept(result);
                }
            });
        });
    }

    /** Area-averaged reduction keeps thin strokes visible in a thumbnail, where nearest sampling would drop them. */
    static GrayImage shrinkForThumbnail(GrayImage g) {
        int f = Math.max(1, (int) Math.floor(Math.min(g.width() / (double) THUMB_W, g.height() / (double) THUMB_H)));
        if (f == 1) {
            return g;
        }
        int w = g.width() / f;
        int h = g.height() / f;
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sum = 0;
                for (int dy = 0; dy < f; dy++) {
                    for (int dx = 0; dx < f; dx++) {
                        sum += g.get(x * f + dx, y * f + dy);
                    }
                }
                out[y * w + x] = sum / (f * f);
            }
        }
        return new GrayImage(w, h, out);
    }

    private void computeStats(SignatureSource s) {
        if (statsTask != null) {
            statsTask.cancel();
        }
        summary.set("Reading statistics...");
        statsProgress.set(0);
        int n = Math.min(s.size(), STATS_LIMIT);
        BackgroundTask<String> task = new BackgroundTask<>() {
            @Override
            protected String call() {
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
                context.executor().runOnUi(() -> {
                    if (!isCancelled()) {
                        failures.setAll(bad);
                    }
                });
                return describe(Table.create("stats", widths, heights, ink), s.size(), n, bad.size());
            }
        };
        task.onSuccess(text -> {
            statsProgress.set(1);
            summary.set(text);
        });
        task.onFailure(e -> {
            statsProgress.set(1);
            summary.set("Statistics failed: " + e.getMessage());
        });
        statsTask = task;
        context.executor().execute(task, p -> {
            if (statsTask == task) {
                statsProgress.set(p);
            }
        });
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

    public void shutdown() {
        thumbnailPool.shutdownNow();
    }
}
