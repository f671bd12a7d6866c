package org.inkwell.ui;

import org.inkwell.ui.service.AppContext;
import org.inkwell.ui.service.ModelService;
import org.inkwell.ui.service.UserSettings;
import org.inkwell.ui.task.DirectTaskExecutor;
import org.inkwell.ui.task.TaskExecutor;

import org.inkwell.model.Architecture;
import org.inkwell.model.ModelMetadata;
import org.inkwell.model.ModelStore;
import org.inkwell.model.TrainingHistory;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Contexts for UI tests: throwaway preferences and a tiny untrained network instead of the bundled model. */
public final class TestContexts {
    private TestContexts() {
    }

    /**
     * Preferences in memory (nothing reaches the platform's store on any OS) and an empty data folder of its own
     * (under target/ when run by Maven).
     */
    public static UserSettings settings() {
        try {
            String base = System.getProperty("inkwell.data.dir");
            Path data = base == null ? Files.createTempDirectory("inkwell-test-data")
                    : Files.createTempDirectory(Files.createDirectories(Path.of(base)), "data");
            return new UserSettings(new MemoryPreferences().node("org/inkwell/workbench"), data);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static ModelStore.StoredModel tinyModel() {
        org.inkwell.runtime.Dl4jRuntime.init();
        return new ModelStore.StoredModel(Architecture.UNET.build(64, new Adam(1e-3), 1),
                new ModelMetadata(1, "test", "unet", 64, "seed", 0, "pepper:0.2", 1, "test", 0, 0, Map.of(), null, null, "now"),
                new TrainingHistory(), "tiny");
    }

    /** A synchronous context whose model service already holds the tiny network. */
    public static AppContext direct() throws Exception {
        TaskExecutor ex = new DirectTaskExecutor();
        ModelService models = new ModelService(ex);
        models.use(tinyModel(), "tiny").get();
        return new AppContext(ex, models, settings());
    }

    /**
     * The real main window on the FX thread with the tiny network, {@code signatures} generated signatures and
     * fresh settings, shown at {@code width x height} (TestFX {@code @Start}).
     */
    public static MainWindow showWindow(javafx.stage.Stage stage, UserSettings settings, int signatures, int width, int height,
                                        boolean withCss) {
        org.inkwell.ui.task.TaskExecutor ex = new org.inkwell.ui.task.FxTaskExecutor();
        ModelService models = new ModelService(ex);
        AppContext context = new AppContext(ex, models, settings);
        context.dataSourceProperty().set(new org.inkwell.data.SyntheticSignatures(5, signatures));
        models.use(tinyModel(), "tiny");
        MainWindow window = new MainWindow(context);
        javafx.scene.Scene scene = new javafx.scene.Scene(window.root(), width, height);
        if (withCss) {
            scene.getStylesheets().add(MainWindow.class.getResource(MainWindow.CSS).toExternalForm());
        }
        stage.setScene(scene);
        stage.show();
        return window;
    }

    /** The Compare pane's view model over a context's services. */
    public static org.inkwell.ui.compare.CompareViewModel compare(AppContext c) {
        return new org.inkwell.ui.compare.CompareViewModel(c.executor(), c.models(), c.settings());
    }

    public static org.inkwell.ui.dataset.DatasetViewModel dataset(AppContext c) {
        return new org.inkwell.ui.dataset.DatasetViewModel(c.executor(), c.models(), c.settings(), c.dataSourceProperty());
    }

    public static org.inkwell.ui.samples.SamplesViewModel samples(AppContext c) {
        return new org.inkwell.ui.samples.SamplesViewModel(c.executor(), c.dataSourceProperty());
    }

    /** The Training pane's view model; its questions (closing during a run) are answered no. */
    public static org.inkwell.ui.training.TrainingViewModel training(AppContext c) {
        return training(c, new ScriptedDialogs());
    }

    public static org.inkwell.ui.training.TrainingViewModel training(AppContext c, org.inkwell.ui.service.DialogService dialogs) {
        return new org.inkwell.ui.training.TrainingViewModel(c.executor(), c.models(), c.settings(), c.dataSourceProperty(), dialogs);
    }
}
