package org.inkwell.ui.service;

import org.inkwell.ui.task.TaskExecutor;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.inkwell.data.SignatureSource;
import org.inkwell.data.SyntheticSignatures;

/** What all panes share: the executor, the model service, the current data set and the user's settings. */
public final class AppContext {
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_COUNT = 1000;

    private final TaskExecutor executor;
    private final ModelService models;
    private final UserSettings settings;
    private final ObjectProperty<SignatureSource> dataSource =
            new SimpleObjectProperty<>(new SyntheticSignatures(DEFAULT_SEED, DEFAULT_COUNT));

    public AppContext(TaskExecutor executor, ModelService models, UserSettings settings) {
        this.executor = executor;
        this.models = models;
        this.settings = settings;
    }

    public TaskExecutor executor() {
        return executor;
    }

    public ModelService models() {
        return models;
    }

    public UserSettings settings() {
        return settings;
    }

    /** The data set every pane works on; the built-in generator until the user opens a folder. */
    public ObjectProperty<SignatureSource> dataSourceProperty() {
        return dataSource;
    }
}
