package org.inkwell.ui.service;

import org.inkwell.ui.MainWindow;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.stage.Window;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Every alert and dialog of the workbench, styled like the window (dark theme included), so views never build
 * alerts inline.
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

    /** A yes/no question; true when the user answers yes. */
    public boolean confirm(String header, String text) {
        Alert a = styled(new Alert(Alert.AlertType.CONFIRMATION, text, ButtonType.YES, ButtonType.NO));
        a.setHeaderText(header);
        Optional<ButtonType> answer = a.showAndWait();
        return answer.isPresent() && answer.get() == ButtonType.YES;
    }
}
