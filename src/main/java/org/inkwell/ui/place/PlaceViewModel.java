package org.inkwell.ui.place;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.inkwell.data.OutputPolicy;
import org.inkwell.data.PdfPlacement;
import org.inkwell.data.SignatureLibrary;
import org.inkwell.ui.service.UserSettings;
import org.inkwell.ui.task.BackgroundTask;
import org.inkwell.ui.task.TaskExecutor;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The Sign pane: open a PDF, pick a page, put a signature (Compare's result or one kept in the library) on it, move
 * and size it, and save a new PDF. The original document is only read. The place is kept in millimetres from the
 * shown page's top-left corner, always inside the page; what is saved is exactly what the preview shows (the same
 * {@link PdfPlacement#inkOnly} image at the same place). Pages are rendered and PDFs written on the task executor.
 */
public final class PlaceViewModel {
    /** The resolution pages are shown at: an A4 page is 827 x 1169 px, sharp enough to place a signature on. */
    static final int PREVIEW_DPI = 100;
    /** The narrowest signature the pane places. */
    static final double MIN_WIDTH_MM = 5;
    static final double DEFAULT_WIDTH_MM = 50;
    static final String CURRENT = "Current result (Compare)";

    private final TaskExecutor executor;
    private final UserSettings settings;
    private final SignatureLibrary library;
    private final Supplier<BufferedImage> current;

    /** A signature the pane can place: Compare's current result ({@code entry} null) or a kept one. */
    public record Choice(String name, SignatureLibrary.Entry entry) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final ReadOnlyObjectWrapper<Path> document = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<PdfPlacement.PageImage> pageImage = new ReadOnlyObjectWrapper<>();
    private final IntegerProperty page = new SimpleIntegerProperty(1);
    private final ObservableList<Choice> choices = FXCollections.observableArrayList();
    private final ObjectProperty<Choice> choice = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<BufferedImage> signature = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyDoubleWrapper xMm = new ReadOnlyDoubleWrapper();
    private final ReadOnlyDoubleWrapper yMm = new ReadOnlyDoubleWrapper();
    private final ReadOnlyDoubleWrapper widthMm = new ReadOnlyDoubleWrapper();
    private final ReadOnlyDoubleWrapper heightMm = new ReadOnlyDoubleWrapper();
    private final ReadOnlyBooleanWrapper placed = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(
            "Open a PDF, then drag the signature where it belongs. The result is a visible signature, not a digital one.");
    private final BooleanBinding canSave;
    /** Increases with every page request, so an older render never replaces a newer one. */
    private long renderSerial;

    /** {@code current}: Compare's result as it would be saved (null when there is none). */
    public PlaceViewModel(TaskExecutor executor, UserSettings settings, SignatureLibrary library, Supplier<BufferedImage> current) {
        this.executor = executor;
        this.settings = settings;
        this.library = library;
        this.current = current;
        canSave = Bindings.createBooleanBinding(() -> pageImage.get() != null && signature.get() != null && !busy.get(),
                pageImage, signature, busy);
        page.addListener((o, a, b) -> {
            PdfPlacement.PageImage shown = pageImage.get();
            if (document.get() != null && shown != null && b.intValue() != shown.page()) {
                render(document.get(), b.intValue());
            }
        });
        choice.addListener((o, a, b) -> loadSignature(b));
    }

    /** Opens {@code pdf} at its first page (or at {@code startPage} when it has that many). */
    public void open(Path pdf) {
        open(pdf, 1);
    }

    private void open(Path pdf, int startPage) {
        render(pdf, startPage);
    }

    /** Opens the document the user last signed when it is still there (as Dataset reopens its folder). */
    public void reopenLast() {
        String last = settings.text("place.document", null);
        if (last != null && document.get() == null) {
            Path p = Path.of(last);
            if (Files.isRegularFile(p)) {
                open(p);
            }
        }
    }

    private void render(Path pdf, int number) {
        long serial = ++renderSerial;
        busy.set(true);
        BackgroundTask<PdfPlacement.PageImage> task = BackgroundTask.of(() -> {
            int pages = PdfPlacement.pages(pdf);
            return PdfPlacement.render(pdf, Math.max(1, Math.min(number, pages)), PREVIEW_DPI);
        });
        task.onSuccess(shown -> {
            if (serial != renderSerial) {
                return;
            }
            busy.set(false);
            boolean newDocument = !pdf.equals(document.get());
            document.set(pdf);
            pageImage.set(shown);
            page.set(shown.page());
            if (newDocument) {
                settings.rememberText("place.document", pdf.toAbsolutePath().toString());
                settings.rememberFolder("pdf", pdf);
                status.set(String.format(Locale.ROOT, "%s: %d page(s), page %d is %.0f x %.0f mm. Drag the signature; "
                                + "drag its corner to size it.", pdf.getFileName(), shown.pages(), shown.page(),
                        shown.widthMm(), shown.heightMm()));
            }
            if (signature.get() != null) {
                if (!placed.get()) {
                    placeAtDefault();
                } else {
                    setPlace(xMm.get(), yMm.get(), widthMm.get()); // a smaller page keeps it inside
                }
            }
        });
        task.onFailure(e -> {
            if (serial != renderSerial) {
                return;
            }
            busy.set(false);
            status.set("Cannot open the document: " + e.getMessage());
        });
        executor.execute(task);
    }

    /** Lists Compare's result (when there is one) and the kept signatures; keeps the chosen one when it is still there. */
    public void refreshSignatures() {
        BackgroundTask<List<Choice>> list = BackgroundTask.of(() -> {
            List<Choice> all = new ArrayList<>();
            for (SignatureLibrary.Entry e : library.list()) {
                all.add(new Choice(e.name(), e));
            }
            return all;
        });
        list.onSuccess(kept -> {
            List<Choice> all = new ArrayList<>();
            if (current.get() != null) {
                all.add(new Choice(CURRENT, null));
            }
            all.addAll(kept);
            Choice was = choice.get();
            choices.setAll(all);
            if (was != null && all.contains(was)) {
                if (was.entry() == null) {
                    loadSignature(was); // Compare's result may have changed since
                }
            } else {
                choice.set(all.isEmpty() ? null : all.get(0));
            }
            if (all.isEmpty()) {
                status.set("No signature to place yet: clean one in Compare, or keep one in its library.");
            }
        });
        list.onFailure(e -> status.set("Cannot read the signature library: " + e.getMessage()));
        executor.execute(list);
    }

    private void loadSignature(Choice c) {
        if (c == null) {
            signature.set(null);
            return;
        }
        // Compare's result (read now, on the UI thread) or a kept one; the pixel work runs off the UI thread either way.
        BufferedImage result = c.entry() == null ? current.get() : null;
        if (c.entry() == null && result == null) {
            show(null);
            return;
        }
        BackgroundTask<BufferedImage> load = BackgroundTask.of(() -> PdfPlacement.tight(PdfPlacement.inkOnly(
                result != null ? result : library.load(c.entry()))));
        load.onSuccess(img -> {
            if (c.equals(choice.get())) {
                show(img);
            }
        });
        load.onFailure(e -> status.set("Cannot read '" + c.name() + "': " + e.getMessage()));
        executor.execute(load);
    }

    private void show(BufferedImage img) {
        signature.set(img);
        if (img == null || pageImage.get() == null) {
            return;
        }
        if (placed.get()) {
            setPlace(xMm.get(), yMm.get(), widthMm.get()); // the new signature's height may not fit
        } else {
            placeAtDefault();
        }
    }

    /** Where a signature goes first: its remembered width, at the right, three quarters down the page. */
    private void placeAtDefault() {
        PdfPlacement.PageImage shown = pageImage.get();
        double w = parse(settings.text("place.widthMm", null), DEFAULT_WIDTH_MM);
        w = Math.min(w, shown.widthMm() * 0.6);
        setPlace(shown.widthMm() - w - 20, shown.heightMm() * 0.72, w);
        placed.set(true);
    }

    private static double parse(String s, double fallback) {
        try {
            return s == null ? fallback : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Moves the signature's top-left corner to {@code (x, y)} mm, kept inside the page. */
    public void moveTo(double x, double y) {
        if (signature.get() != null && pageImage.get() != null) {
            setPlace(x, y, widthMm.get());
        }
    }

    /** Sizes the signature to {@code w} mm wide (its height follows), its top-left corner staying where it is. */
    public void resize(double w) {
        if (signature.get() != null && pageImage.get() != null) {
            setPlace(xMm.get(), yMm.get(), w);
            settings.rememberText("place.widthMm", String.format(Locale.ROOT, "%.1f", widthMm.get()));
        }
    }

    /** The one place every change goes through: the width within the page, the box inside the page. */
    private void setPlace(double x, double y, double w) {
        PdfPlacement.PageImage shown = pageImage.get();
        BufferedImage img = signature.get();
        double aspect = (double) img.getHeight() / img.getWidth();
        double maxW = Math.min(shown.widthMm(), shown.heightMm() / aspect);
        double width = Double.isFinite(w) ? Math.max(Math.min(MIN_WIDTH_MM, maxW), Math.min(w, maxW)) : DEFAULT_WIDTH_MM;
        double height = width * aspect;
        widthMm.set(width);
        heightMm.set(height);
        xMm.set(clamp(x, shown.widthMm() - width));
        yMm.set(clamp(y, shown.heightMm() - height));
    }

    private static double clamp(double v, double max) {
        return Double.isFinite(v) ? Math.max(0, Math.min(v, Math.max(0, max))) : 0;
    }

    /** A name for the new file: the document's, with "-signed". */
    public String suggestedName() {
        Path doc = document.get();
        if (doc == null) {
            return "signed.pdf";
        }
        String n = doc.getFileName().toString();
        return (n.toLowerCase(Locale.ROOT).endsWith(".pdf") ? n.substring(0, n.length() - 4) : n) + "-signed.pdf";
    }

    /**
     * Writes the signed copy to {@code out} (the user confirmed it in the save dialog, so an existing PDF there is
     * replaced; the document itself, an image or another kind of file never is).
     */
    public void save(Path out) {
        if (!canSave.get()) {
            status.set("Open a PDF and choose a signature first.");
            return;
        }
        Path in = document.get();
        BufferedImage img = signature.get();
        PdfPlacement.Place place = new PdfPlacement.Place(page.get(), xMm.get(), yMm.get(), widthMm.get());
        busy.set(true);
        BackgroundTask<Path> write = BackgroundTask.of(() -> PdfPlacement.place(in, img, place, out, OutputPolicy.replacing()));
        write.onSuccess(p -> {
            busy.set(false);
            settings.rememberFolder("signed", p);
            status.set(String.format(Locale.ROOT, "Saved %s: the signature on page %d at %.0f, %.0f mm, %.0f mm wide. "
                    + "A visible signature, not a digital one.", p.getFileName(), place.page(), place.xMm(), place.yMm(), place.widthMm()));
        });
        write.onFailure(e -> {
            busy.set(false);
            status.set("Cannot save the signed PDF: " + e.getMessage());
        });
        executor.execute(write);
    }

    public Path startFolder() {
        return settings.folder("pdf");
    }

    public Path saveFolder() {
        Path signed = settings.folder("signed");
        return signed != null ? signed : document.get() == null ? null : document.get().toAbsolutePath().getParent();
    }

    public ReadOnlyObjectProperty<Path> documentProperty() {
        return document.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<PdfPlacement.PageImage> pageImageProperty() {
        return pageImage.getReadOnlyProperty();
    }

    /** The page shown, from 1; setting it renders that page. */
    public IntegerProperty pageProperty() {
        return page;
    }

    public ObservableList<Choice> choices() {
        return choices;
    }

    public ObjectProperty<Choice> choiceProperty() {
        return choice;
    }

    /** The signature as it will be drawn: its paper taken out, trimmed to its ink. */
    public ReadOnlyObjectProperty<BufferedImage> signatureProperty() {
        return signature.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty xMmProperty() {
        return xMm.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty yMmProperty() {
        return yMm.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty widthMmProperty() {
        return widthMm.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty heightMmProperty() {
        return heightMm.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public BooleanBinding canSaveProperty() {
        return canSave;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }
}
