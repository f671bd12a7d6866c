package org.inkwell.model;

import org.inkwell.train.TrainingStep;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.runtime.OpProfile;
import org.inkwell.train.TinyModels;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelStoreTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    static ModelMetadata meta() {
        TrainingConfig c = TinyModels.config("seed", TrainingConfig.ADAM, 1, 1);
        return new ModelMetadata(ModelMetadata.FORMAT_VERSION, "test", "seed", 64, "seed", 32, "pepper:0.1", 7,
                "unit test", 2, 10, Map.of("val_bce", 0.25), c, "inkwell train ...", "2026-01-01T00:00:00Z");
    }

    @Test
    void roundTripKeepsOutputsMetadataAndHistory() throws Exception {
        ComputationGraph net = Architecture.SEED.build(64, new Adam(1e-3), 5);
        TrainingHistory h = new TrainingHistory();
        h.addIteration(0.5);
        h.addEpoch(new TrainingHistory.Epoch(1, 10, 0.5, 0.4, 80.0, 3.0));
        Path f = dir.resolve("m.zip");
        ModelStore.save(f, net, meta(), h, true);
        ModelStore.StoredModel back = ModelStore.load(f, true);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, 64, 64);
        assertEquals(net.outputSingle(x), back.net().outputSingle(x));
        assertEquals(meta(), back.metadata());
        assertEquals(1, back.history().epochs().size());
        assertEquals(0.4, back.history().epochs().get(0).valLoss());
        assertEquals(Architecture.SEED, back.architecture());
    }

    @Test
    void modelsSavedWithoutTheActivationCacheTrainWithIt() throws Exception {
        // Checkpoints from before Inkwell cached activations would otherwise run every convolution twice per step.
        var conf = Architecture.SEED.configuration(32, new Adam(1e-3), 5);
        conf.setCacheMode(org.deeplearning4j.nn.conf.CacheMode.NONE);
        ComputationGraph old = new ComputationGraph(conf);
        old.init();
        Path f = dir.resolve("old.zip");
        ModelStore.save(f, old, meta(), null, true);
        ComputationGraph back = ModelStore.load(f, true).net();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32);
        INDArray y = x.gt(0.5).castTo(DataType.FLOAT);
        TrainingStep.fit(back, x, y);
        try (OpProfile p = OpProfile.start()) {
            TrainingStep.fit(back, x, y);
            assertEquals(14, p.ops().stream().filter(o -> o.op().equals("conv2d")).mapToLong(OpProfile.OpTime::calls).sum());
        }
    }

    @Test
    void refusesFilesThatAreNotModels() throws Exception {
        Path text = Files.writeString(dir.resolve("notazip.zip"), "hello");
        assertTrue(assertThrows(ModelLoadException.class, () -> ModelStore.load(text, false)).getMessage().contains("not a valid zip"));

        Path good = dir.resolve("good.zip");
        ModelStore.save(good, Architecture.SEED.build(64, new Adam(1e-3), 5), meta(), null, false);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.zip"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(ModelLoadException.class, () -> ModelStore.load(truncated, false));

        assertThrows(ModelLoadException.class, () -> ModelStore.load(dir.resolve("missing.zip"), false));
    }

    @Test
    void refusesPathTraversalAndUnknownEntries() throws Exception {
        Path evil = dir.resolve("evil.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(evil))) {
            z.putNextEntry(new ZipEntry("../../etc/passwd"));
            z.write(1);
            z.closeEntry();
        }
        assertTrue(assertThrows(ModelLoadException.class, () -> ModelStore.load(evil, false)).getMessage().contains("unsafe"));
        Path serialized = dir.resolve("objects.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(serialized))) {
            z.putNextEntry(new ZipEntry("configuration.json"));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("coefficients.bin"));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("normalizer.bin"));
            z.closeEntry();
        }
        assertTrue(assertThrows(ModelLoadException.class, () -> ModelStore.load(serialized, false)).getMessage().contains("unexpected entry"));
    }

    @Test
    void refusesADl4jNetworkThatIsNotAnImageDenoiser() throws Exception {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in")
                .addLayer("dense", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(10).nOut(4).build(), "in")
                .addLayer("out", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(4).nOut(2).build(), "dense")
                .setOutputs("out").build();
        ComputationGraph classifier = new ComputationGraph(conf);
        classifier.init();
        Path f = dir.resolve("classifier.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(classifier, f.toFile(), false);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelStore.load(f, false));
        assertTrue(e.getMessage().contains("one-channel image") || e.getMessage().contains("image-to-image"), e.getMessage());
    }
}
