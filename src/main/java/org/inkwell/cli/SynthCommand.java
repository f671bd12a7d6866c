package org.inkwell.cli;

import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.SignatureGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Writes signatures from the built-in generator as PNG files.")
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--count", defaultValue = "16", description = "Number of signatures (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--per-writer", defaultValue = "" + SignatureGenerator.DEFAULT_SAMPLES_PER_WRITER,
            description = "Specimens per generated writer (default ${DEFAULT-VALUE}).")
    int perWriter;

    @Option(names = {"-o", "--output"}, description = "Output folder for one PNG per signature.")
    Path out;

    @Option(names = "--grid", description = "Also write a contact sheet of the signatures (4 per row) to this PNG.")
    Path grid;

    @Option(names = "--scan", paramLabel = "LEVEL",
            description = "Render each signature as a scan of this difficulty (0-1, or a range like 0.2-0.8) and write NAME.png "
                    + "(the grey scan) with NAME-truth.png (its clean ink). A device spec renders devices instead: "
                    + "device:0.7, device:0.6-0.9:only=photocopier.")
    String scan;

    @Option(names = "--form-photos", paramLabel = "WxH", description = {"Write phone photos of signed forms instead",
            "(photo-NNNNNN.jpg, WIDTHxHEIGHT, e.g. 4000x3000): printed text and lines, dust, shadow, tilt, JPEG;",
            "the signature 5-40%% of the page wide. What evaluate --set photos scores the signature finder on."})
    String formPhotos;

    @Option(names = "--scale", defaultValue = "1", description = "Draw each signature this many times larger (a higher scan resolution; default ${DEFAULT-VALUE}).")
    int scale;

    /** Images scaled to fit cells of {@code cellW x cellH}, {@code columns} per row, with thin cell borders. */
    static java.awt.image.BufferedImage contactSheet(java.util.List<GrayImage> images, int columns, int cellW, int cellH) {
        int rows = Math.max(1, (images.size() + columns - 1) / columns);
        var sheet = new java.awt.image.BufferedImage(columns * cellW, rows * cellH, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = sheet.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        for (int i = 0; i < images.size(); i++) {
            GrayImage s = images.get(i);
            double scale = Math.min((cellW - 10) / (double) s.width(), (cellH - 10) / (double) s.height());
            int w = (int) (s.width() * scale);
            int h = (int) (s.height() * scale);
            int x = (i % columns) * cellW;
            int y = (i / columns) * cellH;
            g.drawImage(s.toBufferedImage(), x + (cellW - w) / 2, y + (cellH - h) / 2, w, h, null);
            g.setColor(new java.awt.Color(0xD6DAE1));
            g.drawRect(x, y, cellW - 1, cellH - 1);
        }
        g.dispose();
        return sheet;
    }

    @picocli.CommandLine.Mixin
    OutputOptions outputs;

    @Override
    public Integer call() throws Exception {
        Limits.range("--count", count, 0, org.inkwell.data.DataSources.MAX_SYNTHETIC);
        if (grid != null && count > Limits.MAX_GRID) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "--grid shows at most %d signatures (a contact sheet %,d pixels tall), got --count %,d: "
                            + "write them with -o and no --grid, or use a smaller --count", Limits.MAX_GRID,
                    Limits.MAX_GRID / 4 * 150, count));
        }
        if (scale < 1 || scale > 8) {
            throw new IllegalArgumentException("--scale must be between 1 and 8");
        }
        if (out == null && grid == null) {
            throw new IllegalArgumentException("give -o FOLDER and/or --grid FILE.png");
        }
        org.inkwell.data.OutputPolicy policy = outputs.policy();
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException(out + ": is a file, not a folder; -o takes the folder to write into");
        }
        if (grid != null) {
            policy.check(grid, org.inkwell.data.OutputPolicy.Kind.PNG);
        }
        if (formPhotos != null) {
            return writeFormPhotos(policy);
        }
        SignatureGenerator gen = new SignatureGenerator(seed, perWriter);
        java.util.List<GrayImage> images = new java.util.ArrayList<>();
        // Every name is checked before anything is written: a refused run writes nothing and makes no folder.
        if (out != null) {
            for (int i = 0; i < count; i++) {
                policy.check(out.resolve(String.format("signature-%06d.png", i)), org.inkwell.data.OutputPolicy.Kind.PNG);
                if (scan != null) {
                    policy.check(out.resolve(String.format("signature-%06d-truth.png", i)), org.inkwell.data.OutputPolicy.Kind.PNG);
                }
            }
        }
        boolean made = out != null && !Files.exists(out);
        try (org.inkwell.data.RunLock lock = out == null ? null
                : org.inkwell.data.RunLock.folder(Files.createDirectories(out))) {
            return write(gen, images, policy);
        } catch (Exception | Error e) {
            if (made) {
                deleteIfEmpty(out);
            }
            throw e;
        }
    }

    private int writeFormPhotos(org.inkwell.data.OutputPolicy policy) throws Exception {
        String[] wh = formPhotos.toLowerCase(java.util.Locale.ROOT).split("x");
        if (wh.length != 2 || !wh[0].matches("\\d{3,5}") || !wh[1].matches("\\d{3,5}")) {
            throw new IllegalArgumentException("--form-photos must be WIDTHxHEIGHT, e.g. 4000x3000, got '" + formPhotos + "'");
        }
        int w = Limits.range("--form-photos", Integer.parseInt(wh[0]), 200, 12_000);
        int h = Limits.range("--form-photos", Integer.parseInt(wh[1]), 200, 12_000);
        if (out == null) {
            throw new IllegalArgumentException("--form-photos writes into a folder: give -o FOLDER");
        }
        for (int i = 0; i < count; i++) {
            policy.check(out.resolve(String.format("photo-%06d.jpg", i)), org.inkwell.data.OutputPolicy.Kind.JPEG);
        }
        Files.createDirectories(out);
        try (org.inkwell.data.RunLock lock = org.inkwell.data.RunLock.folder(out)) {
            for (int i = 0; i < count; i++) {
                byte[] jpeg = org.inkwell.data.FormPhotos.render(seed, i, count, w, h).jpeg();
                policy.write(out.resolve(String.format("photo-%06d.jpg", i)), org.inkwell.data.OutputPolicy.Kind.JPEG,
                        o -> o.write(jpeg));
            }
        }
        System.out.println("wrote " + count + " photos of signed forms to " + out);
        return 0;
    }

    private static void deleteIfEmpty(java.nio.file.Path folder) {
        try (var s = Files.list(folder)) {
            if (s.findAny().isEmpty()) {
                Files.deleteIfExists(folder);
            }
        } catch (java.io.IOException e) {
            // Left as it is.
        }
    }

    private int write(SignatureGenerator gen, java.util.List<GrayImage> images, org.inkwell.data.OutputPolicy policy)
            throws java.io.IOException {
        org.inkwell.data.ScanRenderer degrade = scan == null ? null : (org.inkwell.data.ScanRenderer)
                org.inkwell.data.NoiseModel.parse(scan.startsWith("device:") ? scan : "scan:" + scan);
        for (int i = 0; i < count; i++) {
            GrayImage img = gen.generate(i);
            if (scale > 1) {
                // Smooth before the threshold so strokes grow round, not blocky.
                GrayImage big = org.inkwell.data.Preprocess.resizeNearest(img, img.width() * scale, img.height() * scale);
                img = new GrayImage(big.width(), big.height(),
                        org.inkwell.data.Filters.gaussian(big.pixels(), big.width(), big.height(), 0.4 * scale)).threshold(0.5);
            }
            if (degrade != null) {
                var pair = degrade.render(img, new java.util.SplittableRandom(org.inkwell.data.Seeds.mix(seed, i, 0x5CA7L)));
                img = pair.noisy();
                if (out != null) {
                    ImageFiles.writePng(pair.clean().toBufferedImage(), out.resolve(String.format("signature-%06d-truth.png", i)), policy);
                }
            }
            if (out != null) {
                ImageFiles.writePng(img.toBufferedImage(), out.resolve(String.format("signature-%06d.png", i)), policy);
            }
            if (grid != null) {
                images.add(img);
            }
        }
        if (out != null) {
            System.out.println("wrote " + count + " signatures to " + out);
        }
        if (grid != null) {
            ImageFiles.writePng(contactSheet(images, 4, 300, 150), grid, policy);
            System.out.println("wrote contact sheet " + grid);
        }
        return 0;
    }
}
