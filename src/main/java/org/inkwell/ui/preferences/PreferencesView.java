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
        backendLabel.textProperty().bind(vm.backendProperty());
        vm.refreshBackend();
    }

    /** Lets go of the window's theme property when the dialog closes. */
    public void unbind() {
        darkBox.selectedProperty().unbindBidirectional(viewModel.darkProperty());
    }

    @FXML
    private void onUseBundled() {
        viewModel.useBundledCommand().execute();
    }
}
