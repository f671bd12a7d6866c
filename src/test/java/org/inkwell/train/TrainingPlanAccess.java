package org.inkwell.train;

import org.deeplearning4j.nn.graph.ComputationGraph;

/** For tests in other packages: whether a network trains through the oneDNN plans. */
public final class TrainingPlanAccess {
    private TrainingPlanAccess() {
    }

    public static boolean planned(ComputationGraph net) {
        return TrainingPlan.supports(net);
    }
}
