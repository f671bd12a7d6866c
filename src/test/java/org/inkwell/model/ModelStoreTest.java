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

    /** A zip of the given names (each holding its name as text), as bytes. */
    private static byte[] zipOf(String... names) throws Exception {
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bo)) {
            for (String n : names) {
                z.putNextEntry(new ZipEntry(n));
                z.write(n.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return bo.toByteArray();
    }

    @Test
    void theLocalHeadersMustAgreeWithTheDirectory() throws Exception {
        Path ok = Files.write(dir.resolve("ok.zip"), zipOf("configuration.json", "coefficients.bin"));
        assertEquals(2, ZipLayout.read(ok).size());

        // The directory says coefficients.bin; the local header (what a streaming reader sees) says coefficientZ.bin.
        byte[] bytes = zipOf("configuration.json", "coefficientZ.bin");
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int last = text.lastIndexOf("coefficientZ.bin");
        bytes[last + "coefficient".length()] = 's'; // the central directory comes last
        Path mismatch = Files.write(dir.resolve("mismatch.zip"), bytes);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ZipLayout.read(mismatch));
        assertTrue(e.getMessage().contains("local header says 'coefficientZ.bin'"), e.getMessage());

        // A local entry the directory does not list (a second coefficients.bin for streaming readers).
        byte[] hidden = zipOf("configuration.json", "coefficients.bin");
        byte[] extra = zipOf("coefficients.bin");
        int extraEnd = new String(extra, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("PK\u0001\u0002");
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(hidden).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int cenOffset = in.getInt(hidden.length - 6);
        java.io.ByteArrayOutputStream withHidden = new java.io.ByteArrayOutputStream();
        withHidden.write(hidden, 0, cenOffset);
        withHidden.write(extra, 0, extraEnd); // the local entry, unlisted
        byte[] tail = java.util.Arrays.copyOfRange(hidden, cenOffset, hidden.length);
        java.nio.ByteBuffer.wrap(tail).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(tail.length - 6, cenOffset + extraEnd);
        withHidden.write(tail);
        Path smuggled = Files.write(dir.resolve("hidden.zip"), withHidden.toByteArray());
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(smuggled.toFile())) {
            assertEquals(2, z.size(), "the JDK sees only the listed entries");
        }
        e = assertThrows(ModelLoadException.class, () -> ZipLayout.read(smuggled));
        assertTrue(e.getMessage().contains("hidden entry"), e.getMessage());
    }

    @Test
    void aModelSavedByInkwellPassesEveryCheck() throws Exception {
        Path f = dir.resolve("checked.zip");
        ModelStore.save(f, Architecture.UNET.build(64, new Adam(1e-3), 5), meta("unet"), null, true);
        assertEquals(5, ZipLayout.read(f).size()); // configuration, coefficients, updater state, metadata, history
        ModelStore.load(f, true);
    }

    static ModelMetadata meta(String arch) {
        return new ModelMetadata(ModelMetadata.FORMAT_VERSION, "test", arch, 64, "seed", 0, "pepper:0.1", 7,
                "unit test", 2, 10, Map.of(), null, null, "2026-01-01T00:00:00Z");
    }
}
