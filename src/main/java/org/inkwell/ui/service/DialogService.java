package org.inkwell.ui.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the workbench asks the user: messages, yes/no questions and files to open or save. View models receive it
 * by constructor, so their confirmations are tested with a scripted answer and no toolkit; {@link FxDialogService}
 * is the window's.
 */
public interface DialogService {
    void showError(String header, String text);

    void showInfo(String header, String text);

    /** A long read-only text (the user guide) in a window of its own. */
    void showText(String title, String text);

    /** A yes/no question; true when the user answers yes. */
    boolean confirm(String header, String text);

    Optional<Path> openFile(String title, FileKind kind, Path startIn);

    List<Path> openFiles(String title, FileKind kind, Path startIn);

    /** A file to write, suggested as {@code name}; the kind's extension is added when the user leaves it out. */
    Optional<Path> saveFile(String title, FileKind kind, Path startIn, String name);

    Optional<Path> chooseFolder(String title, Path startIn);

    /** What a chooser offers, with its file name patterns. */
    public enum FileKind {
        IMAGES("Images", "*.png", "*.jpg", "*.jpeg", "*.bmp", "*.gif", "*.tif", "*.tiff", "*.webp", "*.pdf"),
        PNG("PNG image", "*.png"),
        /** A cleaned signature: PNG, or vector outlines as SVG or PDF. */
        EXPORT("PNG image, SVG or PDF (vector)", "*.png", "*.svg", "*.pdf"),
        /** A document to sign. */
        PDF("PDF document", "*.pdf"),
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

        public String description() {
            return description;
        }

        public String[] patterns() {
            return patterns.clone();
        }
    }

}
