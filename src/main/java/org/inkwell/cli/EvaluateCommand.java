package org.inkwell.cli;

import org.inkwell.data.GrayImage;
import org.inkwell.data.CsvText;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.OutputPolicy;
import org.inkwell.data.NoiseModel;
import org.inkwell.data.SignatureSource;
import org.inkwell.model.Denoiser;
import org.inkwell.eval.Evaluator;
import org.inkwell.model.KerasImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The quality tables: Inkwell's models beside classical filters on fixed, seeded evaluation sets.
 * <p>Longer than most classes: each evaluation set's rows (Inkwell beside the classical filters) are built side by
 * side so the tables stay comparable.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Compares denoising methods on the same noisy images: F-measure (%%), PSNR (dB), DRD.",
                "Without --data it uses held-out generated signatures that training never sees."})
final class EvaluateCommand implements Callable<Integer> {
    static final String CSV_HEADER = "noise,method,images,fmeasure,psnr,drd";

    @Mixin
    DataOptions data;

    @Option(names = "--noise", split = ",", defaultValue = "0.05,0.1,0.2,0.3,0.4", description = "Noise densities (default ${DEFAULT-VALUE}).")
    double[] densities;

    @Option(names = "--noise-type", defaultValue = "pepper", description = "pepper, salt or saltpepper (default ${DEFAULT-VALUE}).")
    String noiseType;

    @Option(names = "--method", split = ",", defaultValue = "model,seed,noisy,median3,median5,components",
            description = "Methods to compare (default ${DEFAULT-VALUE}).")
    List<String> methods;

    @Mixin
    ModelOption model;

    @Option(names = "--seed-model", defaultValue = "../shared/seed/re_binary.hdf5", description = "The seed author's Keras model (default ${DEFAULT-VALUE}).")
    Path seedModel;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for the evaluation images and noise (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--size", defaultValue = "224", description = "Images are resized to this side first, as the seed does (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--threshold", defaultValue = "0.5", description = "Threshold for network outputs (default ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--csv", description = "Also write the table as CSV.")
    Path csv;

    @Option(names = "--set", defaultValue = "signatures",
            description = "signatures or thin (fine strokes, i-dots) with impulse noise; scans (ordinary scans) or scans-hard "
                    + "(faint ink, shadows, heavy dust) rendered from the held-out signatures, or from --data; device or "
                    + "device-hard: pens, paper, photocopiers, cameras and the seed's pepper on grey scans (see --family); "
                    + "photos: the signature finder on phone photos of signed forms (see --photos).")
    String set;

    @Option(names = "--level", description = "Difficulty range for the scan and device sets, e.g. 0.3-0.6 (default: scans 0-0.35, "
            + "scans-hard 0.65-1, device 0.1-0.5, device-hard 0.55-1).")
    String level;

    @Option(names = "--family", defaultValue = "all",
            description = "For the device sets: pen, paper, photocopier, camera, pepper (every image shows that family), or all (default).")
    String family;

    @Option(names = "--photos", defaultValue = "20", description = "Number of photos for --set photos (default ${DEFAULT-VALUE}).")
    int photos;

    @Option(names = "--photo-size", defaultValue = "4000x3000", description = "Size of the photos for --set photos (default ${DEFAULT-VALUE}).")
    String photoSize;

    @Option(names = "--figure", description = "Write a picture of a few samples: clean, noisy, then each method.")
    Path figure;

    @Option(names = "--figure-noise", defaultValue = "0.3", description = "Noise density for --figure (default ${DEFAULT-VALUE}).")
    double figureNoise;

    @Mixin
    OutputOptions outputs;

    static final List<String> SCAN_METHODS = List.of("model", "otsu", "sauvola", "otsu-cc", "sauvola-cc", "median3", "median5");

    @Override
    public Integer call() throws Exception {
        Limits.size("--size", size);
        if (!List.of("signatures", "thin", "scans", "scans-hard", "device", "device-hard", "photos").contains(set)) {
            throw new IllegalArgumentException("--set must be signatures, thin, scans, scans-hard, device, device-hard or photos");
        }
        if (set.equals("photos")) {
            OutputPolicy policy = outputs.policy().protect(model.path());
            checkOutputs(policy);
            String[] wh = photoSize.toLowerCase(Locale.ROOT).split("x");
            if (wh.length != 2 || !wh[0].matches("\\d{2,5}") || !wh[1].matches("\\d{2,5}")) {
                throw new IllegalArgumentException("--photo-size must be WIDTHxHEIGHT, e.g. 4000x3000, got '" + photoSize + "'");
            }
            int pw = Integer.parseInt(wh[0]);
            int ph = Integer.parseInt(wh[1]);
            Limits.range("--photo-size", Math.min(pw, ph), 200, 12_000);
            Limits.range("--photo-size", Math.max(pw, ph), 200, 12_000);
            Limits.range("--photos", photos, 1, 1000);
            return PhotoEvaluation.run(org.inkwell.model.Cleaner.of(model.load()), photos, pw, ph, seed, csv, policy);
        }
        if (set.startsWith("scans") || set.startsWith("device")) {
            return scans();
        }
        SignatureSource source = data.evaluation(seed, 100, set.equals("thin"));
        OutputPolicy policy = outputs.policy().protectAll(DataOptions.files(source)).protect(model.path()).protect(seedModel);
        checkOutputs(policy);
        List<GrayImage> images = DataOptions.load(source, size).images();
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to evaluate");
        }
        List<Evaluator.Method> ms = new ArrayList<>();
        for (String m : methods) {
            String name = m.trim().toLowerCase(Locale.ROOT);
            Evaluator.Method classical = Evaluator.classical(name);
            if (classical != null) {
                ms.add(classical);
            } else if (name.equals("model")) {
                // The images here are black and white: the bundled model cleans them with its binary specialist.
                ms.add(Evaluator.network("model", org.inkwell.model.Cleaner.of(model.load()).denoiserFor(true), threshold));
            } else if (name.equals("seed")) {
                ms.add(Evaluator.network("seed", new Denoiser(KerasImport.importSeed(seedModel).net()), threshold));
            } else {
                throw new IllegalArgumentException("unknown method '" + m + "' (use model, seed, noisy, median3, median5, components)");
            }
        }
        NoiseModel noise = NoiseModel.parse(noiseType + ":0");
        System.out.println("evaluating " + images.size() + " images from " + source.description());
        List<Evaluator.Row> rows = Evaluator.run(images, noise, densities, ms, seed);
        Table table = print(rows);
        if (figure != null) {
            // Four different writers, not four specimens of one.
            List<GrayImage> picked = new ArrayList<>();
            int step = Math.max(1, images.size() / 4);
            for (int i = 0; i < images.size() && picked.size() < 4; i += step) {
                picked.add(images.get(i));
            }
            ImageFiles.writePng(figure(picked, noise.withDensity(figureNoise), ms), figure, policy);
            System.out.println("wrote " + figure);
        }
        writeCsv(table, policy);
        return 0;
    }

    /** Scans rendered from clean signatures at their own size; the model reads them as it was trained to. */
    private int scans() throws Exception {
        SignatureSource source = data.evaluation(seed, 100, false);
        OutputPolicy policy = outputs.policy().protectAll(DataOptions.files(source)).protect(model.path()).protect(seedModel);
        checkOutputs(policy);
        String range = level != null ? level : set.equals("scans") ? "0.0-0.35" : set.equals("scans-hard") ? "0.65-1.0"
                : set.equals("device") ? "0.1-0.5" : "0.55-1.0";
        org.inkwell.data.ScanRenderer degradation = (org.inkwell.data.ScanRenderer) NoiseModel.parse(set.startsWith("scans")
                ? "scan:" + range : "device:" + range + (family.equals("all") ? "" : ":only=" + family));
        List<GrayImage> images = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            try {
                images.add(org.inkwell.data.Binarizer.binarize(source.load(i)));
            } catch (org.inkwell.data.ImageLoadException e) {
                System.err.println("inkwell: " + e.getMessage());
            }
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to evaluate");
        }
        boolean defaults = methods.equals(List.of("model", "seed", "noisy", "median3", "median5", "components"));
        List<Evaluator.Method> ms = new ArrayList<>();
        for (String m : defaults ? SCAN_METHODS : methods) {
            String name = m.trim().toLowerCase(Locale.ROOT);
            Evaluator.Method classical = Evaluator.scanClassical(name);
            if (classical != null) {
                ms.add(classical);
            } else if (name.equals("model")) {
                org.inkwell.model.Cleaner cleaner = org.inkwell.model.Cleaner.of(model.load());
                ms.add(Evaluator.filter("model", g -> cleaner.reconstruct(g).threshold(threshold)));
            } else if (name.equals("seed")) {
                ms.add(Evaluator.scanNetwork("seed", new Denoiser(KerasImport.importSeed(seedModel).net()),
                        org.inkwell.model.ModelInput.BINARY, threshold));
            } else {
                throw new IllegalArgumentException("unknown method '" + m + "' for scans (use " + String.join(", ", SCAN_METHODS) + ", seed)");
            }
        }
        System.out.println("evaluating " + images.size() + " scans (" + degradation.spec() + ") rendered from " + source.description());
        List<Evaluator.Row> rows = Evaluator.runScans(images, degradation, ms, seed);
        Table table = print(rows);
        if (figure != null) {
            // scan | Inkwell | the best classical method by F | truth, for four writers.
            Evaluator.Row bestClassical = rows.stream().filter(r -> !r.method().equals("model"))
                    .max(java.util.Comparator.comparingDouble(Evaluator.Row::fmeasure)).orElse(null);
            Evaluator.Method modelMethod = ms.stream().filter(m -> m.name().equals("model")).findFirst().orElse(ms.get(0));
            Evaluator.Method classical = bestClassical == null ? ms.get(0)
                    : ms.stream().filter(m -> m.name().equals(bestClassical.method())).findFirst().orElse(ms.get(0));
            ImageFiles.writePng(scanFigure(images, degradation, modelMethod, classical), figure, policy);
            System.out.println("wrote " + figure);
        }
        writeCsv(table, policy);
        return 0;
    }

    private java.awt.image.BufferedImage scanFigure(List<GrayImage> images, org.inkwell.data.ScanRenderer degradation,
                                                    Evaluator.Method modelMethod, Evaluator.Method classical) {
        int step = Math.max(1, images.size() / 4);
        List<GrayImage> cells = new ArrayList<>();
        for (int i = 0, n = 0; i < images.size() && n < 4; i += step, n++) {
            org.inkwell.data.TrainingPair p = Evaluator.scanOf(images.get(i), degradation, seed, i);
            cells.add(p.noisy());
            cells.add(modelMethod.clean(new GrayImage[]{p.noisy()})[0]);
            cells.add(classical.clean(new GrayImage[]{p.noisy()})[0]);
            cells.add(p.clean());
        }
        java.awt.image.BufferedImage sheet = SynthCommand.contactSheet(cells, 4, 300, 150);
        java.awt.image.BufferedImage titled = new java.awt.image.BufferedImage(sheet.getWidth(), sheet.getHeight() + 24,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = titled.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, titled.getWidth(), titled.getHeight());
        g.drawImage(sheet, 0, 24, null);
        g.setColor(java.awt.Color.DARK_GRAY);
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        String[] titles = {"scan", "Inkwell", "best classical: " + classical.name(), "truth"};
        for (int c = 0; c < 4; c++) {
            g.drawString(titles[c], c * 300 + 8, 17);
        }
        g.dispose();
        return titled;
    }

    /** Checked before the evaluation, which can take minutes, and again when written. */
    private void checkOutputs(OutputPolicy policy) throws java.io.IOException {
        if (csv != null) {
            policy.check(csv, OutputPolicy.Kind.CSV);
        }
        if (figure != null) {
            policy.check(figure, OutputPolicy.Kind.PNG);
        }
    }

    /** The contract table (CSV columns) printed with ink recall beside it. */
    private static Table print(List<Evaluator.Row> rows) {
        Table table = toTable(rows);
        Table shown = table.copy();
        DoubleColumn recall = DoubleColumn.create("ink recall");
        rows.forEach(r -> recall.append(round(r.recall(), 2)));
        shown.addColumns(recall);
        System.out.println(shown.printAll());
        return table;
    }

    private void writeCsv(Table table, OutputPolicy policy) throws java.io.IOException {
        if (csv != null) {
            String text = CsvText.of(table);
            policy.write(csv, OutputPolicy.Kind.CSV, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
            System.out.println("wrote " + csv);
        }
    }

    /** One row per sample: clean, noisy, then every method's result, with column titles. */
    static java.awt.image.BufferedImage figure(List<GrayImage> clean, NoiseModel noise, List<Evaluator.Method> methods) {
        GrayImage[] noisy = new GrayImage[clean.size()];
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = noise.apply(clean.get(i), new java.util.SplittableRandom(org.inkwell.data.Seeds.mix(99, i, 7)));
        }
        List<String> titles = new ArrayList<>(List.of("clean", "noisy " + Math.round(noise.density() * 100) + "%"));
        List<GrayImage[]> columns = new ArrayList<>();
        columns.add(clean.toArray(new GrayImage[0]));
        columns.add(noisy);
        for (Evaluator.Method m : methods) {
            if (m.name().equals("noisy")) {
                continue;
            }
            titles.add(m.name().equals("model") ? "Inkwell" : m.name());
            columns.add(m.clean(noisy));
        }
        int cell = clean.get(0).width();
        int header = 24;
        var img = new java.awt.image.BufferedImage(columns.size() * (cell + 6) + 6, header + clean.size() * (cell + 6) + 6,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new java.awt.Color(0xECEEF2));
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(new java.awt.Color(0x1D2330));
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 14));
        for (int c = 0; c < columns.size(); c++) {
            g.drawString(titles.get(c), 6 + c * (cell + 6) + 4, 17);
            for (int r = 0; r < clean.size(); r++) {
                g.drawImage(columns.get(c)[r].toBufferedImage(), 6 + c * (cell + 6), header + r * (cell + 6), null);
            }
        }
        g.dispose();
        return img;
    }

    static Table toTable(List<Evaluator.Row> rows) {
        DoubleColumn noise = DoubleColumn.create("noise");
        StringColumn method = StringColumn.create("method");
        IntColumn images = IntColumn.create("images");
        DoubleColumn f = DoubleColumn.create("fmeasure");
        DoubleColumn psnr = DoubleColumn.create("psnr");
        DoubleColumn drd = DoubleColumn.create("drd");
        for (Evaluator.Row r : rows) {
            noise.append(r.density());
            method.append(r.method());
            images.append(r.images());
            f.append(round(r.fmeasure(), 3));
            psnr.append(round(r.psnr(), 3));
            drd.append(round(r.drd(), 3));
        }
        return Table.create("evaluation", noise, method, images, f, psnr, drd);
    }

    private static double round(double v, int digits) {
        double s = Math.pow(10, digits);
        return Math.round(v * s) / s;
    }
}
