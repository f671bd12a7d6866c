package org.inkwell.train;

import org.inkwell.model.TrainingHistory;

import org.inkwell.model.ModelMetadata;
import org.inkwell.model.ModelStore;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;

/**
 * How a run ended, the network as it stands, the checkpoints to resume from, and the best epoch's weights kept in
 * memory, so the final model never depends on the checkpoint folder being writable.
 */
public record TrainingResult(Status status, ComputationGraph net, ModelMetadata metadata, TrainingHistory history,
                             Path lastCheckpoint, Path bestCheckpoint, Snapshot best) {
    public enum Status { COMPLETED, CANCELLED }

    /** A copy of the weights after one epoch, with the metadata and history they were scored with. */
    public record Snapshot(INDArray params, ModelMetadata metadata, TrainingHistory history) {
    }

    /**
     * The model to hand to the user: the best epoch by validation loss, or the network as it stands when no
     * epoch finished. Call on the thread that owns {@link #net()}.
     */
    public ModelStore.StoredModel bestModel() {
        if (best == null) {
            return new ModelStore.StoredModel(net, metadata, history, "last step");
        }
        ComputationGraph copy = net.clone();
        copy.setParams(best.params());
        return new ModelStore.StoredModel(copy, best.metadata(), best.history(), "best epoch");
    }
}
