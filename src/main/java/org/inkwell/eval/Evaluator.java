package org.inkwell.eval;

import org.inkwell.model.Denoiser;
import org.inkwell.model.ModelInput;

import org.inkwell.data.GrayImage;
import org.inkwell.data.NoiseModel;
import org.inkwell.data.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Scores denoising methods on the same noisy images: for every density, each clean image gets one seeded noisy
 * copy, every method cleans that copy, and F-measure, PSNR, DRD and ink recall are averaged.
 */
public final class Evaluator {
    private static final int BATCH = 16;

    private Evaluator() {
    }

    /** A named way of cleaning noisy binary images. */
    public record Method(String name, java.util.function.Function<GrayImage[], GrayImage[]> cleaner) {
        public GrayImage[] clean(GrayImage[] noisy) {
            return cleaner.apply(noisy);
        }
    }

    public record Row(String noise, double density, String method, int images, double fmeasure, double psnr,
                      double drd, double recall) {
    }

    public static Method filter(String name, UnaryOperator<GrayImage> f) {
        return new Method(name, noisy -> {
            GrayImage[] out = new GrayImage[noisy.length];
            for (int i = 0; i < noisy.length; i++) {
                out[i] = f.apply(noisy[i]);
            }
            return out;
        });
    }

    /** A network; equally sized inputs go through in batches. */
    public static Method network(String name, Denoiser denoiser, double threshold) {
        return new Method(name, noisy -> {
            GrayImage[] out = new GrayImage[noisy.length];
            int i = 0;
            while (i < noisy.length) {
                int j = i;
                while (j < noisy.length && j - i < BATCH && sameShape(noisy[i], noisy[j]) && noisy[j].width() % 32 == 0
                        && noisy[j].height() % 32 == 0) {
                    j++;
                }
                if (j == i) {
                    out[i] = denoiser.clean(noisy[i], threshold);
                    i++;
                    continue;
                }
                GrayImage[] res = denoiser.predictBatch(java.util.Arrays.copyOfRange(noisy, i, j));
                for (int k = 0; k < res.length; k++) {
                    out[i + k] = res[k].threshold(threshold);
                }
                i = j;
            }
            return out;
        });
    }

    /** The classical baselines by CLI name: noisy, median3, median5, components; null for other names. */
    public static Method classical(String name) {
        return switch (name) {
            case "noisy" -> filter(name, g -> g);
            case "median3" -> filter(name, g -> ClassicalFilters.median(g, 3));
            case "median5" -> filter(name, g -> ClassicalFilters.median(g, 5));
            case "components" -> filter(name, g -> ClassicalFilters.removeSmallComponents(g, ClassicalFilters.DEFAULT_MIN_COMPONENT));
            default -> null;
        };
    }

    /** Components smaller than this are removed after a classical binarization of a scan (dust, specks). */
    public static final int SCAN_MIN_COMPONENT = 8;

    /**
     * The baselines for grey scans by CLI name, each ending in a binary image: otsu, sauvola, otsu-cc and
     * sauvola-cc (small components removed), median3 and median5 (grey median, then Otsu); null for others.
     */
    public static Method scanClassical(String name) {
        return switch (name) {
            case "otsu", "noisy" -> filter("otsu", org.inkwell.data.Binarizer::binarize);
            case "sauvola" -> filter(name, g -> ClassicalFilters.sauvola(g, ClassicalFilters.SAUVOLA_WINDOW, ClassicalFilters.SAUVOLA_K));
            case "otsu-cc", "components" -> filter("otsu-cc", g -> ClassicalFilters.removeSmallComponents(
                    org.inkwell.data.Binarizer.binarize(g), SCAN_MIN_COMPONENT));
            case "sauvola-cc" -> filter(name, g -> ClassicalFilters.removeSmallComponents(
                    ClassicalFilters.sauvola(g, ClassicalFilters.SAUVOLA_WINDOW, ClassicalFilters.SAUVOLA_K), SCAN_MIN_COMPONENT));
            case "median3" -> filter(name, g -> org.inkwell.data.Binarizer.binarize(ClassicalFilters.greyMedian(g, 3)));
            case "median5" -> filter(name, g -> org.inkwell.data.Binarizer.binarize(ClassicalFilters.greyMedian(g, 5)));
            default -> null;
        };
    }

    /** A network on grey scans of any size, with the input preparation it was trained with. */
    public static Method scanNetwork(String name, Denoiser denoiser, ModelInput input, double threshold) {
        return filter(name, g -> denoiser.clean(input.prepare(g), threshold));
    }

    /**
     * Scores methods on scans rendered from clean signatures: each image gets one seeded scan per level range
     * (its truth is the ink as drawn, strokes widened by the pen), every method cleans the scan.
     */
    public static List<Row> runScans(List<GrayImage> cleanImages, org.inkwell.data.ScanRenderer scans,
                                     List<Method> methods, long seed) {
        GrayImage[] scan = new GrayImage[cleanImages.size()];
        GrayImage[] truth = new GrayImage[cleanImages.size()];
        for (int i = 0; i < scan.length; i++) {
            org.inkwell.data.TrainingPair p = scans.render(cleanImages.get(i), new SplittableRandom(Seeds.mix(seed, i, 0x5CA7L)));
            scan[i] = p.noisy();
            truth[i] = p.clean();
        }
        List<Row> rows = new ArrayList<>();
        for (Method m : methods) {
            rows.add(mean(scans.spec(), scans.levelLo(), m.name(), java.util.Arrays.asList(truth), m.clean(scan)));
        }
        return rows;
    }

    /** The scores of {@code out} against {@code truth}, averaged over the images. */
    static Row mean(String noise, double density, String method, List<GrayImage> truth, GrayImage[] out) {
        double f = 0;
        double psnr = 0;
        double drd = 0;
        double recall = 0;
        for (int i = 0; i < out.length; i++) {
            Metrics.Scores s = Metrics.score(truth.get(i), out[i]);
            f += s.fmeasure();
            psnr += s.psnr();
            drd += s.drd();
            recall += s.recall();
        }
        int k = Math.max(1, out.length);
        return new Row(noise, density, method, out.length, f / k, psnr / k, drd / k, recall / k);
    }

    /** The scan renders of {@link #runScans}, for figures. */
    public static org.inkwell.data.TrainingPair scanOf(GrayImage clean, org.inkwell.data.ScanRenderer scans, long seed, int i) {
        return scans.render(clean, new SplittableRandom(Seeds.mix(seed, i, 0x5CA7L)));
    }

    private static boolean sameShape(GrayImage a, GrayImage b) {
        return a.width() == b.width() && a.height() == b.height();
    }

    public static List<Row> run(List<GrayImage> cleanImages, NoiseModel noise, double[] densities,
                                List<Method> methods, long seed) {
        List<Row> rows = new ArrayList<>();
        for (int d = 0; d < densities.length; d++) {
            NoiseModel n = noise.withDensity(densities[d]);
            GrayImage[] noisy = new GrayImage[cleanImages.size()];
            for (int i = 0; i < noisy.length; i++) {
                noisy[i] = n.apply(cleanImages.get(i), new SplittableRandom(Seeds.mix(seed, i, d)));
            }
            for (Method m : methods) {
                rows.add(mean(n.spec(), densities[d], m.name(), cleanImages, m.clean(noisy)));
            }
        }
        return rows;
    }
}
