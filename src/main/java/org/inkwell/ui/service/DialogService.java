package org.inkwell.ui.service;

import org.inkwell.ui.MainWindow;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Every alert, dialog and file chooser of the workbench, styled like the window (dark theme included) and
 * starting in the folder the user last used, so views never build them inline.
 */
public final class DialogService {
    private final Supplier<Window> owner;
    private final BooleanSupplier dark;

    public DialogService(Supplier<Window> owner, BooleanSupplier dark) {
        this.owner = owner;
        this.dark = dark;
    }

    /** Applies the window's stylesheet and theme to a dialog and makes the window its owner. */
    public <D extends Dialog<?>> D styled(D d) {
        Window w = owner.get();
        if (w != null && d.getOwner() == null) {
            d.initOwner(w);
        }
        var pane = d.getDialogPane();
        String css = MainWindow.class.getResource(MainWindow.CSS).toExternalForm();
        if (!pane.getStylesheets().contains(css)) {
            pane.getStylesheets().add(css);
        }
        if (!pane.getStyleClass().contains("inkwell")) {
            pane.getStyleClass().add("inkwell");
        }
        pane.getStyleClass().remove("dark");
        if (dark.getAsBoolean()) {
            pane.getStyleClass().add("dark");
        }
        return d;
    }

    public void showError(String header, String text) {
        Alert a = styled(new Alert(Alert.AlertType.ERROR, text));
        a.setHeaderText(header);
        a.show();
    }

    public void showInfo(String header, String text) {
        Alert a = styled(new Alert(Alert.AlertType.INFORMATION, text));
        a.setHeaderText(header);
        a.show();
    }

    /** A long read-only text (the user guide) in a resizable window of its own, monospaced and wrapped. */
    public void showText(String title, String text) {
        javafx.scene.control.TextArea area = new javafx.scene.control.TextArea(text);
        area.setEditable(false);
        area.setWrapText(true);
        area.getStyleClass().add("mono");
        area.setPrefSize(820, 600);
        Dialog<Void> d = styled(new Dialog<>());
        d.setTitle(title);
        d.setResizable(true);
        d.getDialogPane().setContent(area);
        d.getDialogPane().getButtonTypes().add(javafx.scene.control.ButtonType.CLOSE);
        d.show();
    }

    /** A yes/no question; true when the user answers yes. */
    public boolean confirm(String header, String text) {
        Alert a = styled(new Alert(Alert.AlertType.CONFIRMATION, text, ButtonType.YES, ButtonType.NO));
        a.setHeaderText(header);
        Optional<ButtonType> answer = a.showAndWait();
        return answer.isPresent() && answer.get() == ButtonType.YES;
    }

    /** What a chooser offers, with its file name patterns. */
    public enum FileKind {
        IMAGES("Images", "*.png", "*.jpg", "*.jpeg", "*.bmp", "*.gif", "*.tif", "*.tiff", "*.webp", "*.pdf"),
        PNG("PNG image", "*.png"),
        MODEL("Model zip", "*.zip"),
        ONNX("ONNX model", "*.onnx"),
        KERAS("Keras HDF5", "*.hdf5", "*.h5"),
        CSV("CSV table", "*.csv");

        private final String description;
        private final String[] patterns;

        FileKind(String description, String... patterns) {
            this.description = description;
            this.patterns = patterns;
        }
    }

    public Optional<Path> openFile(String title, FileKind kind, Path startIn) {
        return Optional.ofNullable(chooser(title, kind, startIn).showOpenDialog(owner.get())).map(File::toPath);
    }

    public List<Path> openFiles(String title, FileKind kind, Path startIn) {
        List<File> files = chooser(title, kind, startIn).showOpenMultipleDialog(owner.get());
        return files == null ? List.of() : files.stream().map(File::toPath).toList();
    }

    /** A file to write, suggested as {@code name}; the kind's extension is added when the user leaves it out. */
    public Optional<Path> saveFile(String title, FileKind kind, Path startIn, String name) {
        FileChooser c = chooser(title, kind, startIn);
        c.setInitialFileName(name);
        File f = c.showSaveDialog(owner.get());
        if (f == null) {
            return Optional.empty();
        }
        String extension = kind.patterns[0].substring(1);
        Path p = f.toPath();
        return Optional.of(p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(extension) ? p
                : p.resolveSibling(p.getFileName() + extension));
    }

    public Optional<Path> chooseFolder(String title, Path startIn) {
        DirectoryChooser c = new DirectoryChooser();
        c.setTitle(title);
        if (startIn != null && Files.isDirectory(startIn)) {
            c.setInitialDirectory(startIn.toFile());
        }
        return Optional.ofNullable(c.showDialog(owner.get())).map(File::toPath);
    }

    private static FileChooser chooser(String title, FileKind kind, Path startIn) {
        FileChooser c = new FileChooser();
        c.setTitle(title);
        c.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind.description, kind.patterns));
        if (startIn != null && Files.isDirectory(startIn)) {
            c.setInitialDirectory(startIn.toFile());
        }
        return c;
    }
}
