package org.inkwell.cli;

import org.inkwell.data.Binarizer;
import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.ScanDegradation;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.model.Architecture;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.model.InkExport;
import org.inkwell.model.ModelInput;
import org.inkwell.model.ModelMetadata;
import org.inkwell.model.ModelStore;
import org.inkwell.model.TrainingHistory;
import org.inkwell.ui.service.AppContext;
import org.inkwell.ui.task.DirectTaskExecutor;
import org.inkwell.ui.service.ModelService;
import org.inkwell.ui.TestContexts;
import org.inkwell.ui.compare.CompareViewModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scans as people make them: grey and colour reach a grey model as they are; exports people paste into documents. */
class RealScansTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    private static ModelStore.StoredModel tiny(String noise) {
        return new ModelStore.StoredModel(Architecture.UNET.build(64, new Adam(1e-3), 1),
                new ModelMetadata(1, "test", "unet", 64, "fit", 0, noise, 1, "test", 0, 0, Map.of(), null, null, "now"),
                new TrainingHistory(), noise);
    }

    /** A scan and a copy whose grey levels differ but which binarize to the same image. */
    private static GrayImage[] sameInkDifferentGrey() {
        GrayImage scan = ScanDegradation.all(0.5, 0.5).render(new SignatureGenerator(8).generate(0), new SplittableRandom(3)).noisy();
        // Shuffle the paper's grey levels among paper pixels: the histogram, so Otsu's threshold and result, stay the same.
        float[] shuffled = scan.pixels().clone();
        java.util.List<Integer> paper = new java.util.ArrayList<>();
        for (int i = 0; i < shuffled.length; i++) {
            if (shuffled[i] > 0.8f) {
                paper.add(i);
            }
        }
        java.util.List<Float> values = new java.util.ArrayList<>(paper.stream().map(i -> shuffled[i]).toList());
        java.util.Collections.shuffle(values, new java.util.Random(5));
        for (int k = 0; k < paper.size(); k++) {
            shuffled[paper.get(k)] = values.get(k);
        }
        GrayImage other = new GrayImage(scan.width(), scan.height(), shuffled);
        assertNotEquals(scan, other);
        assertEquals(Binarizer.binarize(scan), Binarizer.binarize(other));
        return new GrayImage[]{scan, other};
    }

    @Test
    void aGreyModelReadsTheGreyScanAndABinaryModelItsOtsuImage() throws Exception {
        assertEquals(ModelInput.GREY, ModelInput.of(tiny("scanmix:0.0-1.0").metadata()));
        assertEquals(ModelInput.BINARY, ModelInput.of(tiny("mixed:0.05-0.45").metadata()));
        GrayImage[] pair = sameInkDifferentGrey();
        assertFalse(Binarizer.isBinary(ModelInput.GREY.prepare(pair[0])), "not binarized on the way in");
        for (String noise : List.of("scanmix:0.0-1.0", "pepper:0.2")) {
            ModelService models = new ModelService(new DirectTaskExecutor());
            models.use(tiny(noise), noise).get();
            GrayImage a = models.reconstruct(pair[0]).get();
            GrayImage b = models.reconstruct(pair[1]).get();
            if (noise.startsWith("scan")) {
                assertNotEquals(a, b, "a grey model sees the grey levels");
            } else {
                assertEquals(a, b, "a binary model sees only the binarized scan");
            }
        }
    }

    @Test
    void compareShowsTheColourScanAndCleansItsGreyLevels() throws Exception {
        BufferedImage colour = new BufferedImage(220, 90, BufferedImage.TYPE_INT_RGB);
        var g = colour.createGraphics();
        g.setColor(new java.awt.Color(245, 238, 220)); // cream paper
        g.fillRect(0, 0, 220, 90);
        g.setColor(new java.awt.Color(30, 50, 160)); // blue ink
        g.setStroke(new java.awt.BasicStroke(3f));
        g.drawLine(20, 60, 200, 30);
        g.dispose();
        Path file = dir.resolve("blue.png");
        ImageIO.write(colour, "png", file.toFile());
        AppContext ctx = TestContexts.direct();
        ctx.models().use(tiny("scanmix:0.0-1.0"), "grey").get();
        CompareViewModel vm = TestContexts.compare(ctx);
        vm.openFiles(List.of(file));
        long end = System.currentTimeMillis() + 30_000;
        while ((vm.resultProperty().get() == null || vm.workingProperty().get()) && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        BufferedImage shown = vm.scanImageProperty().get();
        assertEquals(new java.awt.Color(30, 50, 160).getRGB(), shown.getRGB(110, 45) | 0xFF000000, "the Input side shows the user's colours");
        assertFalse(Binarizer.isBinary(vm.originalProperty().get()), "the scan stays grey on its way to the model");
        assertEquals(220, vm.resultProperty().get().width());
    }

    @Test
    void transparentExportHasSmoothEdgesInTheChosenColourAndCrops() {
        // Probabilities across a soft stroke: paper 1, ink 0, a ramp between.
        float[] p = new float[40 * 20];
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                p[y * 40 + x] = (float) Math.min(1, Math.abs(x - 20) / 6.0);
            }
        }
        GrayImage probs = new GrayImage(40, 20, p);
        BufferedImage t = InkExport.render(probs, 0.5, new InkExport.Style(true, InkExport.BLUE, false, 0));
        assertEquals(255, t.getRGB(20, 10) >>> 24, "solid inside the stroke");
        assertEquals(0, t.getRGB(0, 10) >>> 24, "clear on paper");
        int partial = 0;
        for (int x = 0; x < 40; x++) {
            int a = t.getRGB(x, 10) >>> 24;
            partial += a > 0 && a < 255 ? 1 : 0;
        }
        assertTrue(partial >= 2, "partial alpha on the stroke edges");
        assertEquals(InkExport.BLUE, t.getRGB(20, 10) & 0xFFFFFF);
        // Whatever the threshold, paper stays clear and certain ink solid.
        for (double threshold : new double[]{0.05, 0.95}) {
            BufferedImage e = InkExport.render(probs, threshold, new InkExport.Style(true, InkExport.BLACK, false, 0));
            assertEquals(0, e.getRGB(0, 10) >>> 24, "paper at threshold " + threshold);
            assertEquals(255, e.getRGB(20, 10) >>> 24, "ink at threshold " + threshold);
        }
        BufferedImage cropped = InkExport.render(probs, 0.5, new InkExport.Style(true, InkExport.BLACK, true, 2));
        assertTrue(cropped.getWidth() < 20, "cropped to the ink and a margin: " + cropped.getWidth());
    }

    @Test
    void denoiseCleansAWebpAndAOnePagePdfAsTransparentBlueInk() throws Exception {
        Path model = dir.resolve("grey.zip");
        ModelStore.StoredModel m = tiny("scanmix:0.0-1.0");
        ModelStore.save(model, m.net(), m.metadata(), m.history(), false);
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.write(in.resolve("phone.webp"), java.util.Base64.getDecoder().decode(org.inkwell.data.ScanDegradationTestAccess.WEBP));
        try (var doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            var page = new org.apache.pdfbox.pdmodel.PDPage(new org.apache.pdfbox.pdmodel.common.PDRectangle(144, 72));
            doc.addPage(page);
            var image = org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory.createFromImage(doc,
                    new SignatureGenerator(2).generate(0).toBufferedImage());
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                content.drawImage(image, 0, 0, 144, 72);
            }
            doc.save(in.resolve("signed.pdf").toFile());
        }
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("denoise", in.toString(), "-o", out.toString(), "--model", model.toString(),
                "--transparent", "--ink-colour", "blue");
        assertEquals(0, r.code(), r.err());
        BufferedImage pdf = ImageIO.read(out.resolve("signed.png").toFile());
        assertEquals(400, pdf.getWidth()); // 2 inches at 200 dpi
        assertTrue(pdf.getColorModel().hasAlpha());
        assertTrue(ImageIO.read(out.resolve("phone.png").toFile()).getColorModel().hasAlpha());
        assertTrue(CliTest.run("denoise", in.toString(), "-o", out.toString(), "--ink-colour", "green").err().contains("#RRGGBB"));
    }
}
