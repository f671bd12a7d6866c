package org.inkwell.ui.preferences;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;

/** The Preferences dialog's content (PreferencesView.fxml), bound to its view model. */
public final class PreferencesView {
    @FXML
    private CheckBox darkBox;
    @FXML
    private Label modelLabel;
    @FXML
    private Label modelDetails;
    @FXML
    private Button bundledButton;
    @FXML
    private Label statusLabel;
    @FXML
    private Label runsLabel;
    @FXML
    private javafx.scene.control.ChoiceBox<org.inkwell.engine.EngineSetting> engineChoice;
    @FXML
    private javafx.scene.control.ChoiceBox<org.inkwell.engine.Precision> precisionChoice;
    @FXML
    private Label backendLabel;
    private PreferencesViewModel viewModel;

    public void bind(PreferencesViewModel vm) {
        this.viewModel = vm;
        darkBox.selectedProperty().bindBidirectional(vm.darkProperty());
        modelLabel.textProperty().bind(vm.modelNameProperty());
        modelDetails.textProperty().bind(vm.modelDetailsProperty());
        bundledButton.disableProperty().bind(vm.useBundledCommand().executableProperty().not());
        statusLabel.textProperty().bind(vm.statusProperty());
        runsLabel.textProperty().bind(vm.runsFolderProperty());
        engineChoice.getItems().setAll(org.inkwell.engine.EngineSetting.values());
        engineChoice.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(org.inkwell.engine.EngineSetting e) {
                return e == null ? "" : switch (e) {
                    case AUTO -> "auto (oneDNN plans where they fit)";
                    case DL4J -> "DL4J";
                    case ONEDNN -> "oneDNN plans";
                };
            }

            @Override
            public org.inkwell.engine.EngineSetting fromString(String s) {
                return null;
            }
        });
        engineChoice.valueProperty().bindBidirectional(vm.engineProperty());
        precisionChoice.getItems().setAll(org.inkwell.engine.Precision.values());
        precisionChoice.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(org.inkwell.engine.Precision p) {
                return p == null ? "" : switch (p) {
                    case AUTO -> "auto (bfloat16 where the CPU has it)";
                    case FLOAT32 -> "float32";
                    case BFLOAT16 -> "bfloat16";
                };
            }

            @Override
            public org.inkwell.engine.Precision fromString(String s) {
                return null;
            }
        });
        precisionChoice.valueProperty().bindBidirectional(vm.precisionProperty());
        backendLabel.textProperty().bind(vm.backendProperty());
        vm.refreshBackend();
    }

    /** Lets go of the window's theme property when the dialog closes. */
    public void unbind() {
        darkBox.selectedProperty().unbindBidirectional(viewModel.darkProperty());
        engineChoice.valueProperty().unbindBidirectional(viewModel.engineProperty());
        precisionChoice.valueProperty().unbindBidirectional(viewModel.precisionProperty());
    }

    @FXML
    private void onUseBundled() {
        viewModel.useBundledCommand().execute();
    }
}
