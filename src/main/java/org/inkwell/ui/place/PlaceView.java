package org.inkwell.ui.place;

import javafx.beans.InvalidationListener;
import javafx.embed.swing.SwingFXUtils;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Rectangle;
import org.inkwell.data.PdfPlacement;
import org.inkwell.ui.service.DialogService;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The Sign pane (PlaceView.fxml): the page fitted to the pane, the signature over it; drag the signature to move it,
 * drag its corner (or type a width) to size it, arrow keys nudge it by a millimetre (Shift: ten). Every change goes
 * through the view model, which keeps the place in millimetres and inside the page.
 */
public final class PlaceView {
    @FXML
    private BorderPane root;
    @FXML
    private Spinner<Integer> pageSpinner;
    @FXML
    private Label pagesLabel;
    @FXML
    private ComboBox<PlaceViewModel.Choice> signatureBox;
    @FXML
    private Spinner<Double> widthSpinner;
    @FXML
    private Label placeLabel;
    @FXML
    private Button saveButton;
    @FXML
    private ScrollPane scroll;
    @FXML
    private StackPane stage;
    @FXML
    private Pane pageLayer;
    @FXML
    private ImageView pageView;
    @FXML
    private Pane signatureLayer;
    @FXML
    private ImageView signatureView;
    @FXML
    private Rectangle resizeHandle;
    @FXML
    private Label emptyLabel;
    @FXML
    private Label statusLabel;

    private PlaceViewModel vm;
    private DialogService dialogs;
    /** Screen pixels per millimetre of the shown page. */
    private double pxPerMm = 1;
    private double grabX;
    private double grabY;
    private boolean updatingWidth;

    public void bind(PlaceViewModel viewModel, DialogService dialogService) {
        this.vm = viewModel;
        this.dialogs = dialogService;
        statusLabel.textProperty().bind(vm.statusProperty());
        SpinnerValueFactory.IntegerSpinnerValueFactory pages = new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 1, 1);
        pageSpinner.setValueFactory(pages);
        pageSpinner.disableProperty().bind(vm.pageImageProperty().isNull());
        vm.pageImageProperty().addListener((o, a, shown) -> {
            if (shown != null) {
                pages.setMax(shown.pages());
                pages.setValue(shown.page());
                pagesLabel.setText("of " + shown.pages());
                pageView.setImage(SwingFXUtils.toFXImage(shown.image(), null));
            }
            layout();
        });
        pages.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.pageProperty().set(b);
            }
        });
        signatureBox.setItems(vm.choices());
        signatureBox.valueProperty().bindBidirectional(vm.choiceProperty());
        SpinnerValueFactory.DoubleSpinnerValueFactory width = new SpinnerValueFactory.DoubleSpinnerValueFactory(
                PlaceViewModel.MIN_WIDTH_MM, 2000, PlaceViewModel.DEFAULT_WIDTH_MM, 1);
        width.setConverter(new javafx.util.converter.DoubleStringConverter() {
            @Override
            public String toString(Double v) {
                return v == null ? "" : String.format(Locale.ROOT, "%.0f", v);
            }

            @Override
            public Double fromString(String s) {
                try {
                    return Double.valueOf(s.trim().replace(',', '.'));
                } catch (NumberFormatException e) {
                    return width.getValue(); // a typo keeps the width
                }
            }
        });
        widthSpinner.setValueFactory(width);
        widthSpinner.disableProperty().bind(vm.signatureProperty().isNull().or(vm.pageImageProperty().isNull()));
        width.valueProperty().addListener((o, a, b) -> {
            if (b != null && !updatingWidth) {
                vm.resize(b);
            }
        });
        widthSpinner.focusedProperty().addListener((o, was, is) -> {
            if (!is) {
                widthSpinner.increment(0); // commits what was typed
            }
        });
        vm.signatureProperty().addListener((o, a, img) -> {
            signatureView.setImage(img == null ? null : SwingFXUtils.toFXImage(img, null));
            layout();
        });
        InvalidationListener place = o -> {
            updatingWidth = true;
            width.setValue((double) Math.round(vm.widthMmProperty().get()));
            updatingWidth = false;
            placeLabel.setText(vm.signatureProperty().get() == null || vm.pageImageProperty().get() == null ? ""
                    : String.format(Locale.ROOT, "at %.0f, %.0f mm from the top left", vm.xMmProperty().get(), vm.yMmProperty().get()));
            layout();
        };
        vm.xMmProperty().addListener(place);
        vm.yMmProperty().addListener(place);
        vm.widthMmProperty().addListener(place);
        saveButton.disableProperty().bind(vm.canSaveProperty().not());
        emptyLabel.visibleProperty().bind(vm.pageImageProperty().isNull());
        pageLayer.visibleProperty().bind(vm.pageImageProperty().isNotNull());
        scroll.viewportBoundsProperty().addListener((o, a, b) -> layout());

        signatureLayer.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            grabX = e.getX();
            grabY = e.getY();
            signatureLayer.requestFocus();
            e.consume();
        });
        signatureLayer.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            if (e.getTarget() == resizeHandle) {
                return;
            }
            javafx.geometry.Point2D p = pageLayer.sceneToLocal(e.getSceneX(), e.getSceneY());
            vm.moveTo((p.getX() - grabX) / pxPerMm, (p.getY() - grabY) / pxPerMm);
            e.consume();
        });
        resizeHandle.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            javafx.geometry.Point2D p = pageLayer.sceneToLocal(e.getSceneX(), e.getSceneY());
            vm.resize(p.getX() / pxPerMm - vm.xMmProperty().get());
            e.consume();
        });
        signatureLayer.setFocusTraversable(true);
        signatureLayer.setOnKeyPressed(e -> {
            double step = e.isShiftDown() ? 10 : 1;
            double x = vm.xMmProperty().get();
            double y = vm.yMmProperty().get();
            KeyCode k = e.getCode();
            if (k == KeyCode.LEFT || k == KeyCode.RIGHT || k == KeyCode.UP || k == KeyCode.DOWN) {
                vm.moveTo(x + (k == KeyCode.LEFT ? -step : k == KeyCode.RIGHT ? step : 0),
                        y + (k == KeyCode.UP ? -step : k == KeyCode.DOWN ? step : 0));
                e.consume();
            }
        });
        // A PDF dropped on the pane opens here (anywhere else in the window, files go to Compare).
        root.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() && e.getDragboard().getFiles().stream().anyMatch(PlaceView::isPdf)) {
                e.acceptTransferModes(TransferMode.COPY);
                e.consume();
            }
        });
        root.setOnDragDropped(e -> {
            e.getDragboard().getFiles().stream().filter(PlaceView::isPdf).findFirst().ifPresent(f -> vm.open(f.toPath()));
            e.setDropCompleted(true);
            e.consume();
        });
    }

    private static boolean isPdf(java.io.File f) {
        return f.getName().toLowerCase(Locale.ROOT).endsWith(".pdf");
    }

    /** The page fitted into the pane, the signature at its place on it. */
    private void layout() {
        PdfPlacement.PageImage shown = vm.pageImageProperty().get();
        if (shown == null) {
            return;
        }
        double vw = Math.max(100, scroll.getViewportBounds().getWidth() - 32);
        double vh = Math.max(100, scroll.getViewportBounds().getHeight() - 32);
        double scale = Math.min(vw / shown.widthMm(), vh / shown.heightMm());
        pxPerMm = scale;
        double w = shown.widthMm() * scale;
        double h = shown.heightMm() * scale;
        pageLayer.setPrefSize(w, h);
        pageView.setFitWidth(w);
        pageView.setFitHeight(h);
        boolean has = vm.signatureProperty().get() != null;
        signatureLayer.setVisible(has);
        if (has) {
            double sw = vm.widthMmProperty().get() * scale;
            double sh = vm.heightMmProperty().get() * scale;
            signatureLayer.relocate(vm.xMmProperty().get() * scale, vm.yMmProperty().get() * scale);
            signatureLayer.setPrefSize(sw, sh);
            signatureLayer.resize(sw, sh);
            signatureView.setFitWidth(sw);
            signatureView.setFitHeight(sh);
            resizeHandle.relocate(sw - resizeHandle.getWidth() / 2, sh - resizeHandle.getHeight() / 2);
        }
    }

    /** Lists the signatures again (the tab was shown: Compare's result or the library may have changed). */
    public void refresh() {
        vm.refreshSignatures();
        vm.reopenLast();
    }

    /** File > Sign a PDF: the document chooser. */
    public void openDocument() {
        onOpen();
    }

    @FXML
    private void onOpen() {
        dialogs.openFile("Open a PDF to sign", DialogService.FileKind.PDF, vm.startFolder()).ifPresent(vm::open);
    }

    @FXML
    private void onSave() {
        dialogs.saveFile("Save the signed PDF", DialogService.FileKind.PDF, vm.saveFolder(), vm.suggestedName())
                .ifPresent(vm::save);
    }

    /** For tests: where the signature is drawn, in the page layer's pixels. */
    Pane signatureLayer() {
        return signatureLayer;
    }

    Path document() {
        return vm.documentProperty().get();
    }
}
