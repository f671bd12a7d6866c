package org.inkwell.ui;

import org.inkwell.ui.service.AppContext;
import org.inkwell.ui.service.ModelService;
import org.inkwell.ui.service.UserSettings;
import org.inkwell.ui.task.FxTaskExecutor;
import org.inkwell.ui.task.TaskExecutor;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The desktop workbench. The window appears at once; ND4J and the bundled model load in the background. */
public class InkwellApp extends Application {
    private AppContext context;
    private MainWindow window;

    @Override
    public void start(Stage stage) {
        TaskExecutor executor = new FxTaskExecutor();
        UserSettings settings = UserSettings.forUser();
        org.inkwell.ui.preferences.PreferencesViewModel.applySavedEngine(settings); // before any network is made
        ModelService models = new ModelService(executor);
        context = new AppContext(executor, models, settings);
        window = new MainWindow(context);
        UserSettings s = context.settings();
        Scene scene = new Scene(window.root(), s.windowWidth(), s.windowHeight());
        scene.getStylesheets().add(getClass().getResource(MainWindow.CSS).toExternalForm());
        stage.setTitle("Inkwell");
        for (int size : new int[]{16, 32, 48, 64, 128, 256}) {
            var icon = getClass().getResource("/org/inkwell/ui/icons/inkwell-" + size + ".png");
            if (icon != null) {
                stage.getIcons().add(new Image(icon.toExternalForm()));
            }
        }
        // Failures nobody caught (on any thread, the FX thread included) reach the log and the status bar.
        Thread.setDefaultUncaughtExceptionHandler(models.activity().uncaughtHandler());
        stage.setScene(scene);
        stage.setOnCloseRequest(e -> {
            e.consume();
            close(stage);
        });
        stage.show();
        // The model of the last session, or the bundled one when there is none or it no longer loads.
        Path lastModel = s.lastModel();
        if (lastModel != null && Files.isRegularFile(lastModel)) {
            models.reopen(lastModel).whenComplete((m, e) -> {
                if (e != null) {
                    executor.runOnUi(() -> s.rememberModel(null));
                    models.loadBundled();
                }
            });
        } else {
            models.loadBundled();
        }
        List<Path> files = getParameters().getRaw().stream().map(Path::of).filter(Files::isRegularFile).toList();
        if (!files.isEmpty()) {
            window.openInCompare(files);
        }
    }

    /** Asks before stopping a training run, which then ends with a checkpoint. */
    private void close(Stage stage) {
        context.settings().rememberWindow(stage.getWidth(), stage.getHeight());
        window.trainingViewModel().requestClose(Platform::exit);
    }

    @Override
    public void stop() {
        if (context != null) {
            context.executor().shutdown();
        }
    }
}
