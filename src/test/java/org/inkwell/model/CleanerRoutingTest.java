package org.inkwell.model;

import org.inkwell.data.Binarizer;
import org.inkwell.data.DeviceDegradation;
import org.inkwell.data.GrayImage;
import org.inkwell.data.Preprocess;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.data.TrainingPair;
import org.inkwell.eval.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled model's per-image choice of network. Mutations caught: the pepper test dropped (the peppered scan goes
 * to the main network) or inverted (the clean scan goes to the specialist), the specialist used for a model that is
 * not the bundled one, the binary test after the pepper test (a binary image with pepper would go to the grey
 * specialist), the label not naming the specialist.
 */
class CleanerRoutingTest {
    private static final GrayImage CLEAN = Preprocess.apply(new SignatureGenerator(23).generate(4), Preprocess.Mode.FIT, 224);

    private static TrainingPair render(DeviceDegradation.Phenomenon p, double level) {
        return DeviceDegradation.only(level, p).render(CLEAN, new SplittableRandom(5));
    }

    @Test
    void pepperedGreyScansGoToThePepperSpecialistAndOthersDoNot() throws Exception {
        TrainingPair pepper = render(DeviceDegradation.Phenomenon.DARK_PEPPER, 0.45);
        TrainingPair pen = render(DeviceDegradation.Phenomenon.PEN_TYPE, 0.5);
        try (Cleaner cleaner = Cleaner.of(ModelStore.loadBundled());
             Denoiser specialist = new Denoiser(ModelStore.loadBundledPepper().net());
             Denoiser main = new Denoiser(ModelStore.loadBundled().net())) {
            GrayImage routed = cleaner.reconstruct(pepper.noisy());
            assertEquals("pepper specialist", cleaner.lastNetwork());
            assertTrue(cleaner.lastEngine().startsWith("pepper specialist, "), cleaner.lastEngine());
            GrayImage own = specialist.reconstruct(pepper.noisy(), ModelInput.GREY.tilePrep(pepper.noisy()), (d, t) -> { });
            assertArrayEquals(own.pixels(), routed.pixels(), 1e-6f, "the specialist's own output");
            // what the routing is for: this scan (the seed's pepper at about 20 % on a grey scan) cleans better
            GrayImage byMain = main.reconstruct(pepper.noisy(), ModelInput.GREY.tilePrep(pepper.noisy()), (d, t) -> { });
            double fSpecialist = Metrics.fmeasure(pepper.clean(), routed.threshold(0.5));
            double fMain = Metrics.fmeasure(pepper.clean(), byMain.threshold(0.5));
            assertTrue(fSpecialist > fMain, "specialist F " + fSpecialist + ", main network F " + fMain);

            cleaner.reconstruct(pen.noisy());
            assertEquals("main", cleaner.lastNetwork(), "a scan without pepper stays with the main network");
            assertTrue(!cleaner.lastEngine().contains("specialist"), cleaner.lastEngine());

            GrayImage binaryPepper = Binarizer.binarize(pepper.noisy());
            cleaner.reconstruct(binaryPepper);
            assertEquals("binary specialist", cleaner.lastNetwork(), "black and white goes to the binary specialist first");
        }
    }

    @Test
    void aModelFromAFileUsesItsOwnNetworkForEveryScan(@TempDir Path dir) throws Exception {
        ModelStore.StoredModel bundled = ModelStore.loadBundled();
        Path file = ModelStore.save(dir.resolve("mine.zip"), bundled.net(), bundled.metadata(), bundled.history(), false);
        try (Cleaner cleaner = Cleaner.of(ModelStore.load(file, false))) {
            cleaner.reconstruct(render(DeviceDegradation.Phenomenon.DARK_PEPPER, 0.45).noisy());
            assertEquals("main", cleaner.lastNetwork());
        }
    }
}
