package org.inkwell.ui;

import org.inkwell.ui.service.AppContext;

import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.inkwell.model.ModelStore;
import org.inkwell.model.TrainingConfig;
import org.inkwell.ui.training.TrainingViewModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The Training form through its real controls: what the user types is what the run uses, after any GC. */
@ExtendWith(ApplicationExtension.class)
class TrainingFormUiTest {
    private MainWindow window;
    private AppContext context;

    @Start
    void start(Stage stage) {
        window = TestContexts.showWindow(stage, TestContexts.settings(), 12, 1024, 700, false);
        context = window.context();
    }

    @AfterEach
    void stop() throws Exception {
        javafx.application.Platform.runLater(() -> window.trainingViewModel().cancel());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !window.trainingViewModel().runningProperty().get());
        context.executor().shutdown();
    }

    private static void type(FxRobot robot, TextField field, String text) {
        robot.clickOn(field);
        robot.press(KeyCode.CONTROL).press(KeyCode.A).release(KeyCode.A).release(KeyCode.CONTROL);
        robot.write(text);
    }

    @SuppressWarnings("unchecked")
    private static Spinner<Integer> spinner(FxRobot robot, String id) {
        return robot.lookup("#" + id).queryAs(Spinner.class);
    }

    private static void gc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    @SuppressWarnings("unchecked")
    void typedSettingsSurviveGarbageCollectionAndReachTheRunAndItsCheckpoint(FxRobot robot) throws Exception {
        robot.clickOn("Training");
        TrainingViewModel vm = window.trainingViewModel();
        gc(); // before any typing: the bindings themselves must survive
        robot.interact(() -> robot.lookup("#optimizerChoice").queryAs(ChoiceBox.class).setValue(TrainingConfig.SEED_SGD));
        type(robot, robot.lookup("#lrField").queryAs(TextField.class), "0.002");
        type(robot, spinner(robot, "batchSpinner").getEditor(), "3");
        type(robot, spinner(robot, "stepsSpinner").getEditor(), "2");
        type(robot, spinner(robot, "epochsSpinner").getEditor(), "2");
        type(robot, spinner(robot, "patchSpinner").getEditor(), "32");
        type(robot, robot.lookup("#noiseField").queryAs(TextField.class), "pepper:0.15");
        gc();
        robot.clickOn("#startButton");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.lastResultProperty().get() != null && !vm.runningProperty().get());

        TrainingConfig used = vm.lastResultProperty().get().metadata().training();
        assertEquals(TrainingConfig.SEED_SGD, used.optimizer());
        assertEquals(0.002, used.learningRate(), 1e-12);
        assertEquals(3, used.batchSize());
        assertEquals(2, used.stepsPerEpoch());
        assertEquals(2, used.epochs());
        assertEquals(32, used.patch());
        assertEquals("pepper:0.15", used.noise());
        assertEquals(4, vm.lastResultProperty().get().metadata().step());
        assertNotNull(vm.lastCheckpointProperty().get());
        assertEquals(used, ModelStore.describe(vm.lastCheckpointProperty().get()).metadata().training());
        assertEquals("3", spinner(robot, "batchSpinner").getEditor().getText());

        // The epoch charts show whole epochs 1..2 and F within 0-100, fitted to this run.
        javafx.scene.chart.LineChart<?, ?> f = robot.lookup("#fChart").queryAs(javafx.scene.chart.LineChart.class);
        javafx.scene.chart.NumberAxis x = (javafx.scene.chart.NumberAxis) f.getXAxis();
        javafx.scene.chart.NumberAxis y = (javafx.scene.chart.NumberAxis) f.getYAxis();
        assertEquals(1.0, x.getLowerBound());
        assertEquals(2.0, x.getUpperBound());
        assertEquals(1.0, x.getTickUnit());
        org.junit.jupiter.api.Assertions.assertTrue(y.getLowerBound() >= 0 && y.getUpperBound() <= 100, y.getLowerBound() + ".." + y.getUpperBound());
        org.junit.jupiter.api.Assertions.assertTrue(x.getTickLabelFormatter().toString(1.5).isEmpty(), "no fractional epoch labels");
        // Even when every F is 0 the axis spans readable, distinct labels (it read "0 0 0 0 0").
        org.junit.jupiter.api.Assertions.assertTrue(y.getUpperBound() - y.getLowerBound() >= 10, y.getLowerBound() + ".." + y.getUpperBound());
        java.util.Set<String> labels = new java.util.HashSet<>();
        for (double v = y.getLowerBound(); v <= y.getUpperBound() + 1e-9; v += y.getTickUnit()) {
            labels.add(y.getTickLabelFormatter().toString(v));
        }
        org.junit.jupiter.api.Assertions.assertTrue(labels.size() >= 3, "distinct F labels: " + labels);

        // At 1024x700 every column of the runs table is on screen at its readable width.
        javafx.scene.control.TableView<?> table = robot.lookup("#runsTable").queryAs(javafx.scene.control.TableView.class);
        double columns = 0;
        for (var c : table.getColumns()) {
            org.junit.jupiter.api.Assertions.assertTrue(c.getWidth() >= c.getMinWidth() - 0.5, c.getText() + " is squeezed");
            columns += c.getWidth();
        }
        org.junit.jupiter.api.Assertions.assertTrue(columns <= table.getWidth(), "columns " + columns + " px in a table " + table.getWidth() + " px wide");
        assertEquals(7, table.getColumns().size());

        // Double-clicking the run shows its settings, curves and sample, and offers its model.
        java.util.function.Supplier<java.util.Optional<javafx.scene.control.TableRow>> filledRow = () -> robot.lookup("#runsTable .table-row-cell")
                .queryAllAs(javafx.scene.control.TableRow.class).stream().filter(r -> r.getItem() != null && r.isVisible()).findFirst();
        robot.interact(table::layout); // the row cells follow the new run on the next layout pass
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> filledRow.get().isPresent());
        robot.doubleClickOn(filledRow.get().orElseThrow());
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.DialogPane pane = robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class);
        java.util.List<String> texts = robot.from(pane).lookup(".label").queryAllAs(javafx.scene.control.Label.class).stream()
                .map(javafx.scene.control.Label::getText).toList();
        org.junit.jupiter.api.Assertions.assertTrue(texts.contains("Batch") && texts.contains("3") && texts.contains("pepper:0.15"), texts.toString());
        assertEquals(2, robot.from(pane).lookup(".chart").queryAll().size(), "the run's BCE and F curves");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.from(pane).lookup(".image-view").queryAs(javafx.scene.image.ImageView.class).getImage() != null);
        robot.clickOn("Use this model");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.statusProperty().get().startsWith("Now using the run started"));
    }

    @Test
    void theFormIsLockedDuringARunAndTheCancelMessageIsShownWhole(FxRobot robot) throws Exception {
        robot.clickOn("Training");
        TrainingViewModel vm = window.trainingViewModel();
        type(robot, spinner(robot, "stepsSpinner").getEditor(), "5000");
        type(robot, spinner(robot, "batchSpinner").getEditor(), "2");
        type(robot, spinner(robot, "patchSpinner").getEditor(), "32");
        robot.clickOn("#startButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.trainLoss().size() > 0);
        for (String id : new String[]{"#lrField", "#epochsSpinner", "#noiseField", "#archChoice", "#resetButton", "#seedButton"}) {
            org.junit.jupiter.api.Assertions.assertTrue(robot.lookup(id).query().isDisabled(), id + " is editable during a run");
        }
        robot.clickOn("#cancelButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        org.junit.jupiter.api.Assertions.assertFalse(robot.lookup("#lrField").query().isDisabled(), "unlocked after the run");
        javafx.scene.Node pane = window.tabs().getTabs().stream().filter(t -> t.getText().equals("Training")).findFirst().orElseThrow().getContent();
        javafx.scene.control.Label status = robot.from(pane).lookup("#statusLabel").queryAs(javafx.scene.control.Label.class);
        org.junit.jupiter.api.Assertions.assertTrue(status.getText().contains("Resume from "), status.getText());
        String shown = robot.from(status).lookup(".text").queryAs(javafx.scene.text.Text.class).getText();
        assertEquals(status.getText(), shown, "the status is shown whole, not cut");
    }

    @Test
    void seedSettingsAndResetShowInTheFieldsAndTheConfig(FxRobot robot) throws Exception {
        robot.clickOn("Training");
        TrainingViewModel vm = window.trainingViewModel();
        gc();
        robot.clickOn("#seedButton");
        WaitForAsyncUtils.waitForFxEvents();
        TrainingConfig seed = TrainingConfig.seedDefaults();
        assertEquals(String.valueOf(seed.batchSize()), spinner(robot, "batchSpinner").getEditor().getText());
        assertEquals("10000", spinner(robot, "stepsSpinner").getEditor().getText().replace(",", ""));
        assertEquals(String.valueOf(seed.epochs()), spinner(robot, "epochsSpinner").getEditor().getText());
        assertEquals("0", spinner(robot, "patchSpinner").getEditor().getText());
        assertEquals(seed.noise(), robot.lookup("#noiseField").queryAs(TextField.class).getText());
        assertEquals(seed.batchSize(), vm.config().batchSize());
        assertEquals(seed.stepsPerEpoch(), vm.config().stepsPerEpoch());

        type(robot, spinner(robot, "epochsSpinner").getEditor(), "7");
        robot.clickOn("#resetButton");
        gc();
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("5", spinner(robot, "epochsSpinner").getEditor().getText());
        assertEquals("16", spinner(robot, "batchSpinner").getEditor().getText());
        assertEquals("96", spinner(robot, "patchSpinner").getEditor().getText());
        assertEquals(5, vm.config().epochs());
        assertEquals(16, vm.config().batchSize());
    }
}
