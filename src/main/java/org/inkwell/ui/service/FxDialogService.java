package org.inkwell.ui.service;

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
 * The workbench's {@link DialogService}: JavaFX alerts, dialogs and file choosers, styled like the window (its
 * stylesheet, dark theme included) and owned by it, so views never build them inline.
 */
public final class FxDialogService implements DialogService {
    private final Supplier<Window> owner;
    private final BooleanSupplier dark;
    private final String stylesheet;

    /** @param stylesheet the window's stylesheet (a resource path), which every dialog gets too */
    public FxDialogService(Supplier<Window> owner, BooleanSupplier dark, String stylesheet) {
        this.owner = owner;
        this.dark = dark;
        this.stylesheet = stylesheet;
    }

    /** Applies the window's stylesheet and theme to a dialog and makes the window its owner. */
    public <D extends Dialog<?>> D styled(D d) {
        Window w = owner.get();
        if (w != null && d.getOwner() == null) {
            d.initOwner(w);
        }
        var pane = d.getDialogPane();
        String css = FxDialogService.class.getResource(stylesheet).toExternalForm();
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

    @Override
    public void showError(String header, String text) {
        Alert a = styled(new Alert(Alert.AlertType.ERROR, text));
        a.setHeaderText(header);
        a.show();
    }

    @Override
    public void showInfo(String header, String text) {
        Alert a = styled(new Alert(Alert.AlertType.INFORMATION, text));
        a.setHeaderText(header);
        a.show();
    }

    /** A long read-only text (the user guide) in a resizable window of its own, monospaced and wrapped. */
    @Override
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
    @Override
    public boolean confirm(String header, String text) {
        Alert a = styled(new Alert(Alert.AlertType.CONFIRMATION, text, ButtonType.YES, ButtonType.NO));
        a.setHeaderText(header);
        Optional<ButtonType> answer = a.showAndWait();
        return answer.isPresent() && answer.get() == ButtonType.YES;
    }

    @Override
    public Optional<Path> openFile(String title, FileKind kind, Path startIn) {
        return Optional.ofNullable(chooser(title, kind, startIn).showOpenDialog(owner.get())).map(File::toPath);
    }

    @Override
    public List<Path> openFiles(String title, FileKind kind, Path startIn) {
        List<File> files = chooser(title, kind, startIn).showOpenMultipleDialog(owner.get());
        return files == null ? List.of() : files.stream().map(File::toPath).toList();
    }

    /** A file to write, suggested as {@code name}; the kind's extension is added when the user leaves it out. */
    @Override
    public Optional<Path> saveFile(String title, FileKind kind, Path startIn, String name) {
        FileChooser c = chooser(title, kind, startIn);
        c.setInitialFileName(name);
        File f = c.showSaveDialog(owner.get());
        if (f == null) {
            return Optional.empty();
        }
        Path p = f.toPath();
        String lower = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        for (String pattern : kind.patterns()) {
            if (lower.endsWith(pattern.substring(1))) {
                return Optional.of(p); // one of the kind's extensions, as typed
            }
        }
        return Optional.of(p.resolveSibling(p.getFileName() + kind.patterns()[0].substring(1)));
    }

    @Override
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
        c.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind.description(), kind.patterns()));
        if (startIn != null && Files.isDirectory(startIn)) {
            c.setInitialDirectory(startIn.toFile());
        }
        return c;
    }
}
