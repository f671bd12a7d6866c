package org.inkwell.ui.training;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.inkwell.data.DataSources;
import org.inkwell.data.SignatureSource;
import org.inkwell.data.SyntheticSignatures;
import org.inkwell.model.TrainingConfig;
import org.inkwell.train.TrainingStep;
import org.inkwell.ui.service.AppContext;

import java.io.IOException;
import java.util.List;

/** The training form: each setting with its explanation, the defaults, the seed's settings and the run they describe. */
public final class TrainingSettings {
    public static final List<String> ARCHITECTURES = List.of("unet", "seed", "vgg16");
    public static final List<String> OPTIMIZERS = List.of(TrainingConfig.ADAM, TrainingConfig.SEED_SGD);

    private final StringProperty architecture = new SimpleStringProperty();
    private final StringProperty optimizer = new SimpleStringProperty();
    // Object properties, not IntegerProperty.asObject(): controls bind to these directly, so no adapter exists
    // that only a weak binding holds (a garbage collection used to cut the form off from the run).
    private final ObjectProperty<Double> learningRate = new SimpleObjectProperty<>();
    private final ObjectProperty<Integer> batchSize = new SimpleObjectProperty<>();
    private final ObjectProperty<Integer> stepsPerEpoch = new SimpleObjectProperty<>();
    private final ObjectProperty<Integer> epochs = new SimpleObjectProperty<>();
    private final ObjectProperty<Integer> patch = new SimpleObjectProperty<>();
    private final StringProperty noise = new SimpleStringProperty();
    private final StringProperty preprocess = new SimpleStringProperty();

    TrainingSettings() {
        resetDefaults();
    }

    /** Defaults that give a useful model on a laptop CPU in minutes; the seed's own settings are one click away. */
    public void resetDefaults() {
        show(new TrainingConfig("unet", TrainingConfig.ADAM, 1e-3, 16, 100, 5, "fit", 224, 96, true,
                "pepper:0.05-0.45", AppContext.DEFAULT_SEED, 32, 1));
    }

    /** The seed experiment's settings: 224x224 images, SGD with Nesterov momentum, pepper 0.2, batch 32. */
    public void seedSettings() {
        show(TrainingConfig.seedDefaults());
    }

    /** Fills the form with {@code c}'s settings (e.g. a checkpoint's, so a resumed run shows what it continues). */
    void show(TrainingConfig c) {
        architecture.set(c.architecture());
        optimizer.set(c.optimizer());
        learningRate.set(c.learningRate());
        batchSize.set(c.batchSize());
        stepsPerEpoch.set(c.stepsPerEpoch());
        epochs.set(c.epochs());
        patch.set(c.patch());
        noise.set(c.noise());
        preprocess.set(c.preprocess());
    }

    /** The form as one line of key=value pairs, to be remembered between sessions. */
    public String encode() {
        return String.join(";", "architecture=" + architecture.get(), "optimizer=" + optimizer.get(),
                "learningRate=" + learningRate.get(), "batchSize=" + batchSize.get(), "stepsPerEpoch=" + stepsPerEpoch.get(),
                "epochs=" + epochs.get(), "patch=" + patch.get(), "noise=" + noise.get(), "preprocess=" + preprocess.get());
    }

    /**
     * Fills the form from {@link #encode()}'s line; a value that is missing or no longer valid keeps what the form
     * has (so an old or edited line never leaves it unusable).
     */
    public void decode(String line) {
        if (line == null || line.isBlank()) {
            return;
        }
        java.util.Map<String, String> v = new java.util.HashMap<>();
        for (String pair : line.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                v.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        TrainingConfig now = new TrainingConfig(architecture.get(), optimizer.get(), learningRate.get(), batchSize.get(),
                stepsPerEpoch.get(), epochs.get(), preprocess.get(), 224, patch.get(), true, noise.get(), AppContext.DEFAULT_SEED, 32, 1);
        try {
            TrainingConfig c = new TrainingConfig(v.getOrDefault("architecture", now.architecture()),
                    v.getOrDefault("optimizer", now.optimizer()),
                    Double.parseDouble(v.getOrDefault("learningRate", String.valueOf(now.learningRate()))),
                    Integer.parseInt(v.getOrDefault("batchSize", String.valueOf(now.batchSize()))),
                    Integer.parseInt(v.getOrDefault("stepsPerEpoch", String.valueOf(now.stepsPerEpoch()))),
                    Integer.parseInt(v.getOrDefault("epochs", String.valueOf(now.epochs()))),
                    v.getOrDefault("preprocess", now.preprocess()), 224,
                    Integer.parseInt(v.getOrDefault("patch", String.valueOf(now.patch()))), true,
                    v.getOrDefault("noise", now.noise()), AppContext.DEFAULT_SEED, 32, 1);
            if (ARCHITECTURES.contains(c.architecture()) && OPTIMIZERS.contains(c.optimizer())) {
                show(c);
            }
        } catch (IllegalArgumentException e) {
            // an invalid remembered form: the defaults stay
        }
    }

    /** Calls {@code changed} after any field of the form changes. */
    public void onChange(Runnable changed) {
        for (javafx.beans.Observable o : java.util.List.of(architecture, optimizer, learningRate, batchSize, stepsPerEpoch, epochs,
                patch, noise, preprocess)) {
            o.addListener(x -> changed.run());
        }
    }

    /** One sentence per setting, shown beside it. */
    public static String explain(String setting) {
        return switch (setting) {
            case "architecture" -> "unet keeps thin strokes; seed is the original 308,593-parameter network.";
            case "optimizer" -> "adam converges fast; seed-sgd is the seed's Nesterov SGD.";
            case "learningRate" -> "In Keras units (per-pixel mean loss); 1e-3 suits both.";
            case "batchSize" -> "Pairs per step; larger is smoother, needs more memory.";
            case "stepsPerEpoch" -> "Steps between validations and checkpoints (seed: 10,000).";
            case "epochs" -> "A checkpoint is written after each epoch.";
            case "patch" -> "Random crops of this side (0 = whole 224x224); 96 is ~5x faster.";
            case "preprocess" -> "fit keeps the aspect (padded); seed squashes to 224x224.";
            case "noise" -> "pepper:0.2 as the seed; a range like pepper:0.05-0.45 covers every level.";
            default -> "";
        };
    }

    /**
     * The run these settings describe on {@code data}; the workbench always trains in cache-sized passes
     * (recorded in the config, so the CLI can repeat it exactly).
     */
    TrainingConfig config(SignatureSource data) {
        long dataSeed = data instanceof SyntheticSignatures syn ? syn.generator().seed() : AppContext.DEFAULT_SEED;
        TrainingConfig c = new TrainingConfig(architecture.get(), optimizer.get(), learningRate.get(), batchSize.get(),
                stepsPerEpoch.get(), epochs.get(), preprocess.get(), 224, patch.get(), true, noise.get(), dataSeed, 32, 1);
        String source;
        try {
            source = DataSources.specOf(data);
        } catch (IOException e) {
            throw new IllegalArgumentException("the data folder cannot be read (" + e.getMessage() + ")");
        }
        return c.withMicroBatch(TrainingStep.autoMicroBatch(c.pairSpec().sampleSide())).withDataSource(source);
    }

    public StringProperty architectureProperty() {
        return architecture;
    }

    public StringProperty optimizerProperty() {
        return optimizer;
    }

    public ObjectProperty<Double> learningRateProperty() {
        return learningRate;
    }

    public ObjectProperty<Integer> batchSizeProperty() {
        return batchSize;
    }

    public ObjectProperty<Integer> stepsPerEpochProperty() {
        return stepsPerEpoch;
    }

    public ObjectProperty<Integer> epochsProperty() {
        return epochs;
    }

    public ObjectProperty<Integer> patchProperty() {
        return patch;
    }

    /** "fit" keeps a signature's aspect (padded), "seed" squashes it to the square as the seed did. */
    public StringProperty preprocessProperty() {
        return preprocess;
    }

    public StringProperty noiseProperty() {
        return noise;
    }
}
