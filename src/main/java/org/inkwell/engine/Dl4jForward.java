package org.inkwell.engine;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** DL4J's own forward pass (inference mode); its arrays are closed as soon as the result is copied out. */
final class Dl4jForward implements ForwardEngine {
    private final ComputationGraph net;

    Dl4jForward(ComputationGraph net) {
        this.net = net;
    }

    @Override
    public Engine engine() {
        return Engine.DL4J;
    }

    @Override
    public float[] forward(float[] x, int n, int h, int w) {
        try (INDArray in = Nd4j.create(x, new long[]{n, 1, h, w}, 'c')) {
            INDArray out = net.outputSingle(false, in);
            try (INDArray plain = out.dup('c')) {
                return plain.data().asFloat(); // copied out: safe to hand to another thread
            } finally {
                if (out != in && !out.wasClosed()) {
                    out.close();
                }
            }
        }
    }

    @Override
    public void close() {
        // Nothing of its own: the network's arrays belong to the network.
    }
}
