package org.inkwell.ui.compare;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.inkwell.data.OutputPolicy;
import org.inkwell.data.SignatureLibrary;
import org.inkwell.ui.task.BackgroundTask;
import org.inkwell.ui.task.TaskExecutor;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The signature library under Compare: keep the result on screen under a name, see the kept ones, export a copy or
 * delete one. The files live in the app's data folder ({@link SignatureLibrary}); every read and write runs on the
 * task executor.
 */
public final class LibraryViewModel {
    private final TaskExecutor executor;
    private final SignatureLibrary library;
    private final Supplier<BufferedImage> current;
    /** A kept signature with its picture, read off the UI thread. */
    public record Kept(SignatureLibrary.Entry entry, BufferedImage image) {
        public String name() {
            return entry.name();
        }
    }

    private final ObservableList<Kept> entries = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");

    /** {@code current}: the result as Compare would save it (null when there is none). */
    public LibraryViewModel(TaskExecutor executor, SignatureLibrary library, Supplier<BufferedImage> current) {
        this.executor = executor;
        this.library = library;
        this.current = current;
    }

    /** Reads the library folder again. */
    public void refresh() {
        BackgroundTask<List<Kept>> list = BackgroundTask.of(() -> {
            List<Kept> kept = new java.util.ArrayList<>();
            for (SignatureLibrary.Entry e : library.list()) {
                try {
                    kept.add(new Kept(e, library.load(e)));
                } catch (java.io.IOException unreadable) {
                    // A damaged file is not shown; the folder keeps it.
                }
            }
            return kept;
        });
        list.onSuccess(entries::setAll);
        list.onFailure(e -> status.set("Cannot read the library: " + e.getMessage()));
        executor.execute(list);
    }

    /** Keeps the current result as {@code name}; {@code replace} replaces a signature of that name. */
    public void keep(String name, boolean replace) {
        BufferedImage img = current.get();
        if (img == null) {
            status.set("Nothing to keep yet: clean a scan first.");
            return;
        }
        String n;
        try {
            n = SignatureLibrary.checkName(name);
        } catch (IllegalArgumentException e) {
            status.set(e.getMessage());
            return;
        }
        BackgroundTask<SignatureLibrary.Entry> save = BackgroundTask.of(() -> library.save(n, img, replace));
        save.onSuccess(e -> {
            status.set("Kept '" + e.name() + "' in the library.");
            refresh();
        });
        save.onFailure(e -> status.set("Cannot keep it: " + e.getMessage()));
        executor.execute(save);
    }

    /** True when a signature of this name is kept (the view asks before replacing it). */
    public boolean has(String name) {
        return entries.stream().anyMatch(e -> e.name().equals(name.trim()));
    }

    /** Writes a copy of a kept signature to {@code target} (never over an existing file of another kind). */
    public void export(Kept kept, Path target) {
        SignatureLibrary.Entry entry = kept.entry();
        BackgroundTask<Path> copy = BackgroundTask.of(() -> {
            byte[] bytes = Files.readAllBytes(entry.file());
            return OutputPolicy.replacing().write(target, OutputPolicy.Kind.PNG, out -> out.write(bytes));
        });
        copy.onSuccess(p -> status.set("Exported '" + entry.name() + "' to " + p));
        copy.onFailure(e -> status.set("Cannot export: " + e.getMessage()));
        executor.execute(copy);
    }

    public void delete(Kept kept) {
        SignatureLibrary.Entry entry = kept.entry();
        BackgroundTask<Void> del = BackgroundTask.of(() -> {
            library.delete(entry);
            return null;
        });
        del.onSuccess(v -> {
            status.set("Deleted '" + entry.name() + "'.");
            refresh();
        });
        del.onFailure(e -> status.set("Cannot delete: " + e.getMessage()));
        executor.execute(del);
    }

    public ObservableList<Kept> entries() {
        return entries;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }
}
