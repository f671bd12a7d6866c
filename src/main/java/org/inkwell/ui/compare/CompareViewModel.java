package org.inkwell.ui.compare;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.OutputPolicy;
import org.inkwell.model.BatchCleaner;
import org.inkwell.model.InkExport;
import org.inkwell.model.SignatureFinder;
import org.inkwell.model.Specks;
import org.inkwell.data.ImageLoadException;
import org.inkwell.data.NoiseModel;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.model.Denoiser;
import org.inkwell.eval.Metrics;
import org.inkwell.ui.service.AppContext;
import org.inkwell.ui.task.BackgroundTask;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The Compare pane: an input beside the model's reconstruction. The noise slider corrupts the loaded image and
 * re-runs the model live (newest value wins); the threshold slider re-thresholds without re-running.
 * <p>Longer than most classes: the input, its noise, the model's result, the scores and the export options change
 * together and must stay consistent when any of them changes; cleaning a folder is the engine's {@code
 * BatchCleaner}.
 */
public final class CompareViewModel {
    private static final long NOISE_SEED = 20_24L;

    private final org.inkwell.ui.task.TaskExecutor executor;
    private final org.inkwell.ui.service.ModelService models;
    private final org.inkwell.ui.service.UserSettings userSettings;
    /**
     * Noise the slider adds: the seed's pepper, salt-and-pepper, a scan of the image, or one family of device
     * degradations (level = twice the slider), so a user can see what each does and what Inkwell removes.
     */
    public static final List<String> NOISE_TYPES = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("pepper", "salt-and-pepper", "scan"), org.inkwell.data.NoiseMenu.FAMILIES.stream()).toList();
    /** Ink probabilities in this band count as uncertain. */
    public static final double UNCERTAIN_LO = 0.3;
    public static final double UNCERTAIN_HI = 0.7;
    /** Uncertain pixels above this share of the pixels the result calls ink: the result is flagged. */
    public static final double UNCERTAIN_OF_INK = 0.15;

    private final javafx.beans.property.ReadOnlyObjectWrapper<GrayImage> original = new javafx.beans.property.ReadOnlyObjectWrapper<>();
    /** The user's file as read (colour kept, upright): what the Input side shows while no noise is added. */
    private final javafx.beans.property.ReadOnlyObjectWrapper<java.awt.image.BufferedImage> scanImage = new javafx.beans.property.ReadOnlyObjectWrapper<>();
    private final StringProperty noiseType = new SimpleStringProperty("pepper");
    private final StringProperty inkColour = new SimpleStringProperty("black");
    private final javafx.beans.property.ReadOnlyObjectWrapper<GrayImage> input = new javafx.beans.property.ReadOnlyObjectWrapper<>();
    private final ObjectProperty<GrayImage> probabilities = new SimpleObjectProperty<>();
    private final javafx.beans.property.ReadOnlyObjectWrapper<GrayImage> result = new javafx.beans.property.ReadOnlyObjectWrapper<>();
    private final DoubleProperty noiseLevel = new SimpleDoubleProperty(0.2);
    private long requests; // preview requests made, counted on the UI thread to spot stale results
    private long loads;    // files opened, likewise: a slow earlier load must not replace a later one
    private final DoubleProperty threshold = new SimpleDoubleProperty(Denoiser.DEFAULT_THRESHOLD);
    private final BooleanProperty cropToInk = new SimpleBooleanProperty(false);
    private final BooleanProperty transparent = new SimpleBooleanProperty(false);
    private final javafx.beans.property.ReadOnlyStringWrapper inputName = new javafx.beans.property.ReadOnlyStringWrapper("");
    private final javafx.beans.property.ReadOnlyStringWrapper metrics = new javafx.beans.property.ReadOnlyStringWrapper("");
    private final javafx.beans.property.ReadOnlyStringWrapper uncertainty = new javafx.beans.property.ReadOnlyStringWrapper("");
    /** The result exactly as Save and Copy give it: threshold, ink colour, transparency and crop applied. */
    private final javafx.beans.property.ReadOnlyObjectWrapper<java.awt.image.BufferedImage> exported = new javafx.beans.property.ReadOnlyObjectWrapper<>();
    private long exports; // export renders asked for, to drop a stale one
    /** What {@link #exported} was rendered from, so Save writes it only when it is still what the controls say. */
    private record Export(java.awt.image.BufferedImage image, GrayImage probs, double threshold, InkExport.Style style) {
    }

    private Export lastExport;
    /** Where the export's pixels come from (for the eraser), with the render it belongs to. */
    private InkExport.Placed lastPlaced;
    /** The signature's crop box in the result's pixels (the finder's box plus a margin), null until found. */
    private final ObjectProperty<java.awt.Rectangle> cropRegion = new SimpleObjectProperty<>();
    /** The page's tilt in degrees, as the finder measured it. */
    private final javafx.beans.property.ReadOnlyDoubleWrapper tilt = new javafx.beans.property.ReadOnlyDoubleWrapper(0);
    /** Turn the result upright by {@link #tilt}. */
    private final BooleanProperty straighten = new SimpleBooleanProperty(false);
    /** Save writes the result this many millimetres wide at {@link #dpi} (0: as cleaned, no resolution recorded). */
    private final DoubleProperty widthMm = new SimpleDoubleProperty(0);
    private final javafx.beans.property.IntegerProperty dpi = new javafx.beans.property.SimpleIntegerProperty(300);
    private final StringProperty finding = new SimpleStringProperty("");
    private long finds; // finder passes asked for, to drop a stale one
    /** The finder's answer for the result on screen: with Crop on, ink it does not call signature is left out. */
    private SignatureFinder.Result found;
    private boolean cropMoved; // the user moved the crop box: keep all the ink inside it
    /** Eraser strokes, each a list of discs {x, y, r} in the result's pixels, in the order made; undone ones wait in redo. */
    private final List<List<int[]>> erasures = new ArrayList<>();
    private final List<List<int[]>> redo = new ArrayList<>();
    private List<int[]> stroke;
    private long edits; // changes to the erasures, to tell a stale render
    private long shownEdits;
    private final javafx.beans.property.ReadOnlyBooleanWrapper canUndo = new javafx.beans.property.ReadOnlyBooleanWrapper(false);
    private final javafx.beans.property.ReadOnlyBooleanWrapper canRedo = new javafx.beans.property.ReadOnlyBooleanWrapper(false);
    /** Marks of fewer pixels than this are removed from the result (0: keep everything). */
    private final javafx.beans.property.IntegerProperty minMark = new javafx.beans.property.SimpleIntegerProperty(0);
    /** The probabilities the result and the export are made from: the model's, with the small marks removed. */
    private GrayImage shownProbs;
    /** What {@link #shownProbs} was made from: the model's probabilities and the marks size. */
    private GrayImage shownSource;
    private int shownMinMark;
    private long thresholds; // threshold passes asked for, to drop a stale one
    private final javafx.beans.property.ReadOnlyBooleanWrapper uncertain = new javafx.beans.property.ReadOnlyBooleanWrapper(false);
    private final javafx.beans.property.ReadOnlyStringWrapper status = new javafx.beans.property.ReadOnlyStringWrapper("Drop a scan anywhere on the window to clean it.");
    private final javafx.beans.property.ReadOnlyDoubleWrapper batchProgress = new javafx.beans.property.ReadOnlyDoubleWrapper(-1);
    private final javafx.beans.property.ReadOnlyBooleanWrapper batchRunning = new javafx.beans.property.ReadOnlyBooleanWrapper();
    private final javafx.beans.property.ReadOnlyStringWrapper batchStatus = new javafx.beans.property.ReadOnlyStringWrapper("");
    private final ObservableList<String> batchFailures = FXCollections.observableArrayList();
    /** Read-only to the view; one instance, so listeners on it live as long as the view model. */
    private final ObservableList<String> batchFailuresView = javafx.collections.FXCollections.unmodifiableObservableList(batchFailures);
    private final java.util.concurrent.atomic.AtomicBoolean batchCancel = new java.util.concurrent.atomic.AtomicBoolean();
    private final javafx.beans.property.ReadOnlyBooleanWrapper working = new javafx.beans.property.ReadOnlyBooleanWrapper(false);
    private final javafx.beans.property.ReadOnlyStringWrapper busyText = new javafx.beans.property.ReadOnlyStringWrapper("");
    private final ObservableList<Path> files = FXCollections.observableArrayList();
    private Path inputPath;
    /** The resolution the opened file's scanner recorded (0: none): Save keeps it when no size is asked for. */
    private double scanDpi;

    public CompareViewModel(org.inkwell.ui.task.TaskExecutor executor,
                            org.inkwell.ui.service.ModelService models,
                            org.inkwell.ui.service.UserSettings userSettings) {
        this.executor = executor;
        this.models = models;
        this.userSettings = userSettings;
        restoreExportOptions();
        for (javafx.beans.Observable o : List.of(inkColour, transparent, cropToInk, straighten, widthMm, dpi, minMark)) {
            o.addListener(x -> userSettings.rememberText(EXPORT_KEY, exportOptions()));
        }
        noiseLevel.addListener((o, a, b) -> rerun());
        noiseType.addListener((o, a, b) -> {
            if (noiseLevel.get() > 0) {
                rerun();
            }
        });
        threshold.addListener((o, a, b) -> applyThreshold());
        minMark.addListener((o, a, b) -> applyThreshold());
        transparent.addListener((o, a, b) -> updateExport());
        inkColour.addListener((o, a, b) -> updateExport());
        cropToInk.addListener((o, a, b) -> {
            edits++; // what the result keeps changes with Crop
            applyThreshold();
        });
        cropRegion.addListener((o, a, b) -> updateExport());
        straighten.addListener((o, a, b) -> updateExport());
        models.modelNameProperty().addListener((o, a, b) -> rerun());
        models.readyProperty().addListener((o, a, ready) -> {
            if (ready) {
                rerun();
            }
        });
    }

    /** Where the export options (colour, transparency, crop, straighten, size, marks) are remembered. */
    static final String EXPORT_KEY = "compare.export";

    /** The export options as one line of key=value pairs. */
    String exportOptions() {
        return String.join(";", "ink=" + inkColour.get(), "transparent=" + transparent.get(), "crop=" + cropToInk.get(),
                "straighten=" + straighten.get(), "widthMm=" + widthMm.get(), "dpi=" + dpi.get(), "minMark=" + minMark.get());
    }

    /** The export options of the last session; a value missing or out of range keeps the default. */
    private void restoreExportOptions() {
        String line = userSettings.text(EXPORT_KEY, "");
        for (String pair : line.split(";")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String k = pair.substring(0, eq);
            String v = pair.substring(eq + 1);
            try {
                switch (k) {
                    case "ink" -> {
                        if (v.equals("black") || v.equals("blue") || v.matches("#[0-9a-fA-F]{6}")) {
                            inkColour.set(v);
                        }
                    }
                    case "transparent" -> transparent.set(Boolean.parseBoolean(v));
                    case "crop" -> cropToInk.set(Boolean.parseBoolean(v));
                    case "straighten" -> straighten.set(Boolean.parseBoolean(v));
                    case "widthMm" -> widthMm.set(Math.max(0, Math.min(1000, Double.parseDouble(v))));
                    case "dpi" -> dpi.set(Math.max(72, Math.min(2400, Integer.parseInt(v))));
                    case "minMark" -> minMark.set(Math.max(0, Math.min(100_000, Integer.parseInt(v))));
                    default -> {
                    }
                }
            } catch (NumberFormatException e) {
                // an unreadable value: the default stays
            }
        }
    }

    /** Starts with a generated signature so the pane shows something on first launch. */
    public void showExample() {
        show(new SignatureGenerator(AppContext.DEFAULT_SEED).generate(3), "example signature (built-in generator)", null);
    }

    public void openFiles(List<Path> paths) {
        List<Path> given = List.copyOf(paths);
        status.set("Looking for images...");
        // A dropped folder may be large or on a slow disk: it is listed off the UI thread.
        record Listing(List<Path> images, List<String> problems) {
        }
        BackgroundTask<Listing> list = BackgroundTask.of(() -> {
            List<Path> images = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (Path p : given) {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.walk(p)) {
                        s.filter(f -> Files.isRegularFile(f) && ImageFiles.hasImageExtension(f)).sorted().forEach(images::add);
                    } catch (IOException | java.io.UncheckedIOException e) {
                        problems.add("Cannot read folder " + p + ": " + e.getMessage());
                    }
                } else {
                    images.add(p);
                }
            }
            return new Listing(images, problems);
        });
        list.onSuccess(l -> {
            if (l.images().isEmpty()) {
                status.set(l.problems().isEmpty() ? "Nothing to open: drop image files (PNG, JPEG, BMP, GIF, TIFF, WebP, PDF) or a folder."
                        : String.join("; ", l.problems()));
                return;
            }
            files.setAll(l.images());
            openFile(l.images().get(0));
            if (!l.problems().isEmpty()) {
                status.set(String.join("; ", l.problems()));
            }
        });
        list.onFailure(e -> status.set("Cannot open: " + e.getMessage()));
        executor.execute(list);
    }

    public void openFile(Path file) {
        working.set(true);
        clearResult(); // the previous image's reconstruction and scores must not sit beside the new one
        busyText.set("Reading " + file.getFileName() + "...");
        status.set("Reading " + file.getFileName() + "...");
        // The scan as the user sees it (colour, upright) and its grey levels; the model reads the grey.
        long ticket = ++loads;
        // Decoding and the grey conversion (a 12 MP scan takes a while) stay off the UI thread.
        BackgroundTask<Loaded> load = BackgroundTask.of(() -> {
            java.awt.image.BufferedImage shown = ImageFiles.readUpright(file);
            return new Loaded(shown, ImageFiles.toGray(shown), ImageFiles.sourceDpi(file));
        });
        load.onSuccess(img -> {
            if (ticket != loads) {
                return; // the user has opened another file since
            }
            working.set(false);
            userSettings.rememberFolder("images", file);
            noiseLevel.set(0); // a user's own scan is cleaned as it is; the slider adds noise on purpose only
            scanImage.set(img.shown());
            showScan(img.grey(), file.getFileName().toString(), file);
            scanDpi = img.dpi();
        });
        load.onFailure(e -> {
            if (ticket != loads) {
                return;
            }
            working.set(false);
            status.set(e instanceof ImageLoadException ? e.getMessage() : "Cannot open " + file + ": " + e.getMessage());
        });
        executor.execute(load);
    }

    private record Loaded(java.awt.image.BufferedImage shown, GrayImage grey, double dpi) {
    }

    private void clearResult() {
        probabilities.set(null);
        result.set(null);
        exported.set(null);
        lastExport = null;
        shownProbs = null;
        shownSource = null;
        lastPlaced = null;
        exports++;
        thresholds++;
        finds++;
        metrics.set("");
        cropRegion.set(null);
        found = null;
        cropMoved = false;
        tilt.set(0);
        finding.set("");
        erasures.clear();
        redo.clear();
        stroke = null;
        edits++;
        updateUndo();
    }

    /** Shows a generated or binary image (ink 0) as the clean input. */
    public void show(GrayImage img, String name, Path path) {
        scanImage.set(null);
        showScan(img, name, path);
    }

    private void showScan(GrayImage img, String name, Path path) {
        inputPath = path;
        scanDpi = 0; // known only for a file whose scanner recorded it (set by openFile)
        clearResult();
        inputName.set(name + String.format(Locale.ROOT, " (%d x %d)", img.width(), img.height()));
        original.set(img);
        input.set(img); // shown at once; the noisy version replaces it with the reconstruction
        rerun();
    }

    /**
     * Re-makes the noisy input and asks the model for it; only the newest request is computed. The noise is added
     * on the model thread with the reconstruction, so a large scan does not stall the slider.
     */
    public void rerun() {
        GrayImage clean = original.get();
        if (clean == null) {
            return;
        }
        double p = Math.max(0, Math.min(0.5, noiseLevel.get()));
        NoiseModel noise = noiseModel(noiseType.get(), p);
        java.util.function.Supplier<GrayImage> noisy = () -> p == 0 ? clean
                : noise.apply(org.inkwell.data.Binarizer.binarize(clean), new SplittableRandom(NOISE_SEED));
        long request = ++requests;
        if (!models.readyProperty().get()) {
            String name = models.modelNameProperty().get();
            status.set("no model".equals(name) ? "No model loaded: " + models.modelDetailsProperty().get()
                    + ". Open one (File > Open model) or train one in the Training pane." : "The model is still loading...");
            if (p == 0) {
                input.set(clean);
                return;
            }
            // The noisy scan is made off the UI thread (a whole page takes a while); only the newest is shown.
            BackgroundTask<GrayImage> make = BackgroundTask.of(noisy::get);
            make.onSuccess(g -> {
                if (request == requests) {
                    input.set(g);
                }
            });
            executor.execute(make);
            return;
        }
        working.set(true);
        // The result on screen no longer matches the slider: its scores go at once, the view dims it.
        metrics.set("");
        long t0 = System.nanoTime();
        GrayImage shown = original.get();
        String what = String.format(Locale.ROOT, "Cleaning %s (%d x %d)%s", inputPath == null ? "the example" : inputPath.getFileName(),
                shown.width(), shown.height(), p > 0 ? String.format(Locale.ROOT, " with %.0f%% %s noise", p * 100, noiseType.get()) : "");
        busyText.set(what + "...");
        models.reconstructLatest(what, noisy, preview -> {
            if (request != requests) {
                return; // a newer input is on its way
            }
            working.set(false);
            input.set(preview.input());
            probabilities.set(preview.probabilities());
            applyThreshold();
            findSignature(preview.probabilities(), original.get());
            status.set(String.format(Locale.ROOT, "Cleaned in %.0f ms with %s%s.", (System.nanoTime() - t0) / 1e6,
                    models.modelNameProperty().get(), preview.engine().isEmpty() ? "" : " (" + preview.engine() + ")"));
        }, e -> {
            if (request == requests) {
                working.set(false);
                status.set("Cannot clean: " + e.getMessage());
            }
        });
    }

    static NoiseModel noiseModel(String type, double p) {
        return org.inkwell.data.NoiseMenu.of(type, p);
    }

    /**
     * How sure the model is: the share of pixels whose ink probability lies in [{@value #UNCERTAIN_LO},
     * {@value #UNCERTAIN_HI}], and whether that is a large part of what the result calls ink, in which case moving the
     * threshold changes the result a lot.
     */
    public record Uncertainty(double share, double ofInk) {
        public boolean flagged() {
            return ofInk > UNCERTAIN_OF_INK;
        }

        public static Uncertainty of(GrayImage probs, double threshold) {
            long band = 0;
            long ink = 0;
            for (float p : probs.pixels()) {
                if (p >= UNCERTAIN_LO && p <= UNCERTAIN_HI) {
                    band++;
                }
                if (p < threshold) {
                    ink++;
                }
            }
            double n = Math.max(1, probs.pixels().length);
            return new Uncertainty(band / n, ink == 0 ? (band == 0 ? 0 : 1) : (double) band / ink);
        }

        /** Led by the share of the ink (what the warning is about); the share of the whole image after it. */
        public String text() {
            if (share == 0) {
                return String.format(Locale.ROOT, "Uncertain: none of the ink (no pixel with an ink probability of %.1f-%.1f)",
                        UNCERTAIN_LO, UNCERTAIN_HI);
            }
            return String.format(Locale.ROOT, "Uncertain: %.0f%% of the ink (%.1f%% of the image) has an ink probability of %.1f-%.1f%s",
                    100 * Math.min(1, ofInk), 100 * share, UNCERTAIN_LO, UNCERTAIN_HI,
                    flagged() ? " - this result is uncertain: try moving the threshold" : "");
        }
    }

    private void applyThreshold() {
        GrayImage probs = probabilities.get();
        if (probs == null) {
            return;
        }
        double t = threshold.get();
        int n = minMark.get();
        long ticket = ++thresholds;
        // Off the UI thread: a 12-megapixel result takes a while to threshold and to search for small marks.
        List<List<int[]>> erased = List.copyOf(erasures);
        long edit = edits;
        SignatureFinder.Result only = isolating();
        BackgroundTask<GrayImage[]> pass = BackgroundTask.of(() -> {
            GrayImage specks = Specks.remove(probs, t, n);
            GrayImage kept = erase(only == null ? specks : only.isolate(specks, t), erased);
            return new GrayImage[]{kept, kept.threshold(t)};
        });
        pass.onSuccess(r -> {
            if (ticket != thresholds || probabilities.get() != probs) {
                return; // the slider or the image has moved on
            }
            shownProbs = r[0];
            shownSource = probs;
            shownMinMark = n;
            shownEdits = edit;
            result.set(r[1]);
            updateMetrics(r[1]);
            updateUncertainty(r[0], r[1]);
            updateExport();
        });
        executor.execute(pass);
    }

    /** The export style the pane's controls say: the signature's crop box when Crop is on, turned when Straighten is. */
    private InkExport.Style style(boolean transparentBackground) {
        java.awt.Rectangle region = cropToInk.get() ? cropRegion.get() : null;
        return new InkExport.Style(transparentBackground, InkExport.parseColour(inkColour.get()), cropToInk.get(), 8,
                region, straighten.get() ? -tilt.get() : 0);
    }

    /** The finder's answer when the result keeps just the signature: Crop on, the box where the finder put it. */
    private SignatureFinder.Result isolating() {
        return cropToInk.get() && !cropMoved && found != null && found.found() ? found : null;
    }

    /** Runs the signature finder on a new result: the crop box (with a margin) and the page's tilt. */
    private void findSignature(GrayImage probs, GrayImage scan) {
        double t = threshold.get();
        long ticket = ++finds;
        finding.set("Looking for the signature...");
        BackgroundTask<SignatureFinder.Result> find = BackgroundTask.of(() -> SignatureFinder.find(probs,
                scan != null && scan.width() == probs.width() && scan.height() == probs.height() ? scan : null, t));
        find.onSuccess(r -> {
            if (ticket != finds || probabilities.get() != probs) {
                return;
            }
            int margin = 8 + (int) Math.round(0.03 * Math.max(r.box().width, r.box().height));
            found = r;
            cropMoved = false;
            cropRegion.set(r.withMargin(margin, probs.width(), probs.height()));
            tilt.set(r.tilt());
            if (cropToInk.get()) {
                edits++;
                applyThreshold();
            }
            finding.set(r.found()
                    ? String.format(Locale.ROOT, "Signature found: %d x %d px, page tilted %.1f degrees.", r.box().width, r.box().height, r.tilt())
                    : "No signature told apart from the rest: Crop keeps all the ink.");
        });
        executor.execute(find);
    }

    /** Moves or resizes the crop box (in the result's pixels); clipped to the image. */
    public void setCropRegion(java.awt.Rectangle box) {
        GrayImage probs = probabilities.get();
        if (probs == null || box == null) {
            return;
        }
        java.awt.Rectangle r = box.intersection(new java.awt.Rectangle(0, 0, probs.width(), probs.height()));
        if (r.width >= 2 && r.height >= 2 && !r.equals(cropRegion.get())) {
            boolean wasIsolating = isolating() != null;
            cropMoved = true; // the user's box: all the ink inside it is kept
            cropRegion.set(r);
            if (wasIsolating) {
                edits++;
                applyThreshold();
            }
        }
    }

    /**
     * The eraser: a disc of {@code radius} result pixels at ({@code x}, {@code y}) of the result as shown (the
     * export: cropped, turned), becomes paper. {@code newStroke} starts a stroke, which Undo takes back whole.
     */
    public void eraseAt(double x, double y, double radius, boolean newStroke) {
        InkExport.Placed placed = lastPlaced;
        if (placed == null || probabilities.get() == null) {
            return;
        }
        java.awt.geom.Point2D src = placed.toSource(x, y);
        int[] disc = {(int) Math.round(src.getX()), (int) Math.round(src.getY()), Math.max(1, (int) Math.round(radius))};
        if (newStroke || stroke == null) {
            stroke = new ArrayList<>();
            erasures.add(stroke);
            redo.clear();
        }
        stroke.add(disc);
        edits++;
        updateUndo();
        applyThreshold();
    }

    /** Ends the eraser stroke in progress. */
    public void endStroke() {
        stroke = null;
    }

    /** Takes back the last eraser stroke. */
    public void undo() {
        if (!erasures.isEmpty()) {
            redo.add(erasures.remove(erasures.size() - 1));
            stroke = null;
            edits++;
            updateUndo();
            applyThreshold();
        }
    }

    /** Makes the last undone stroke again. */
    public void redo() {
        if (!redo.isEmpty()) {
            erasures.add(redo.remove(redo.size() - 1));
            stroke = null;
            edits++;
            updateUndo();
            applyThreshold();
        }
    }

    private void updateUndo() {
        canUndo.set(!erasures.isEmpty());
        canRedo.set(!redo.isEmpty());
    }

    /** A copy of {@code probs} with the eraser's discs made paper; {@code probs} itself when there are none. */
    static GrayImage erase(GrayImage probs, List<List<int[]>> strokes) {
        if (strokes.isEmpty()) {
            return probs;
        }
        GrayImage out = probs.copy();
        for (List<int[]> st : strokes) {
            for (int[] d : st) {
                for (int y = Math.max(0, d[1] - d[2]); y <= Math.min(probs.height() - 1, d[1] + d[2]); y++) {
                    for (int x = Math.max(0, d[0] - d[2]); x <= Math.min(probs.width() - 1, d[0] + d[2]); x++) {
                        if ((x - d[0]) * (x - d[0]) + (y - d[1]) * (y - d[1]) <= d[2] * d[2]) {
                            out.set(x, y, GrayImage.PAPER);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Renders what Save would write, off the UI thread: what you see in the result view is what you save. */
    private void updateExport() {
        GrayImage probs = probabilities.get() == null ? null : shownProbs;
        if (probs == null) {
            exported.set(null);
            return;
        }
        double t = threshold.get();
        InkExport.Style s = style(transparent.get());
        long ticket = ++exports;
        BackgroundTask<InkExport.Placed> render = BackgroundTask.of(() -> InkExport.place(probs, t, s));
        render.onSuccess(placed -> {
            if (ticket == exports) {
                lastExport = new Export(placed.image(), probs, t, s);
                lastPlaced = placed;
                exported.set(placed.image());
            }
        });
        executor.execute(render);
    }

    /**
     * The drag file written ahead for the result shown, the image it holds, and the image being written now. Touched
     * on the UI thread only; each write goes to a folder of its own, so a late write never overwrites a newer file.
     */
    private Path preparedDrag;
    private java.awt.image.BufferedImage preparedFor;
    private java.awt.image.BufferedImage preparing;
    private int dragWrites;

    /**
     * Writes the drag file for the result shown in the background (the view asks when the pointer reaches the drag
     * handle), so that the drag itself does not encode a PNG on the UI thread; nothing when it is written already or
     * being written.
     */
    public void prepareDragFile() {
        java.awt.image.BufferedImage img = exported.get();
        if (img == null || img == preparing || preparedDragFile() != null) {
            return;
        }
        preparing = img;
        String name = suggestedFileName();
        int n = ++dragWrites;
        BackgroundTask<Path> write = BackgroundTask.of(() -> writeDragFile(img, n, name));
        write.onSuccess(file -> {
            if (preparing == img) {
                preparing = null;
            }
            if (exported.get() == img) {
                Path old = preparedDrag;
                preparedDrag = file;
                preparedFor = img;
                if (old != null && !old.equals(file)) {
                    deleteQuietly(old);
                }
            } else {
                deleteQuietly(file); // the result changed while it was written
            }
        });
        write.onFailure(e -> {
            if (preparing == img) {
                preparing = null; // the drag writes it itself then
            }
        });
        executor.execute(write);
    }

    private synchronized Path writeDragFile(java.awt.image.BufferedImage img, int n, String name) throws IOException {
        if (dragFolder == null || !Files.isDirectory(dragFolder)) {
            dragFolder = Files.createTempDirectory("inkwell-drag");
            dragFolder.toFile().deleteOnExit();
        }
        Path folder = Files.createDirectories(dragFolder.resolve(Integer.toString(n)));
        folder.toFile().deleteOnExit();
        Path file = folder.resolve(name);
        ImageFiles.writePng(img, file, OutputPolicy.replacing());
        file.toFile().deleteOnExit();
        return file;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException e) {
            // left for the exit hook
        }
    }

    /** The drag file already written for the result shown, or null (not asked for, or being written). */
    public Path preparedDragFile() {
        Path p = preparedDrag;
        return p != null && preparedFor == exported.get() && Files.isRegularFile(p) ? p : null;
    }

    /** An image from the clipboard, cleaned like an opened file (it has no file: Save suggests "pasted"). */
    public void openImage(java.awt.image.BufferedImage image, String name) {
        loads++; // a file still loading must not replace it
        working.set(false);
        noiseLevel.set(0);
        clearResult();
        scanImage.set(image);
        showScan(ImageFiles.toGray(image), name, null);
    }

    private void updateUncertainty(GrayImage probs, GrayImage r) {
        double t = threshold.get();
        GrayImage scan = original.get();
        // A photo cleaned at a working resolution is counted at that resolution: bringing it back to full size
        // softens every stroke's edge, which would otherwise call a third of any stroke uncertain.
        BackgroundTask<Uncertainty> count = BackgroundTask.of(() -> {
            double scale = scan == null || scan.width() != probs.width() ? 1 : org.inkwell.model.Cleaner.workingScale(scan);
            return Uncertainty.of(org.inkwell.model.Cleaner.atWorkingResolution(probs, scale), t);
        });
        count.onSuccess(u -> {
            if (result.get() == r) { // still the result on screen
                uncertainty.set(u.text());
                uncertain.set(u.flagged());
            }
        });
        executor.execute(count);
    }

    private void updateMetrics(GrayImage r) {
        GrayImage original = this.original.get();
        if (original == null) {
            metrics.set("");
            return;
        }
        // Only a clean black-and-white image is its own truth; a scan or a photo has shadows, dust and grey ink that
        // a binarization would wrongly call signature.
        if (!org.inkwell.data.Binarizer.isBinary(original)) {
            metrics.set("No score: a scan or photo has no clean truth to compare with. Scores are shown for clean"
                    + " black-and-white images with noise added.");
            return;
        }
        if (noiseLevel.get() == 0) {
            metrics.set("Add noise with the slider to score the model against this image as the clean truth.");
            return;
        }
        GrayImage noisy = input.get();
        // DRD walks every wrong pixel's neighbourhood: off the UI thread for large scans.
        BackgroundTask<String> score = BackgroundTask.of(() -> {
            GrayImage clean = org.inkwell.data.Binarizer.binarize(original); // the truth: the image before noise
            Metrics.Scores model = Metrics.score(clean, r);
            Metrics.Scores base = Metrics.score(clean, noisy);
            return String.format(Locale.ROOT,
                    "Model: F %.2f%%  PSNR %.2f dB  DRD %.2f     (noisy input: F %.2f%%  PSNR %.2f dB  DRD %.2f)",
                    model.fmeasure(), model.psnr(), model.drd(), base.fmeasure(), base.psnr(), base.drd());
        });
        score.onSuccess(text -> {
            if (result.get() == r) { // still the result on screen
                metrics.set(text);
            }
        });
        executor.execute(score);
    }

    /** Writes the cleaned image with the Transparent and Crop options; never over the input file. */
    public void save(Path target) {
        save(target, transparent.get());
    }

    /** Writes the cleaned image; never over the input file, a special file or a file of another kind. */
    public void save(Path target, boolean transparentBackground) {
        GrayImage source = probabilities.get();
        if (source == null || result.get() == null) {
            status.set("Nothing to save yet.");
            return;
        }
        // The save dialog asked before replacing an existing file; the input itself is never replaced.
        OutputPolicy policy = OutputPolicy.replacing().protect(inputPath);
        if (policy.isInput(target)) {
            status.set("Refusing to overwrite the input image; choose another name.");
            return;
        }
        double t = threshold.get();
        int marks = minMark.get();
        InkExport.Style style = style(transparentBackground);
        // The preview on screen when it is what the controls say now (the same render); else that render made now,
        // from the model's probabilities, this threshold and this marks size, never from a pass still on its way.
        Export last = lastExport;
        boolean current = last != null && shownSource == source && shownMinMark == marks && shownEdits == edits
                && last.probs() == shownProbs && last.threshold() == t && last.style().equals(style);
        java.awt.image.BufferedImage shown = current ? last.image() : null;
        List<List<int[]>> erased = List.copyOf(erasures);
        SignatureFinder.Result only = isolating();
        double mm = widthMm.get();
        int d = dpi.get();
        double keepDpi = mm > 0 ? 0 : scanDpi;
        int ink = InkExport.parseColour(inkColour.get());
        BackgroundTask<Path> write = BackgroundTask.of(() -> {
            java.awt.image.BufferedImage image = shown;
            if (image == null) {
                GrayImage specks = Specks.remove(source, t, marks);
                image = InkExport.render(erase(only == null ? specks : only.isolate(specks, t), erased), t, style);
            }
            String name = target.getFileName().toString().toLowerCase(Locale.ROOT);
            // Vector outlines of exactly this image (crop, straightening, erasures included), at its physical size.
            // Without a width asked for, a scan's own resolution keeps the signature's size on paper.
            double size = mm > 0 ? mm : InkExport.widthMm(image.getWidth(), keepDpi);
            if (name.endsWith(".svg")) {
                return org.inkwell.data.VectorExport.writeSvg(image, ink, size, target, policy);
            }
            if (name.endsWith(".pdf")) {
                return org.inkwell.data.VectorExport.writePdf(image, ink, size, target, policy);
            }
            return ImageFiles.writePng(InkExport.atPhysicalSize(image, mm, d), target, policy, mm > 0 ? d : keepDpi);
        });
        write.onSuccess(v -> {
            userSettings.rememberFolder("export", target);
            status.set("Saved " + target + (mm > 0 ? String.format(Locale.ROOT, " (%.0f mm wide at %d dpi)", mm, d)
                    : keepDpi > 0 ? String.format(Locale.ROOT, " (at the scan's %.0f dpi, its size on paper)", keepDpi) : ""));
        });
        write.onFailure(e -> status.set("Cannot save: " + e.getMessage()));
        executor.execute(write);
    }

    private Path dragFolder;

    /**
     * The result as shown, written as a PNG (named as Save suggests) into a folder of this session's own under the
     * system's temporary folder, for dragging out of the window into another program or a folder; null when there
     * is nothing to drag. Deleted when Inkwell exits. Written in the background when the pointer reaches the drag
     * handle ({@link #prepareDragFile}); a drag that comes first (the gesture needs the file at once) writes it then.
     */
    public Path dragFile() throws IOException {
        java.awt.image.BufferedImage img = exported.get();
        if (img == null) {
            return null;
        }
        Path ready = preparedDragFile();
        return ready != null ? ready : writeDragFile(img, ++dragWrites, suggestedFileName());
    }

    /** The save dialog's first suggestion: the input's own name with "-cleaned". */
    public String suggestedFileName() {
        String name = inputPath == null ? "signature" : inputPath.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + "-cleaned.png";
    }

    /**
     * Cleans every image under {@code inDir} into {@code outDir} exactly as {@code inkwell denoise} does, with the
     * threshold, Transparent, Crop, ink and Straighten options shown in the pane. The result on screen stays as it
     * is (the batch runs beside it); {@link #batchStatusProperty()} counts the files, {@link #cancelBatch()} stops
     * after the file being cleaned, and {@link #batchFailures()} names every file that failed and why.
     */
    public void batchClean(Path inDir, Path outDir) {
        if (batchRunning.get()) {
            return;
        }
        batchRunning.set(true);
        batchCancel.set(false);
        batchFailures.clear();
        batchProgress.set(0);
        batchStatus.set("Looking for images in " + inDir + "...");
        BatchCleaner.Options options = new BatchCleaner.Options(threshold.get(), transparent.get(), cropToInk.get(), 8,
                InkExport.parseColour(inkColour.get()), straighten.get());
        record Outcome(int cleaned, int total, List<String> errors, boolean stopped) {
        }
        BackgroundTask<Outcome> job = new BackgroundTask<>() {
            @Override
            protected Outcome call() throws Exception {
                List<String> errors = new ArrayList<>();
                List<Path> images = BatchCleaner.collect(List.of(inDir), errors, outDir);
                BatchCleaner.Summary s = BatchCleaner.run(images, outDir, OutputPolicy.strict(), options,
                        scan -> models.reconstruct(scan).get(),
                        (done, total, in, out, error) -> {
                            updateProgress(done, total);
                            String line = String.format(Locale.ROOT, "Cleaned %d of %d: %s%s", done, total, in.getFileName(),
                                    error == null ? "" : " (failed)");
                            executor.runOnUi(() -> batchStatus.set(line));
                        }, () -> isCancelled() || batchCancel.get());
                errors.addAll(s.errors());
                return new Outcome(s.cleaned(), images.size(), errors, batchCancel.get());
            }
        };
        job.onSuccess(o -> {
            batchRunning.set(false);
            batchProgress.set(-1);
            batchFailures.setAll(o.errors());
            String msg = o.cleaned() + " of " + o.total() + " cleaned into " + outDir
                    + (o.stopped() ? " (stopped)" : "")
                    + (o.errors().isEmpty() ? "" : "; " + o.errors().size() + " failed (Failures... lists them)");
            batchStatus.set(msg);
            status.set(msg);
        });
        job.onFailure(e -> {
            batchRunning.set(false);
            batchProgress.set(-1);
            batchStatus.set("Batch cleaning stopped: " + e.getMessage());
            status.set(batchStatus.get());
        });
        executor.execute(job, batchProgress::set);
    }

    /** A message for the user that only the view can know (what the clipboard held), shown as the pane's status. */
    public void tell(String message) {
        status.set(message);
    }

    /** Stops Clean a folder after the file it is cleaning; what was written stays. */
    public void cancelBatch() {
        if (batchRunning.get()) {
            batchCancel.set(true);
            batchStatus.set("Stopping after this file...");
        }
    }

    /** Whether Clean a folder is running. */
    public javafx.beans.property.ReadOnlyBooleanProperty batchRunningProperty() {
        return batchRunning.getReadOnlyProperty();
    }

    /** Clean a folder's count ("Cleaned 3 of 12: scan.png") and its final summary. */
    public javafx.beans.property.ReadOnlyStringProperty batchStatusProperty() {
        return batchStatus.getReadOnlyProperty();
    }

    /** Every file the last Clean a folder could not clean, with the reason. */
    public ObservableList<String> batchFailures() {
        return batchFailuresView;
    }

    public Path lastFolder(String key) {
        return userSettings.folder(key);
    }

    /** Where Save starts: the folder last saved to, else the input's own folder. */
    public Path saveFolder() {
        Path remembered = userSettings.folder("export");
        if (remembered != null || inputPath == null) {
            return remembered;
        }
        Path parent = inputPath.toAbsolutePath().getParent();
        return parent != null && Files.isDirectory(parent) ? parent : null;
    }

    // ---- properties

    public javafx.beans.property.ReadOnlyObjectProperty<GrayImage> originalProperty() {
        return original.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyObjectProperty<GrayImage> inputProperty() {
        return input.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyObjectProperty<GrayImage> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public DoubleProperty noiseLevelProperty() {
        return noiseLevel;
    }

    public DoubleProperty thresholdProperty() {
        return threshold;
    }

    /** Share of a large scan's tiles cleaned so far, -1 when none is being cleaned in tiles. */
    public javafx.beans.property.ReadOnlyDoubleProperty tileProgressProperty() {
        return models.tileProgressProperty();
    }

    /** What the pane is computing while {@link #workingProperty()} is true. */
    public javafx.beans.property.ReadOnlyStringProperty busyTextProperty() {
        return busyText.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyObjectProperty<java.awt.image.BufferedImage> scanImageProperty() {
        return scanImage.getReadOnlyProperty();
    }

    /** pepper, salt-and-pepper or scan: what the noise slider adds. */
    public StringProperty noiseTypeProperty() {
        return noiseType;
    }

    /** black, blue or #RRGGBB: the ink of saved results. */
    public StringProperty inkColourProperty() {
        return inkColour;
    }

    public BooleanProperty transparentProperty() {
        return transparent;
    }

    /** Crop to the signature (the finder's box, which the user may move). */
    public BooleanProperty cropToInkProperty() {
        return cropToInk;
    }

    public javafx.beans.property.ReadOnlyObjectProperty<java.awt.Rectangle> cropRegionProperty() {
        return cropRegion;
    }

    public javafx.beans.property.ReadOnlyDoubleProperty tiltProperty() {
        return tilt.getReadOnlyProperty();
    }

    public BooleanProperty straightenProperty() {
        return straighten;
    }

    public DoubleProperty widthMmProperty() {
        return widthMm;
    }

    public javafx.beans.property.IntegerProperty dpiProperty() {
        return dpi;
    }

    public javafx.beans.property.ReadOnlyStringProperty findingProperty() {
        return finding;
    }

    public javafx.beans.property.ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyStringProperty inputNameProperty() {
        return inputName.getReadOnlyProperty();
    }

    /** "Remove marks smaller than N px": 0 keeps every mark. */
    public javafx.beans.property.IntegerProperty minMarkProperty() {
        return minMark;
    }

    /** The result as Save and Copy give it (null while none is ready). */
    public javafx.beans.property.ReadOnlyObjectProperty<java.awt.image.BufferedImage> exportedProperty() {
        return exported.getReadOnlyProperty();
    }

    /** "Uncertain: 10% of the ink (1.2% of the image) ...": how much of the result the threshold decides. */
    public javafx.beans.property.ReadOnlyStringProperty uncertaintyProperty() {
        return uncertainty.getReadOnlyProperty();
    }

    /** True when the uncertain pixels are a large part of the ink: the view shows the line as a warning. */
    public javafx.beans.property.ReadOnlyBooleanProperty uncertainProperty() {
        return uncertain.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyStringProperty metricsProperty() {
        return metrics.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyDoubleProperty batchProgressProperty() {
        return batchProgress.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyBooleanProperty workingProperty() {
        return working.getReadOnlyProperty();
    }

    public ObservableList<Path> files() {
        return files;
    }
}
