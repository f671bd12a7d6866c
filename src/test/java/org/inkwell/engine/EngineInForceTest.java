package org.inkwell.engine;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.model.Architecture;
import org.inkwell.runtime.Dl4jRuntime;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The engine setting of the JVM reaches every network made without an explicit one: {@code .ci/run} runs the suite a
 * second time with {@code -Dinkwell.engine=dl4j}, and this test is what proves that run really was on DL4J (and
 * the first on the plans, when they are in the build).
 */
class EngineInForceTest {
    @Test
    void networksRunOnTheEngineTheSettingInForceNames() {
        Dl4jRuntime.init();
        ComputationGraph net = Architecture.SEED.build(32, new Adam(1e-3), 1);
        EngineSetting setting = EngineSetting.forInference();
        Engine expected = setting == EngineSetting.DL4J || Engines.provider(Engine.ONEDNN).isEmpty() ? Engine.DL4J : Engine.ONEDNN;
        try (ForwardEngine f = Engines.forward(net); GradientEngine g = Engines.gradient(net)) {
            assertEquals(expected, f.engine(), "forward pass under inkwell.engine=" + System.getProperty(EngineSetting.PROPERTY));
            assertEquals(EngineSetting.forTraining() == EngineSetting.DL4J || Engines.provider(Engine.ONEDNN).isEmpty()
                    ? Engine.DL4J : Engine.ONEDNN, g.engine());
        }
    }
}
