package org.inkwell.model;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.nio.file.Path;

/** How a run ended, the network as it stands, and the checkpoint to resume from. */
public record TrainingResult(Status status, ComputationGraph net, ModelMetadata metadata, TrainingHistory history,
                             Path lastCheckpoint, Path bestCheckpoint) {
    public enum Status { COMPLETED, CANCELLED }
}
