package org.inkwell.ui;

import org.inkwell.ui.service.AppContext;
import org.inkwell.ui.service.ModelService;
import org.inkwell.ui.service.UserSettings;
import org.inkwell.ui.task.FxTaskExecutor;
import org.inkwell.ui.task.TaskExecutor;

import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import org.inkwell.data.FolderDataset;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.SignatureGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window restores the last data folder, Ctrl+O opens an image, and dialogs follow the dark theme. */
@ExtendWith(ApplicationExtension.class)
class RememberedStateUiTest {
    private MainWindow window;
    private AppContext context;
    private Path folder;

    @Start
    void start(Stage stage) throws Exception {
        TaskExecutor ex = new FxTaskExecutor();
        ModelService models = new ModelService(ex);
        UserSettings settings = TestContexts.settings();
        folder = Files.createDirectories(settings.dataFolder().resolve("scans"));
        for (int i = 0; i < 3; i++) {
            ImageFiles.writePng(new SignatureGenerator(4).generate(i).toBufferedImage(), folder.resolve("s" + i + ".png"));
        }
        settings.rememberDataFolder(folder);
        settings.setDarkTheme(true);
        context = new AppContext(ex, models, settings);
        models.use(TestContexts.tinyModel(), "tiny");
        window = new MainWindow(context);
        stage.setScene(new Scene(window.root(), 1024, 700));
        stage.show();
    }

    @AfterEach
    void stop() {
        context.executor().shutdown();
    }

    @Test
    void theLastDataFolderIsOpenedAgain(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> context.dataSourceProperty().get() instanceof FolderDataset);
        assertEquals(3, context.dataSourceProperty().get().size());
        assertEquals(folder.toRealPath(), ((FolderDataset) context.dataSourceProperty().get()).root().toRealPath());
    }

    @Test
    void ctrlOOpensAnImageAndDialogsAreDarkToo(FxRobot robot) throws Exception {
        MenuBar bar = robot.lookup(".menu-bar").queryAs(MenuBar.class);
        MenuItem open = bar.getMenus().get(0).getItems().stream().filter(i -> "Open image...".equals(i.getText())).findFirst().orElseThrow();
        assertEquals(KeyCombination.keyCombination("Shortcut+O"), open.getAccelerator());
        MenuItem folderItem = bar.getMenus().get(0).getItems().stream().filter(i -> "Open data folder...".equals(i.getText())).findFirst().orElseThrow();
        assertEquals(KeyCombination.keyCombination("Shortcut+Shift+O"), folderItem.getAccelerator());
        Alert[] alert = new Alert[1];
        robot.interact(() -> alert[0] = window.dialogs().styled(new Alert(Alert.AlertType.ERROR, "x")));
        assertTrue(alert[0].getDialogPane().getStyleClass().contains("dark"));
        assertTrue(alert[0].getDialogPane().getStyleClass().contains("inkwell"));
    }
}
