package org.inkwell.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.data.GrayImage;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The autoencoder's bottleneck (the layer named {@code encoder}) as a description of a signature: export it,
 * project a data set to 2D, and rank neighbours by cosine distance.
 * <p>Longer than most classes: the features, their PCA and the nearest-neighbour search are one small pipeline that
 * only the Map uses.
 */
public final class Embeddings {
    private static final int BATCH = 16;

    private Embeddings() {
    }

    /**
     * How the bottleneck becomes one row: NONE flattens it, AVG keeps one value per channel (loses where strokes
     * are), GRID averages each channel over a 7x7 grid of cells (keeps the layout at a fraction of the size).
     */
    public enum Pool { NONE, AVG, GRID }

    static final int GRID_CELLS = 7;

    public record Neighbour(int index, double distance) {
    }

    /** Bottleneck features of equally sized images (sides multiples of 32), batched; one row per image. */
    public static float[][] embed(ComputationGraph net, List<GrayImage> images, Pool pool) {
        int encoder = net.getVertex(Architecture.ENCODER).getVertexIndex();
        float[][] out = new float[images.size()][];
        for (int start = 0; start < images.size(); start += BATCH) {
            int n = Math.min(BATCH, images.size() - start);
            int w = images.get(start).width();
            int h = images.get(start).height();
            float[] flat = new float[n * w * h];
            for (int i = 0; i < n; i++) {
                GrayImage g = images.get(start + i);
                if (g.width() != w || g.height() != h) {
                    throw new IllegalArgumentException("images in one call must share a size");
                }
                System.arraycopy(g.pixels(), 0, flat, i * w * h, w * h);
            }
            INDArray in = Nd4j.create(flat, new long[]{n, 1, h, w}, 'c');
            INDArray act = net.feedForward(new INDArray[]{in}, encoder, false).get(Architecture.ENCODER);
            INDArray rows = pool == Pool.AVG ? act.mean(2, 3) : act.reshape('c', n, act.length() / n);
            float[] data = rows.dup('c').data().asFloat(); // copied out of ND4J's workspace
            if (pool == Pool.GRID) {
                data = gridPool(data, n, (int) act.size(1), (int) act.size(2), (int) act.size(3), GRID_CELLS);
            }
            int d = data.length / n;
            for (int i = 0; i < n; i++) {
                out[start + i] = Arrays.copyOfRange(data, i * d, (i + 1) * d);
            }
        }
        return out;
    }

    /** Each channel of an [n, c, h, w] array averaged over g x g cells (cells of unequal size when g does not divide). */
    static float[] gridPool(float[] act, int n, int c, int h, int w, int g) {
        float[] out = new float[n * c * g * g];
        int o = 0;
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * h * w;
                for (int gy = 0; gy < g; gy++) {
                    int y0 = gy * h / g;
                    int y1 = Math.max(y0 + 1, (gy + 1) * h / g);
                    for (int gx = 0; gx < g; gx++) {
                        int x0 = gx * w / g;
                        int x1 = Math.max(x0 + 1, (gx + 1) * w / g);
                        double sum = 0;
                        for (int y = y0; y < y1; y++) {
                            for (int x = x0; x < x1; x++) {
                                sum += act[base + y * w + x];
                            }
                        }
                        out[o++] = (float) (sum / ((y1 - y0) * (x1 - x0)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Rows minus their column means. Bottleneck features are post-ReLU and all positive, so raw cosine distances
     * crowd near 0; centred on the data set they spread out and rank neighbours far better.
     */
    public static float[][] centred(float[][] rows) {
        if (rows.length == 0) {
            return rows;
        }
        int d = rows[0].length;
        double[] mean = new double[d];
        for (float[] r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / (double) rows.length;
            }
        }
        float[][] out = new float[rows.length][d];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = (float) (rows[i][j] - mean[j]);
            }
        }
        return out;
    }

    public static double cosineDistance(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return na == nb ? 0 : 1;
        }
        return 1 - dot / Math.sqrt(na * nb);
    }

    /** The {@code k} rows closest to {@code query} by cosine distance, nearest first, excluding the query itself. */
    public static List<Neighbour> nearest(float[][] rows, float[] query, int excludeIndex, int k) {
        List<Neighbour> all = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            if (i != excludeIndex) {
                all.add(new Neighbour(i, cosineDistance(query, rows[i])));
            }
        }
        all.sort(Comparator.comparingDouble(Neighbour::distance).thenComparingInt(Neighbour::index));
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }

    /** Share of rows whose nearest neighbour carries the same label (e.g. the same generated writer). */
    public static double nearestNeighbourAgreement(float[][] rows, long[] labels) {
        int same = 0;
        for (int i = 0; i < rows.length; i++) {
            List<Neighbour> nn = nearest(rows, rows[i], i, 1);
            if (!nn.isEmpty() && labels[nn.get(0).index()] == labels[i]) {
                same++;
            }
        }
        return rows.length == 0 ? Double.NaN : same / (double) rows.length;
    }

    /**
     * Principal component projection to 2D: centre, then the two leading eigenvectors of the covariance by power
     * iteration with deflation (enough for a picture, and no new dependency).
     */
    public static double[][] pca2(float[][] rows) {
        int n = rows.length;
        if (n == 0) {
            return new double[0][];
        }
        int d = rows[0].length;
        double[] mean = new double[d];
        for (float[] r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / (double) n;
            }
        }
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = rows[i][j] - mean[j];
            }
        }
        double[][] components = new double[2][];
        for (int c = 0; c < 2; c++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                v[j] = 1.0 / Math.sqrt(d) * (1 + 0.01 * ((j * 7919 + c * 104729) % 13));
            }
            for (int it = 0; it < 200; it++) {
                double[] next = covTimes(x, v);
                for (int prev = 0; prev < c; prev++) {
                    double dot = dot(next, components[prev]);
                    for (int j = 0; j < d; j++) {
                        next[j] -= dot * components[prev][j];
                    }
                }
                double norm = Math.sqrt(dot(next, next));
                if (norm == 0) {
                    break;
                }
                for (int j = 0; j < d; j++) {
                    next[j] /= norm;
                }
                double change = 1 - Math.abs(dot(next, v));
                v = next;
                if (change < 1e-12) {
                    break;
                }
            }
            // Sign convention: the largest coordinate is positive, so projections are reproducible.
            int arg = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(v[j]) > Math.abs(v[arg])) {
                    arg = j;
                }
            }
            if (v[arg] < 0) {
                for (int j = 0; j < d; j++) {
                    v[j] = -v[j];
                }
            }
            components[c] = v;
        }
        double[][] out = new double[n][2];
        for (int i = 0; i < n; i++) {
            out[i][0] = dot(x[i], components[0]);
            out[i][1] = dot(x[i], components[1]);
        }
        return out;
    }

    private static double[] covTimes(double[][] x, double[] v) {
        double[] out = new double[v.length];
        for (double[] row : x) {
            double s = dot(row, v);
            for (int j = 0; j < v.length; j++) {
                out[j] += s * row[j];
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** The raw-pixel baseline: the image shrunk (area average) to side x side, flattened. */
    public static float[] pixels(GrayImage img, int side) {
        float[] out = new float[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int x0 = x * img.width() / side;
                int x1 = Math.max(x0 + 1, (x + 1) * img.width() / side);
                int y0 = y * img.height() / side;
                int y1 = Math.max(y0 + 1, (y + 1) * img.height() / side);
                float s = 0;
                for (int yy = y0; yy < y1; yy++) {
                    for (int xx = x0; xx < x1; xx++) {
                        s += 1 - img.get(xx, yy); // ink as signal, paper as zero
                    }
                }
                out[y * side + x] = s / ((x1 - x0) * (y1 - y0));
            }
        }
        return out;
    }
}
