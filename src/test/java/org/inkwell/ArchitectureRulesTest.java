package org.inkwell;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The design's layering, checked on the compiled classes (fully qualified uses included). */
class ArchitectureRulesTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.inkwell");
    }

    @Test
    void theEngineAndTheCliUseNoJavaFx() {
        noClasses().that().resideInAnyPackage("org.inkwell.data..", "org.inkwell.model..", "org.inkwell.train..",
                        "org.inkwell.eval..", "org.inkwell.runtime..", "org.inkwell.engine..", "org.inkwell.onednn..",
                        "org.inkwell.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .check(classes);
    }

    @Test
    void viewModelsUseNothingFromJavafxScene() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..")
                .check(classes);
    }

    /** Issue #27 item 10: view models get the services they use by constructor, never the whole context. */
    @Test
    void viewModelsTakeTheirServicesNotTheAppContext() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().haveFullyQualifiedName("org.inkwell.ui.service.AppContext")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.inkwell.ui.service.FxDialogService")
                .check(classes);
    }

    /**
     * The root ui package (the shell: MainWindow, InkwellApp, Launcher) puts the panes and services together;
     * nothing in a pane or service reaches back into it (the dialog service used to import MainWindow).
     */
    @Test
    void nothingInThePanesOrServicesDependsOnTheShell() {
        noClasses().that().resideInAnyPackage("org.inkwell.ui.*..")
                .should().dependOnClassesThat().resideInAPackage("org.inkwell.ui")
                .check(classes);
    }

    @Test
    void theEngineNeverReachesUpIntoTheCliOrTheUi() {
        noClasses().that().resideInAnyPackage("org.inkwell.data..", "org.inkwell.model..", "org.inkwell.train..",
                        "org.inkwell.eval..", "org.inkwell.runtime..", "org.inkwell.engine..", "org.inkwell.onednn..")
                .should().dependOnClassesThat().resideInAnyPackage("org.inkwell.cli..", "org.inkwell.ui..")
                .check(classes);
    }

    @Test
    void onlyTheSparkPackageUsesSparkAndNothingUsesIt() {
        // Spark is a provided dependency: the desktop app must run without it on the classpath.
        noClasses().that().resideOutsideOfPackage("org.inkwell.spark..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "org.deeplearning4j.spark..",
                        "org.inkwell.spark..")
                .check(classes);
    }

    /**
     * Issue #28: every oneDNN import is in the one package behind the engine interfaces, and nothing reaches into that
     * package but the one line that registers it, so deleting both leaves a working product (on DL4J).
     */
    @Test
    void oneDnnStaysInItsPackageBehindTheEngineInterfaces() {
        noClasses().that().resideOutsideOfPackage("org.inkwell.onednn..")
                .should().dependOnClassesThat().resideInAnyPackage("org.bytedeco.dnnl..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("org.inkwell.onednn..")
                .and().doNotHaveFullyQualifiedName("org.inkwell.runtime.Dl4jRuntime")
                .should().dependOnClassesThat().resideInAnyPackage("org.inkwell.onednn..")
                .check(classes);
        // The plans depend on the engine interfaces and DL4J only, never on the layers above them.
        noClasses().that().resideInAnyPackage("org.inkwell.onednn..", "org.inkwell.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.inkwell.model..", "org.inkwell.train..",
                        "org.inkwell.data..", "org.inkwell.eval..")
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("org.inkwell.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching("org.inkwell.ui.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void eachPaneHasViewFxmlAndViewModelInOnePackage() {
        for (String pane : new String[]{"dataset", "samples", "training", "compare", "preferences"}) {
            String cap = Character.toUpperCase(pane.charAt(0)) + pane.substring(1);
            assertTrue(Files.exists(Path.of("src/main/java/org/inkwell/ui", pane, cap + "View.java")));
            assertTrue(Files.exists(Path.of("src/main/java/org/inkwell/ui", pane, cap + "ViewModel.java")));
            assertTrue(Files.exists(Path.of("resources/org/inkwell/ui", pane, cap + "View.fxml")));
        }
    }
}
