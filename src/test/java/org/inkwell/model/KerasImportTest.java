package org.inkwell.model;

import org.inkwell.runtime.Dl4jRuntime;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KerasImportTest {
    /** The seed author's model lives in shared/, never in the project. */
    static final Path SEED_MODEL = Path.of("../shared/seed/re_binary.hdf5");

    @TempDir
    Path dir;

    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    @Test
    void copiedWeightsGiveTheSameOutputAsDl4jsOwnImport() throws Exception {
        assumeTrue(Files.exists(SEED_MODEL), "seed model not present beside the project");
        ComputationGraph raw = KerasImport.importRaw(SEED_MODEL);
        ModelStore.StoredModel ours = KerasImport.importSeed(SEED_MODEL);
        assertEquals(308_593, Architecture.trainableParameters(ours.net()));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 224, 224).gt(0.2).castTo(DataType.FLOAT);
        INDArray nchw = ours.net().outputSingle(x);
        INDArray nhwc = raw.outputSingle(x.permute(0, 2, 3, 1).dup()).permute(0, 3, 1, 2);
        double maxDiff = nchw.sub(nhwc).amaxNumber().doubleValue();
        assertTrue(maxDiff < 1e-5, "max difference " + maxDiff);

        // And it survives Inkwell's own model format.
        Path zip = dir.resolve("seed.zip");
        ModelStore.save(zip, ours.net(), ours.metadata(), ours.history(), false);
        assertEquals(nchw, ModelStore.load(zip, false).net().outputSingle(x));
    }

    @Test
    void otherFilesAreRefusedWithAMessage() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.hdf5"), "not hdf5");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> KerasImport.importSeed(junk));
        assertTrue(e.getMessage().contains("not a Keras model"), e.getMessage());
    }

    @Test
    void aKerasModelOfAnotherArchitectureIsRefusedByName() throws Exception {
        Path other = dir.resolve("two-conv.h5");
        KerasFiles.writeConvNet(other, 32, 4, 1);
        // DL4J itself reads the file: it is a valid Keras model, just not the seed network.
        ComputationGraph raw = KerasImport.importRaw(other);
        assertEquals(3 * 3 * 1 * 4 + 4 + 3 * 3 * 4 + 1, raw.numParams());
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> KerasImport.importSeed(other));
        assertTrue(e.getMessage().contains("2 layers with weights") && e.getMessage().contains("not the seed network"),
                e.getMessage());
        assertTrue(e.getMessage().contains("two-conv.h5"), e.getMessage());
    }
}
