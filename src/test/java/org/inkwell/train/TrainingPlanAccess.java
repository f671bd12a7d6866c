package org.inkwell.train;

import org.deeplearning4j.nn.graph.ComputationGraph;

/** For tests in other packages: whether a network trains through the oneDNN plans (when they are registered). */
public final class TrainingPlanAccess {
    private TrainingPlanAccess() {
    }

    public static boolean planned(ComputationGraph net) {
        return org.inkwell.engine.Engines.provider(org.inkwell.engine.Engine.ONEDNN)
                .map(p -> p.runsGradient(net)).orElse(false);
    }
}
