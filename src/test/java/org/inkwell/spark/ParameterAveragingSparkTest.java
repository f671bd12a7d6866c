package org.inkwell.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.inkwell.runtime.Dl4jRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's parameter averaging on {@code local[2]} is the same step as one machine's: with plain SGD, two workers
 * of 4 examples averaged after every step equal one step on the merged batch of 8.
 */
class ParameterAveragingSparkTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        Dl4jRuntime.init();
        sc = SparkContexts.start("local[2]");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** A small conv net without BatchNorm (whose batch statistics would differ between 4 and 8 examples). */
    private static ComputationGraph net() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.5))
                .dataType(DataType.FLOAT).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(16, 16, 1))
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build(), "in")
                .addLayer("c2", new ConvolutionLayer.Builder(1, 1).nOut(1).activation(Activation.IDENTITY).build(), "c1")
                .addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.SIGMOID).build(), "c2")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void averagingEveryStepOfTwoWorkersEqualsOneStepOnTheMergedBatch() {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 16, 16);
        INDArray y = Nd4j.rand(DataType.FLOAT, 8, 1, 16, 16).gt(0.5).castTo(DataType.FLOAT);

        ComputationGraph local = net();
        INDArray before = local.params().dup();
        local.fit(new DataSet(x, y));

        ComputationGraph start = net();
        SparkComputationGraph spark = new SparkComputationGraph(sc, start, SparkTrainer.parameterAveraging(4, 1, 1));
        DataSet first = new DataSet(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).dup(),
                y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).dup());
        DataSet second = new DataSet(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 8)).dup(),
                y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 8)).dup());
        ComputationGraph averaged = spark.fit(sc.parallelize(List.of(first, second), 2));

        double moved = local.params().sub(before).norm2Number().doubleValue();
        double diff = local.params().sub(averaged.params()).norm2Number().doubleValue();
        assertTrue(moved > 1e-3, "the step changed the parameters: " + moved);
        assertTrue(diff < 1e-5 * Math.max(1, local.params().norm2Number().doubleValue()),
                "averaged workers and the merged step differ by " + diff + " (the step moved " + moved + ")");
    }
}
