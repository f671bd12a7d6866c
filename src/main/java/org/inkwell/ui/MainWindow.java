package org.inkwell.ui;

import org.inkwell.ui.service.AppContext;
import org.inkwell.ui.service.DialogService;
import org.inkwell.ui.service.FxDialogService;

import javafx.beans.binding.Bindings;
import javafx.fxml.FXMLLoader;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.stage.Window;
import org.inkwell.ui.compare.CompareView;
import org.inkwell.ui.compare.CompareViewModel;
import org.inkwell.ui.dataset.DatasetView;
import org.inkwell.ui.dataset.DatasetViewModel;
import org.inkwell.ui.samples.SamplesView;
import org.inkwell.ui.samples.SamplesViewModel;
import org.inkwell.ui.training.TrainingView;
import org.inkwell.ui.training.TrainingViewModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The window's content: menu, the five panes as tabs, and the status bar. Built on the FX thread.
 * <p>Longer than most classes: it is the shell (menus, status bar, tabs, drag and drop); each pane lives in its own
 * package.
 */
public final class MainWindow {
    public static final String CSS = "/org/inkwell/ui/inkwell.css";

    private final AppContext context;
    private final BorderPane root = new BorderPane();
    private final TabPane tabs = new TabPane();
    private final DatasetViewModel datasetVm;
    private final SamplesViewModel samplesVm;
    private final TrainingViewModel trainingVm;
    private final CompareViewModel compareVm;
    private final org.inkwell.ui.preferences.PreferencesViewModel preferencesVm;
    private final CompareView compareView;
    private final DatasetView datasetView;
    private final Tab compareTab;
    private final Tab signTab;
    private final org.inkwell.ui.place.PlaceView placeView;
    private final org.inkwell.ui.place.PlaceViewModel placeVm;
    private final CheckMenuItem dark = new CheckMenuItem("Dark theme");
    private final FxDialogService dialogs;

    public MainWindow(AppContext context) {
        this.context = context;
        this.dialogs = new FxDialogService(() -> root.getScene() == null ? null : root.getScene().getWindow(), dark::isSelected, CSS);
        // Each view model gets the services it uses, nothing more.
        datasetVm = new DatasetViewModel(context.executor(), context.models(), context.settings(), context.dataSourceProperty());
        samplesVm = new SamplesViewModel(context.executor(), context.dataSourceProperty());
        trainingVm = new TrainingViewModel(context.executor(), context.models(), context.settings(), context.dataSourceProperty(), dialogs);
        compareVm = new CompareViewModel(context.executor(), context.models(), context.settings());
        preferencesVm = new org.inkwell.ui.preferences.PreferencesViewModel(context.executor(), context.models(), context.settings(),
                dark.selectedProperty(), dialogs);

        FXMLLoader dl = loader("dataset/DatasetView.fxml");
        Parent dataset = load(dl);
        datasetView = dl.getController();
        datasetView.bind(datasetVm, dialogs);
        FXMLLoader sl = loader("samples/SamplesView.fxml");
        Parent samples = load(sl);
        ((SamplesView) sl.getController()).bind(samplesVm);
        FXMLLoader tl = loader("training/TrainingView.fxml");
        Parent training = load(tl);
        ((TrainingView) tl.getController()).bind(trainingVm, dialogs);
        FXMLLoader cl = loader("compare/CompareView.fxml");
        Parent compare = load(cl);
        compareView = cl.getController();
        compareView.bind(compareVm, dialogs);
        org.inkwell.data.SignatureLibrary library =
                new org.inkwell.data.SignatureLibrary(context.settings().dataFolder().resolve("signatures"));
        compareView.bindLibrary(new org.inkwell.ui.compare.LibraryViewModel(context.executor(), library,
                () -> compareVm.exportedProperty().get()));
        placeVm = new org.inkwell.ui.place.PlaceViewModel(context.executor(), context.settings(), library,
                () -> compareVm.exportedProperty().get());
        FXMLLoader pl = loader("place/PlaceView.fxml");
        Parent place = load(pl);
        placeView = pl.getController();
        placeView.bind(placeVm, dialogs);

        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getTabs().addAll(tab("Dataset", dataset), tab("Samples", samples), tab("Training", training));
        compareTab = tab("Compare", compare);
        tabs.getTabs().add(compareTab);
        signTab = tab("Sign", place);
        tabs.getTabs().add(signTab);
        // The signatures on offer (Compare's result, the library) are listed again each time the pane is shown.
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b == signTab) {
                placeView.refresh();
            }
        });
        root.setTop(menu());
        root.setCenter(tabs);
        root.setBottom(statusBar());
        root.getStyleClass().add("inkwell");
        // Files dropped anywhere go to Compare.
        root.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
        });
        root.setOnDragDropped(e -> {
            if (e.isDropCompleted()) {
                return; // the Sign pane took its PDF
            }
            tabs.getSelectionModel().select(compareTab);
            compareView.onDragDropped(e);
        });
        compareVm.showExample();
        // The data folder of the last session comes back (the built-in generator when it is gone).
        Path lastData = context.settings().lastDataFolder();
        if (lastData != null && java.nio.file.Files.isDirectory(lastData)) {
            datasetVm.openFolder(lastData);
        }
    }

    public FxDialogService dialogs() {
        return dialogs;
    }

    public AppContext context() {
        return context;
    }

    private static FXMLLoader loader(String path) {
        return new FXMLLoader(MainWindow.class.getResource("/org/inkwell/ui/" + path));
    }

    private static Parent load(FXMLLoader l) {
        try {
            return l.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + l.getLocation(), e);
        }
    }

    private static Tab tab(String name, Node content) {
        Tab t = new Tab(name, content);
        t.setId(name.toLowerCase() + "Tab");
        return t;
    }

    public Parent root() {
        return root;
    }

    public TabPane tabs() {
        return tabs;
    }

    public TrainingViewModel trainingViewModel() {
        return trainingVm;
    }

    public CompareViewModel compareViewModel() {
        return compareVm;
    }

    public SamplesViewModel samplesViewModel() {
        return samplesVm;
    }

    public org.inkwell.ui.place.PlaceViewModel placeViewModel() {
        return placeVm;
    }

    public DatasetViewModel datasetViewModel() {
        return datasetVm;
    }

    /** Opens files given on the command line or through a desktop "Open with" in Compare. */
    public void openInCompare(java.util.List<Path> files) {
        tabs.getSelectionModel().select(compareTab);
        compareVm.openFiles(files);
    }

    private MenuBar menu() {
        Menu file = new Menu("_File");
        file.getItems().addAll(
                item("Open image...", "Shortcut+O", this::openImage),
                item("Open data folder...", "Shortcut+Shift+O", () -> datasetFolder()),
                item("Use built-in generator", null, datasetVm::useGenerator),
                new SeparatorMenuItem(),
                item("Open model...", "Shortcut+M", this::openModel),
                item("Use bundled model", null, this::useBundledModel),
                item("Save model...", "Shortcut+S", this::saveModel),
                item("Import Keras model...", "Shortcut+K", this::importKeras),
                item("Export model as ONNX...", null, this::exportOnnx),
                new SeparatorMenuItem(),
                item("Export cleaned image...", "Shortcut+E", () -> {
                    tabs.getSelectionModel().select(compareTab);
                    compareView.onSave();
                }),
                item("Sign a PDF...", null, () -> {
                    tabs.getSelectionModel().select(signTab);
                    placeView.openDocument();
                }),
                new SeparatorMenuItem(),
                item("Preferences...", "Shortcut+Comma", this::preferences),
                new SeparatorMenuItem(),
                item("Quit", "Shortcut+Q", () -> window().fireEvent(new javafx.stage.WindowEvent(window(),
                        javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST))));
        // Copy and paste act on a focused text field as usual; elsewhere on Compare's result and input.
        Menu edit = new Menu("_Edit");
        MenuItem undo = item("Undo eraser stroke", "Shortcut+Z", compareVm::undo);
        undo.disableProperty().bind(compareVm.canUndoProperty().not());
        MenuItem redo = item("Redo eraser stroke", "Shortcut+Shift+Z", compareVm::redo);
        redo.disableProperty().bind(compareVm.canRedoProperty().not());
        edit.getItems().addAll(undo, redo, new SeparatorMenuItem(),
                item("Copy result", "Shortcut+C", () -> {
                    if (window().getScene().getFocusOwner() instanceof javafx.scene.control.TextInputControl t) {
                        t.copy();
                    } else if (!compareView.copyResult()) {
                        compareVm.tell("Nothing to copy yet: open or drop a scan first.");
                    }
                }),
                item("Paste image to clean", "Shortcut+V", () -> {
                    if (window().getScene().getFocusOwner() instanceof javafx.scene.control.TextInputControl t) {
                        t.paste();
                    } else if (compareView.paste()) {
                        tabs.getSelectionModel().select(compareTab);
                    }
                }));
        Menu view = new Menu("_View");
        for (int i = 0; i < 5; i++) {
            int idx = i;
            view.getItems().add(item(new String[]{"Dataset", "Samples", "Training", "Compare", "Sign"}[i], "Shortcut+" + (i + 1),
                    () -> tabs.getSelectionModel().select(idx)));
        }
        dark.setSelected(context.settings().darkTheme());
        applyTheme(dark.isSelected());
        dark.selectedProperty().addListener((o, a, b) -> {
            context.settings().setDarkTheme(b);
            applyTheme(b);
        });
        view.getItems().addAll(new SeparatorMenuItem(), item("Fit to window", "Shortcut+0", () -> {
            tabs.getSelectionModel().select(compareTab);
            compareView.onFit();
        }), new SeparatorMenuItem(), dark);
        Menu help = new Menu("_Help");
        help.getItems().addAll(item("User guide", "F1", this::userGuide), item("About Inkwell", null, this::about));
        return new MenuBar(file, edit, view, help);
    }

    private void applyTheme(boolean dark) {
        root.getStyleClass().remove("dark");
        if (dark) {
            root.getStyleClass().add("dark");
        }
    }

    private static MenuItem item(String text, String accelerator, Runnable action) {
        MenuItem m = new MenuItem(text);
        if (accelerator != null) {
            m.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        m.setOnAction(e -> action.run());
        return m;
    }

    /** Model and data on the left; on the right, what runs in the background (or "Ready"). */
    private javafx.scene.layout.HBox statusBar() {
        Label left = new Label();
        left.textProperty().bind(Bindings.concat("Model: ", context.models().modelNameProperty(), "  ",
                context.models().modelDetailsProperty(), "   |   Data: ",
                Bindings.createStringBinding(() -> context.dataSourceProperty().get().description(), context.dataSourceProperty())));
        left.setMinWidth(0);
        javafx.scene.layout.HBox.setHgrow(left, javafx.scene.layout.Priority.ALWAYS);
        left.setMaxWidth(Double.MAX_VALUE);
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(16, 16);
        spinner.visibleProperty().bind(context.models().activity().busyProperty());
        Label jobs = new Label();
        jobs.setId("activityLabel");
        jobs.textProperty().bind(context.models().activity().summaryProperty());
        jobs.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        jobs.setMaxWidth(420);
        javafx.scene.layout.HBox bar = new javafx.scene.layout.HBox(8, left, spinner, jobs);
        bar.setId("statusBar");
        bar.getStyleClass().add("status-bar");
        bar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        bar.setPadding(new javafx.geometry.Insets(3, 10, 3, 10));
        return bar;
    }

    private Window window() {
        return root.getScene().getWindow();
    }

    private void datasetFolder() {
        tabs.getSelectionModel().select(0);
        dialogs.chooseFolder("Open a folder of signatures", datasetVm.lastFolder()).ifPresent(datasetVm::openFolder);
    }

    private void openModel() {
        // Trained models are in the runs folder until the user has opened one elsewhere.
        Path start = context.settings().folder("models") != null ? context.settings().folder("models") : context.settings().runsFolder();
        dialogs.openFile("Open an Inkwell model", DialogService.FileKind.MODEL, start).ifPresent(f -> {
            context.settings().rememberFolder("models", f);
            context.models().load(f).whenComplete((m, e) -> {
                if (e == null) {
                    context.executor().runOnUi(() -> context.settings().rememberModel(f));
                }
                report(e, "open the model");
            });
        });
    }

    /** Back to the bundled model, now and at the next start (issue #27, item 1); the same as in Preferences. */
    private void useBundledModel() {
        preferencesVm.useBundledCommand().execute();
    }

    private void saveModel() {
        dialogs.saveFile("Save the current model", DialogService.FileKind.MODEL, context.settings().folder("models"),
                "inkwell-model.zip").ifPresent(f -> {
            context.settings().rememberFolder("models", f);
            context.models().save(f).whenComplete((m, e) -> report(e, "save the model"));
        });
    }

    private void exportOnnx() {
        dialogs.saveFile("Export the current model as ONNX", DialogService.FileKind.ONNX, context.settings().folder("models"),
                "inkwell-model.onnx").ifPresent(f -> {
            context.settings().rememberFolder("models", f);
            context.models().exportOnnx(f).whenComplete((p, e) -> report(e, "export the model as ONNX"));
        });
    }

    private void importKeras() {
        dialogs.openFile("Import a Keras model (the seed's re_binary.hdf5)", DialogService.FileKind.KERAS,
                context.settings().folder("keras")).ifPresent(f -> {
            context.settings().rememberFolder("keras", f);
            context.models().importKeras(f).whenComplete((m, e) -> {
                if (e == null) {
                    context.executor().runOnUi(() -> context.settings().rememberModel(f)); // imported again at the next start
                }
                report(e, "import the Keras model");
            });
        });
    }

    private void openImage() {
        List<Path> files = dialogs.openFiles("Open a scan", DialogService.FileKind.IMAGES, context.settings().folder("images"));
        if (!files.isEmpty()) {
            openInCompare(files);
        }
    }

    private void report(Throwable e, String what) {
        if (e == null) {
            return;
        }
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        context.executor().runOnUi(() -> dialogs.showError("Cannot " + what, cause.getMessage()));
    }

    /** The few settings a user may want to change, and where Inkwell keeps its files (its own view and view model). */
    private void preferences() {
        FXMLLoader pl = loader("preferences/PreferencesView.fxml");
        Parent content = load(pl);
        org.inkwell.ui.preferences.PreferencesView view = pl.getController();
        view.bind(preferencesVm);
        javafx.scene.control.Dialog<Void> d = new javafx.scene.control.Dialog<>();
        d.setTitle("Preferences");
        d.setHeaderText("Inkwell preferences");
        d.getDialogPane().setContent(content);
        d.getDialogPane().getButtonTypes().add(javafx.scene.control.ButtonType.CLOSE);
        dialogs.styled(d);
        javafx.beans.value.ChangeListener<Boolean> follow = (o, a, b) -> dialogs.styled(d); // the theme changes while open
        dark.selectedProperty().addListener(follow);
        d.setOnHidden(e -> {
            dark.selectedProperty().removeListener(follow);
            view.unbind();
        });
        d.show();
    }

    /** The user guide, with the keyboard shortcuts, as shipped in the jar (docs/user-guide.md). */
    private void userGuide() {
        dialogs.showText("Inkwell user guide", userGuideText());
    }

    /** The guide's Markdown from the jar, or a line that says where it is when a build lacks it. */
    public static String userGuideText() {
        try (var in = MainWindow.class.getResourceAsStream("/org/inkwell/docs/user-guide.md")) {
            if (in == null) {
                return "The user guide is not in this build; it is docs/user-guide.md in Inkwell's source.";
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "Cannot read the user guide: " + e.getMessage();
        }
    }

    private void about() {
        dialogs.showInfo("About Inkwell",
                "Inkwell " + org.inkwell.model.Version.get() + "\n\nCleans scanned signatures with a convolutional denoising "
                        + "autoencoder (Deeplearning4j on the CPU).\nBased on the seed experiment's VGG-16-style autoencoder; "
                        + "the built-in generator draws signatures from sigma-lognormal pen strokes.");
    }
}
