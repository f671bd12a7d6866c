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
