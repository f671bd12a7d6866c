package org.inkwell.ui.preferences;

import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.ui.service.DialogService;
import org.inkwell.ui.service.ModelService;
import org.inkwell.ui.service.UserSettings;
import org.inkwell.ui.task.BackgroundTask;
import org.inkwell.ui.task.Command;
import org.inkwell.ui.task.TaskExecutor;

/**
 * Preferences: the theme, the model in use with a way back to the bundled one (also in the File menu), where runs
 * and checkpoints go, and the ND4J backend. Outputs are read-only; the theme is the window's own property.
 */
public final class PreferencesViewModel {
    /** The name the model service gives the bundled model. */
    static final String BUNDLED = "bundled model";

    private final TaskExecutor executor;
    private final ModelService models;
    private final UserSettings settings;
    private final BooleanProperty dark;
    private final DialogService dialogs;
    private final ReadOnlyStringWrapper runsFolder = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper backend = new ReadOnlyStringWrapper("ND4J backend: starting...");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper();
    private final Command useBundled;
    private final javafx.beans.property.ObjectProperty<org.inkwell.engine.EngineSetting> engine =
            new javafx.beans.property.SimpleObjectProperty<>();
    private final javafx.beans.property.ObjectProperty<org.inkwell.engine.Precision> precision =
            new javafx.beans.property.SimpleObjectProperty<>();

    /**
     * @param dark    the window's dark-theme switch, which this edits
     * @param dialogs says why the bundled model could not be loaded (File > Use bundled model has no pane of its own)
     */
    public PreferencesViewModel(TaskExecutor executor, ModelService models, UserSettings settings, BooleanProperty dark,
                                DialogService dialogs) {
        this.executor = executor;
        this.models = models;
        this.settings = settings;
        this.dark = dark;
        this.dialogs = dialogs;
        runsFolder.set("Runs and checkpoints: " + settings.runsFolder());
        engine.set(inForce(settings));
        engine.addListener((o, a, b) -> {
            if (b != null && b != a) {
                useEngine(b);
            }
        });
        precision.set(precisionInForce(settings));
        precision.addListener((o, a, b) -> {
            if (b != null && b != a) {
                settings.setPrecision(b);
                System.setProperty(org.inkwell.engine.Precision.PROPERTY, b.cliName());
                status.set("Inference precision " + b.cliName() + ": from the next image cleaned.");
            }
        });
        useBundled = new Command(Bindings.notEqual(BUNDLED, models.modelNameProperty()).and(loading.not()), this::loadBundled,
                loading.getReadOnlyProperty());
    }

    /**
     * Applies the engine and precision settings at start-up (a {@code -Dinkwell.engine} or
     * {@code -Dinkwell.precision} given on the command line wins and is shown as the choice).
     */
    public static void applySavedEngine(UserSettings settings) {
        if (System.getProperty(org.inkwell.engine.EngineSetting.PROPERTY) == null) {
            System.setProperty(org.inkwell.engine.EngineSetting.PROPERTY, settings.engine().cliName());
        }
        if (System.getProperty(org.inkwell.engine.Precision.PROPERTY) == null) {
            System.setProperty(org.inkwell.engine.Precision.PROPERTY, settings.precision().cliName());
        }
    }

    /** The inference plans' number format: auto, float32 or bfloat16 (kept for the next start). */
    public javafx.beans.property.ObjectProperty<org.inkwell.engine.Precision> precisionProperty() {
        return precision;
    }

    private static org.inkwell.engine.Precision precisionInForce(UserSettings settings) {
        String given = System.getProperty(org.inkwell.engine.Precision.PROPERTY);
        try {
            return given != null ? org.inkwell.engine.Precision.parse(given) : settings.precision();
        } catch (IllegalArgumentException e) {
            return org.inkwell.engine.Precision.AUTO;
        }
    }

    /** What runs the networks: auto, DL4J or oneDNN (kept for the next start; the current model switches at once). */
    public javafx.beans.property.ObjectProperty<org.inkwell.engine.EngineSetting> engineProperty() {
        return engine;
    }

    private static org.inkwell.engine.EngineSetting inForce(UserSettings settings) {
        String given = System.getProperty(org.inkwell.engine.EngineSetting.PROPERTY);
        try {
            return given != null ? org.inkwell.engine.EngineSetting.parse(given) : settings.engine();
        } catch (IllegalArgumentException e) {
            return org.inkwell.engine.EngineSetting.AUTO;
        }
    }

    private void useEngine(org.inkwell.engine.EngineSetting setting) {
        settings.setEngine(setting);
        System.setProperty(org.inkwell.engine.EngineSetting.PROPERTY, setting.cliName());
        status.set("Switching engines...");
        models.refreshEngines().whenComplete((label, e) -> executor.runOnUi(() -> status.set(e == null
                ? "Now on " + label + " (the model in use, and training runs from now on)."
                : "Cannot switch engines: " + e.getMessage())));
    }

    public BooleanProperty darkProperty() {
        return dark;
    }

    /** The model every pane uses, with its scores (as in the status bar). */
    public ReadOnlyStringProperty modelNameProperty() {
        return models.modelNameProperty();
    }

    public ReadOnlyStringProperty modelDetailsProperty() {
        return models.modelDetailsProperty();
    }

    public ReadOnlyStringProperty runsFolderProperty() {
        return runsFolder.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty backendProperty() {
        return backend.getReadOnlyProperty();
    }

    /** What the last action did, or why it could not. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Back to the bundled model, now and at the next start; not while it is the one in use. */
    public Command useBundledCommand() {
        return useBundled;
    }

    /** Asks for the backend off the UI thread: ND4J may still be starting on the model thread. */
    public void refreshBackend() {
        BackgroundTask<String> ask = BackgroundTask.of(Dl4jRuntime::backend);
        ask.onSuccess(b -> backend.set("ND4J backend: " + b));
        ask.onFailure(e -> backend.set("ND4J backend: unavailable (" + e.getMessage() + ")"));
        executor.execute(ask);
    }

    private void loadBundled() {
        loading.set(true);
        status.set("Loading the bundled model...");
        models.loadBundled().whenComplete((m, e) -> executor.runOnUi(() -> {
            loading.set(false);
            if (e == null) {
                settings.rememberModel(null); // the next start opens it too
                status.set("Using the bundled model, now and at the next start.");
            } else {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                status.set("Cannot load the bundled model: " + cause.getMessage());
                dialogs.showError("Cannot load the bundled model", cause.getMessage());
            }
        }));
    }
}
