package org.inkwell.ui.training;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.inkwell.data.CsvText;
import org.inkwell.data.OutputPolicy;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The runs table, newest first: read back from the runs folder at start, a row added per run, exported as CSV. */
public final class RunsTable {
    private final ObservableList<RunRecord> runs = FXCollections.observableArrayList();

    public ObservableList<RunRecord> rows() {
        return runs;
    }

    /** One row per run: what it achieved and every setting it ran with, so runs can be compared and repeated. */
    public String asCsv() {
        org.inkwell.data.Tables.ready(); // Tablesaw loaded where no cancelled task can break it
        StringColumn started = StringColumn.create("started");
        StringColumn arch = StringColumn.create("architecture");
        StringColumn opt = StringColumn.create("optimizer");
        DoubleColumn lr = DoubleColumn.create("learning_rate");
        IntColumn batch = IntColumn.create("batch");
        IntColumn stepsPerEpoch = IntColumn.create("steps_per_epoch");
        IntColumn planned = IntColumn.create("planned_epochs");
        IntColumn size = IntColumn.create("image_size");
        IntColumn patch = IntColumn.create("patch");
        StringColumn shape = StringColumn.create("shape");
        StringColumn augment = StringColumn.create("augment");
        StringColumn noise = StringColumn.create("noise");
        StringColumn data = StringColumn.create("data");
        LongColumn dataSeed = LongColumn.create("data_seed");
        IntColumn validation = IntColumn.create("validation_images");
        IntColumn ep = IntColumn.create("epochs");
        LongColumn steps = LongColumn.create("steps");
        DoubleColumn bce = DoubleColumn.create("best_val_bce");
        DoubleColumn f = DoubleColumn.create("best_val_fmeasure");
        DoubleColumn min = DoubleColumn.create("minutes");
        StringColumn outcome = StringColumn.create("outcome");
        StringColumn cp = StringColumn.create("checkpoint");
        for (RunRecord r : runs) {
            org.inkwell.model.TrainingConfig c = r.config();
            started.append(r.started());
            arch.append(r.architecture());
            opt.append(r.optimizer());
            if (c == null) {
                lr.appendMissing();
                batch.appendMissing();
                stepsPerEpoch.appendMissing();
                planned.appendMissing();
                size.appendMissing();
                patch.appendMissing();
                shape.appendMissing();
                augment.appendMissing();
                noise.appendMissing();
                data.appendMissing();
                dataSeed.appendMissing();
                validation.appendMissing();
            } else {
                lr.append(c.learningRate());
                batch.append(c.batchSize());
                stepsPerEpoch.append(c.stepsPerEpoch());
                planned.append(c.epochs());
                size.append(c.inputSize());
                patch.append(c.patch());
                shape.append(c.preprocess());
                augment.append(String.valueOf(c.augment()));
                noise.append(c.noise());
                data.append(c.dataSource() == null ? "generator" : c.dataSource());
                dataSeed.append(c.dataSeed());
                validation.append(c.validationCount());
            }
            ep.append(r.epochs());
            steps.append(r.steps());
            bce.append(r.bestValBce());
            f.append(r.bestValF());
            min.append(r.minutes());
            outcome.append(r.outcome());
            cp.append(r.checkpoint());
        }
        return CsvText.of(Table.create("runs", started, arch, opt, lr, batch, stepsPerEpoch, planned, size, patch, shape, augment,
                noise, data, dataSeed, validation, ep, steps, bce, f, min, outcome, cp));
    }
}
