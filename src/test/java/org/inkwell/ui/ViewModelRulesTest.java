package org.inkwell.ui;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layering rules from the design notes, checked on the sources. */
class ViewModelRulesTest {
    private static List<Path> sources(String dir) throws Exception {
        try (Stream<Path> s = Files.walk(Path.of("src/main/java/org/inkwell", dir))) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void viewModelsImportNothingFromJavafxScene() throws Exception {
        List<Path> vms = sources("ui").stream().filter(p -> p.getFileName().toString().endsWith("ViewModel.java")).toList();
        assertEquals(4, vms.size());
        for (Path p : vms) {
            assertFalse(Files.readString(p).contains("import javafx.scene"), p + " must not import javafx.scene");
        }
    }

    @Test
    void engineImportsNoJavafx() throws Exception {
        for (String pkg : new String[]{"data", "model", "cli"}) {
            for (Path p : sources(pkg)) {
                assertFalse(Files.readString(p).contains("import javafx"), p + " must not import JavaFX");
            }
        }
    }

    @Test
    void eachPaneHasViewFxmlAndViewModel() {
        for (String pane : new String[]{"dataset", "samples", "training", "compare"}) {
            String cap = Character.toUpperCase(pane.charAt(0)) + pane.substring(1);
            assertTrue(Files.exists(Path.of("src/main/java/org/inkwell/ui", pane, cap + "View.java")));
            assertTrue(Files.exists(Path.of("src/main/java/org/inkwell/ui", pane, cap + "ViewModel.java")));
            assertTrue(Files.exists(Path.of("resources/org/inkwell/ui", pane, cap + "View.fxml")));
        }
    }
}
