package org.inkwell.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parameter averaging on {@code local[2]} is the same step as one machine's: with plain SGD, two workers of 4
 * examples averaged after every step equal one step on the merged batch of 8; with Adam, the averaged optimizer
 * state comes back too. The workers step through the oneDNN training plans, as the local trainer does.
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
        return net(new Sgd(0.5));
    }

    private static ComputationGraph net(org.nd4j.linalg.learning.config.IUpdater updater) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(updater)
                .dataType(DataType.FLOAT).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(16, 16, 1))
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build(), "in")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(1).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "c1")
                .addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.SIGMOID).build(), "c2")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void averagingEveryStepOfTwoWorkersEqualsOneStepOnTheMergedBatch() {
        averagingEveryStepEqualsOneStepOnTheMergedBatch(sc);
    }

    /** Also run by {@link SparkClusterTest} with the workers in executor JVMs of their own. */
    static void averagingEveryStepEqualsOneStepOnTheMergedBatch(JavaSparkContext sc) {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 16, 16);
        INDArray y = Nd4j.rand(DataType.FLOAT, 8, 1, 16, 16).gt(0.5).castTo(DataType.FLOAT);

        ComputationGraph local = net();
        INDArray before = local.params().dup();
        local.fit(new DataSet(x, y));

        ComputationGraph start = net();
        assertTrue(org.inkwell.train.TrainingPlanAccess.planned(start), "the workers should step through the plans");
        DataSet first = new DataSet(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).dup(),
                y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).dup());
        DataSet second = new DataSet(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 8)).dup(),
                y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 8)).dup());
        ComputationGraph averaged = new PlannedAveraging(sc, 1).fit(start, sc.parallelize(List.of(first, second), 2));
        assertEquals(1, averaged.getIterationCount());

        double moved = local.params().sub(before).norm2Number().doubleValue();
        double diff = local.params().sub(averaged.params()).norm2Number().doubleValue();
        assertTrue(moved > 1e-3, "the step changed the parameters: " + moved);
        assertTrue(diff < 1e-5 * Math.max(1, local.params().norm2Number().doubleValue()),
                "averaged workers and the merged step differ by " + diff + " (the step moved " + moved + ")");
    }

    @Test
    void adamsStateIsAveragedAndTheScoreIsTheWorkersMeanBatchScore() {
        adamsStateIsAveraged(sc);
    }

    /** Also run by {@link SparkClusterTest} with the workers in executor JVMs of their own. */
    static void adamsStateIsAveraged(JavaSparkContext sc) {
        Nd4j.getRandom().setSeed(12);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 16, 16);
        INDArray y = x.gt(0.5).castTo(DataType.FLOAT);
        DataSet first = new DataSet(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).dup(),
                y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).dup());
        DataSet second = new DataSet(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 8)).dup(),
                y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 8)).dup());
        // Each worker alone, from the same start: the average of their results is what the round must give.
        ComputationGraph one = net(new org.nd4j.linalg.learning.config.Adam(1e-2));
        ComputationGraph two = one.clone();
        ComputationGraph start = one.clone();
        double s1 = one.score(first);
        double s2 = two.score(second);
        one.fit(first);
        two.fit(second);
        PlannedAveraging averaging = new PlannedAveraging(sc, 1);
        ComputationGraph averaged = averaging.fit(start, sc.parallelize(List.of(first, second), 2));
        INDArray expectedState = one.getUpdater().getStateViewArray().add(two.getUpdater().getStateViewArray()).divi(2);
        INDArray expectedParams = one.params().add(two.params()).divi(2);
        assertTrue(expectedState.sub(averaged.getUpdater().getStateViewArray()).norm2Number().doubleValue()
                < 1e-4 * expectedState.norm2Number().doubleValue(), "Adam's averaged state");
        assertTrue(expectedParams.sub(averaged.params()).norm2Number().doubleValue()
                < 1e-5 * expectedParams.norm2Number().doubleValue(), "averaged parameters");
        assertEquals((s1 + s2) / 2, averaging.score(), 1e-4 * s1, "the workers' mean batch score");
    }

    @Test
    void unevenPartitionsRunTheirRoundsAndCountTheSteps() {
        Nd4j.getRandom().setSeed(13);
        List<DataSet> batches = new java.util.ArrayList<>();
        for (int b = 0; b < 5; b++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 16, 16);
            batches.add(new DataSet(x, x.gt(0.5).castTo(DataType.FLOAT)));
        }
        ComputationGraph net = net(new org.nd4j.linalg.learning.config.Adam(1e-2));
        INDArray before = net.params().dup();
        PlannedAveraging averaging = new PlannedAveraging(sc, 2);
        // Partitions of 3 and 2 batches, averaging every 2: round one has both workers (2 steps each), round two only
        // the first (1 step). The step count follows the slower worker of each round.
        averaging.fit(net, sc.parallelize(batches, 2));
        assertEquals(3, net.getIterationCount());
        assertTrue(Double.isFinite(averaging.score()) && averaging.score() > 0);
        assertTrue(net.params().sub(before).norm2Number().doubleValue() > 1e-4, "the network trained");
    }
}
