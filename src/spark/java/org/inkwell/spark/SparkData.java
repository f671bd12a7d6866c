package org.inkwell.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.inkwell.data.BatchIterator;
import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.ImageLoadException;
import org.inkwell.data.PairBatch;
import org.inkwell.data.PreparedImages;
import org.inkwell.data.Preprocess;
import org.inkwell.data.Seeds;
import org.inkwell.data.SignatureSource;
import org.inkwell.data.SyntheticSignatures;
import org.inkwell.data.TrainingPair;
import org.inkwell.model.TrainingConfig;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;

/**
 * Where a Spark run's training pairs come from, made on the executors: the built-in generator (a pure function
 * of seed and index, so nothing is shipped) or a folder of images on any file system Spark reads (local, shared
 * or HDFS), decoded and preprocessed once on the executors and kept there.
 */
public abstract class SparkData implements Serializable {
    /** Every tenth image (by a hash of its path) is held out for validation. */
    static final int VALIDATION_EVERY = 10;

    final TrainingConfig config;

    SparkData(TrainingConfig config) {
        this.config = config;
    }

    /** The pairs of epoch {@code epoch} (0-based): {@code config.stepsPerEpoch()} batches in {@code partitions} parts. */
    abstract JavaRDD<DataSet> epoch(JavaSparkContext sc, int epoch, int partitions);

    /** Held-out images for validation on the driver. */
    abstract SignatureSource validation(JavaSparkContext sc);

    abstract String description();

    /**
     * The data source as the run's settings record it, so a checkpoint names its data: {@code synthetic:N} for the
     * generator (as {@code train} writes it), {@code folder:/path} for a local folder, {@code spark:URI} otherwise.
     */
    static String specOf(String data) {
        if (data.equals("generator")) {
            return "synthetic:1000";
        }
        if (data.startsWith("generator:")) {
            int n = Integer.parseInt(data.substring("generator:".length()));
            if (n < 1) {
                throw new IllegalArgumentException("generator:N needs N >= 1");
            }
            return "synthetic:" + n;
        }
        if (!data.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return "folder:" + Path.of(data).toAbsolutePath().normalize();
        }
        return "spark:" + data;
    }

    /** The data a run's settings name (see {@link #specOf}). */
    static SparkData of(TrainingConfig config) {
        String spec = config.dataSource() == null ? "synthetic:1000" : config.dataSource();
        if (spec.startsWith("synthetic:")) {
            return generator(config, Integer.parseInt(spec.substring("synthetic:".length())));
        }
        if (spec.startsWith("folder:")) {
            return images(config, Path.of(spec.substring("folder:".length())).toUri().toString());
        }
        if (spec.startsWith("spark:")) {
            return images(config, spec.substring("spark:".length()));
        }
        throw new IllegalArgumentException("unknown data source '" + spec + "'");
    }

    static SparkData generator(TrainingConfig config, int count) {
        return new Generator(config, count);
    }

    static SparkData images(TrainingConfig config, String path) {
        return new Images(config, path);
    }

    static DataSet toDataSet(PairBatch b) {
        long[] shape = {b.count(), 1, b.side(), b.side()};
        return new DataSet(Nd4j.create(b.noisy(), shape, 'c'), Nd4j.create(b.clean(), shape, 'c'));
    }

    /** Batch k of the generator is exactly the batch k the single-machine trainer sees. */
    private static final class Generator extends SparkData {
        /** Prepared signatures per executor JVM, shared by its tasks. */
        private static final Map<String, PreparedImages> PREPARED = new ConcurrentHashMap<>();
        private final int count;

        Generator(TrainingConfig config, int count) {
            super(config);
            this.count = count;
        }

        @Override
        JavaRDD<DataSet> epoch(JavaSparkContext sc, int epoch, int partitions) {
            long first = (long) epoch * config.stepsPerEpoch();
            List<Long> batches = LongStream.range(first, first + config.stepsPerEpoch()).boxed().toList();
            TrainingConfig c = config;
            int n = count;
            return sc.parallelize(batches, partitions).map(k -> toDataSet(BatchIterator.build(prepared(c, n), c.pairSpec(),
                    c.batchSize(), c.dataSeed(), k)));
        }

        private static PreparedImages prepared(TrainingConfig c, int count) {
            return PREPARED.computeIfAbsent(c.dataSeed() + "/" + count + "/" + c.preprocess() + "/" + c.inputSize(),
                    k -> new PreparedImages(new SyntheticSignatures(c.dataSeed(), count), c.pairSpec().mode(), c.inputSize()));
        }

        @Override
        SignatureSource validation(JavaSparkContext sc) {
            return SyntheticSignatures.validationFor(config.dataSeed(), config.validationCount());
        }

        @Override
        String description() {
            return new SyntheticSignatures(config.dataSeed(), count).description();
        }
    }

    /** Image files under a path, read with Spark's {@code binaryFiles}, so HDFS and cloud paths work as local ones. */
    private static final class Images extends SparkData {
        private final String path;
        private transient JavaRDD<float[]> cleanImages;

        Images(TrainingConfig config, String path) {
            super(config);
            this.path = path;
        }

        private JavaRDD<float[]> clean(JavaSparkContext sc) {
            if (cleanImages == null) {
                TrainingConfig c = config;
                cleanImages = sc.binaryFiles(path)
                        .filter(f -> Math.floorMod(f._1().hashCode(), VALIDATION_EVERY) != 0)
                        .flatMap(f -> decode(f._1(), f._2().toArray(), c).iterator())
                        .persist(StorageLevel.MEMORY_AND_DISK());
            }
            return cleanImages;
        }

        /** One preprocessed image, or none when the file is not an image Inkwell reads (it is skipped, as locally). */
        private static List<float[]> decode(String name, byte[] bytes, TrainingConfig c) throws IOException {
            String ext = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
            Path tmp = Files.createTempFile("inkwell-spark-", ext);
            try {
                Files.write(tmp, bytes);
                if (!ImageFiles.hasImageExtension(tmp)) {
                    return List.of();
                }
                return List.of(Preprocess.apply(ImageFiles.readBinary(tmp), c.pairSpec().mode(), c.inputSize()).pixels());
            } catch (ImageLoadException e) {
                return List.of();
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        @Override
        JavaRDD<DataSet> epoch(JavaSparkContext sc, int epoch, int partitions) {
            JavaRDD<float[]> images = clean(sc);
            long n = Math.max(1, images.count());
            long wanted = (long) config.stepsPerEpoch() * config.batchSize();
            int repeats = (int) Math.max(1, (wanted + n - 1) / n);
            TrainingConfig c = config;
            return images.repartition(partitions).mapPartitionsWithIndex((part, it) -> pairs(it, c, repeats, epoch, part), false);
        }

        /** Each image {@code repeats} times with fresh augmentation and noise, in batches of the run's size. */
        private static Iterator<DataSet> pairs(Iterator<float[]> images, TrainingConfig c, int repeats, int epoch, int part) {
            SplittableRandom rng = new SplittableRandom(Seeds.mix(c.dataSeed(), epoch, part));
            List<DataSet> out = new ArrayList<>();
            List<TrainingPair> batch = new ArrayList<>();
            while (images.hasNext()) {
                float[] px = images.next();
                GrayImage clean = new GrayImage(c.inputSize(), c.inputSize(), px);
                for (int r = 0; r < repeats; r++) {
                    batch.add(TrainingPair.make(clean, c.pairSpec(), rng));
                    if (batch.size() == c.batchSize()) {
                        out.add(toDataSet(PairBatch.of(batch)));
                        batch.clear();
                    }
                }
            }
            if (!batch.isEmpty()) {
                out.add(toDataSet(PairBatch.of(batch)));
            }
            return out.iterator();
        }

        @Override
        SignatureSource validation(JavaSparkContext sc) {
            TrainingConfig c = config;
            List<float[]> held = sc.binaryFiles(path)
                    .filter(f -> Math.floorMod(f._1().hashCode(), VALIDATION_EVERY) == 0)
                    .flatMap(f -> decode(f._1(), f._2().toArray(), c).iterator())
                    .take(config.validationCount());
            return new HeldOut(held, config.inputSize());
        }

        @Override
        String description() {
            return "images under " + path;
        }
    }

    /** Validation images collected to the driver, already preprocessed. */
    private record HeldOut(List<float[]> images, int side) implements SignatureSource {
        @Override
        public int size() {
            return images.size();
        }

        @Override
        public GrayImage load(int i) {
            return new GrayImage(side, side, images.get(i).clone());
        }

        @Override
        public String name(int i) {
            return "held-out " + i;
        }

        @Override
        public String description() {
            return images.size() + " held-out images";
        }
    }
}
