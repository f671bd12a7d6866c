package org.inkwell.cli;

import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.model.Architecture;
import org.inkwell.model.ModelMetadata;
import org.inkwell.model.ModelStore;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Small inputs the CLI corpus tests write for themselves. */
final class Fixtures {
    private Fixtures() {
    }

    /** An untrained 32x32 U-Net saved as an Inkwell model zip at {@code file}. */
    static Path tinyModel(Path file) throws Exception {
        ModelStore.save(file, Architecture.UNET.build(32, new Adam(1e-3), 1),
                new ModelMetadata(1, "test", "unet", 32, "seed", 0, "pepper:0.1", 1, "test", 0, 0, Map.of(), null, null, "now"),
                null, false);
        return file;
    }

    /** Generated signature {@code index} as {@code folder/name}. */
    static Path signaturePng(Path folder, String name, int index) throws Exception {
        Files.createDirectories(folder);
        GrayImage g = new SignatureGenerator(3).generate(index);
        return ImageFiles.writePng(g.toBufferedImage(), folder.resolve(name));
    }
}
