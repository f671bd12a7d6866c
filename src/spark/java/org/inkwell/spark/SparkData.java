package org.inkwell.spark;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.input.PortableDataStream;
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
import org.inkwell.runtime.Dl4jRuntime;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Where a Spark run's training pairs come from, made on the executors: the built-in generator (a pure function
 * of seed and index, so nothing is shipped) or a folder of images on any file system Spark reads (local, shared
 * or HDFS), decoded and preprocessed once on the executors and kept there.
 */
public abstract class SparkData implements Serializable {
    /** Every tenth image (of the sorted file list) is held out for validation. */
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
            int n;
            try {
                n = Integer.parseInt(data.substring("generator:".length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--data generator:N needs a whole number of signatures, not '"
                        + data.substring("generator:".length()) + "'");
            }
            if (n < 1) {
                throw new IllegalArgumentException("generator:N needs N >= 1");
            }
            return "synthetic:" + n;
        }
        if (!data.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            Path folder = Path.of(data);
            try {
                return "folder:" + folder.toRealPath();
            } catch (IOException e) {
                throw new IllegalArgumentException(data + ": no such folder");
            }
        }
        return "spark:" + data;
    }

    /**
     * The regular files under a local data folder (or the file itself), checked on the driver before Spark reads
     * them: a FIFO would block a task forever and a device would be read without end, so a special file with an
     * image's name, or as the data itself, is refused in one line; an unreadable subfolder too.
     */
    static List<Path> localImages(Path data) throws IOException {
        if (!Files.isDirectory(data) && !Files.isRegularFile(data)) {
            throw new IllegalArgumentException(data + ": is a special file (FIFO, device or socket), not a folder of images");
        }
        List<Path> regular = new ArrayList<>();
        Files.walkFileTree(data, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (attrs.isRegularFile() || attrs.isSymbolicLink() && Files.isRegularFile(file)) {
                    regular.add(file);
                } else if (!attrs.isDirectory() && ImageFiles.hasImageExtension(file)) {
                    throw new IllegalArgumentException(file + ": is a special file (FIFO, device or socket), not an image;"
                            + " move it out of the data folder");
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                throw new IllegalArgumentException(file + ": cannot be read (" + org.inkwell.data.IoMessages.plain(e)
                        + "); fix its permissions or move it out of the data folder");
            }
        });
        return regular;
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
        /** Prepared signatures per executor JVM, shared by its tasks; the two most recent data sets are kept. */
        private static final Map<String, PreparedImages> PREPARED = java.util.Collections.synchronizedMap(
                new java.util.LinkedHashMap<>(4, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, PreparedImages> eldest) {
                        return size() > 2;
                    }
                });
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
            return sc.parallelize(batches, partitions).map(k -> {
                Dl4jRuntime.init();
                return toDataSet(BatchIterator.build(prepared(c, n), c.pairSpec(), c.batchSize(), c.dataSeed(), k));
            });
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

    /**
     * Image files under a path (subfolders included), read with Spark's {@code binaryFiles}, so HDFS and cloud paths
     * work as local ones. The file list is split on the driver, sorted, as {@code FolderDataset.split} does: every
     * tenth file (at least one) is held out for validation when there are two or more.
     */
    private static final class Images extends SparkData {
        private final String path;
        private transient JavaRDD<float[]> cleanImages;
        private transient Set<String> heldOut;

        Images(TrainingConfig config, String path) {
            super(config);
            this.path = path;
        }

        private JavaPairRDD<String, PortableDataStream> files(JavaSparkContext sc) {
            sc.hadoopConfiguration().setBoolean("mapreduce.input.fileinputformat.input.dir.recursive", true);
            return sc.binaryFiles(path).filter(f -> isImage(f._1()) && readable(f._1()));
        }

        /** A local file must be a regular one (a FIFO blocks a task, a device never ends); other schemes are read. */
        private static boolean readable(String uri) {
            if (!uri.startsWith("file:")) {
                return true;
            }
            try {
                return Files.isRegularFile(Path.of(java.net.URI.create(uri)));
            } catch (RuntimeException e) {
                return true;
            }
        }

        private static boolean isImage(String name) {
            int slash = name.lastIndexOf('/');
            return ImageFiles.hasImageExtension(Path.of(name.substring(slash + 1).isEmpty() ? "x" : name.substring(slash + 1)));
        }

        private Set<String> heldOut(JavaSparkContext sc) {
            if (heldOut == null) {
                List<String> names = new ArrayList<>(files(sc).keys().collect());
                if (names.isEmpty()) {
                    throw new IllegalArgumentException(path + ": no images (PNG, JPEG, BMP, GIF, TIFF, WebP, PDF) found");
                }
                Collections.sort(names);
                Set<String> held = new HashSet<>();
                if (names.size() > 1) {
                    for (int i = 0; i < names.size(); i += VALIDATION_EVERY) {
                        held.add(names.get(i));
                    }
                }
                heldOut = held;
            }
            return heldOut;
        }

        private JavaRDD<float[]> clean(JavaSparkContext sc) {
            if (cleanImages == null) {
                TrainingConfig c = config;
                Set<String> held = heldOut(sc);
                cleanImages = files(sc)
                        .filter(f -> !held.contains(f._1()))
                        .flatMap(f -> decode(f._1(), f._2().toArray(), c).iterator())
                        .persist(StorageLevel.MEMORY_AND_DISK());
                if (cleanImages.isEmpty()) {
                    throw new IllegalArgumentException(path + ": none of the images could be read");
                }
            }
            return cleanImages;
        }

        /** One preprocessed image, or none when the file cannot be read (it is skipped, as locally). */
        private static List<float[]> decode(String name, byte[] bytes, TrainingConfig c) throws IOException {
            Dl4jRuntime.init();
            String ext = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
            Path tmp = Files.createTempFile("inkwell-spark-", ext);
            try {
                Files.write(tmp, bytes);
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
            TrainingConfig c = config;
            int steps = config.stepsPerEpoch();
            return images.repartition(partitions).mapPartitionsWithIndex((part, it) ->
                    batches(it, c, share(steps, partitions, part), epoch, part), false);
        }

        /** Batches partition {@code part} of {@code parts} makes of an epoch's {@code steps}: an even share. */
        static int share(int steps, int parts, int part) {
            return steps / parts + (part < steps % parts ? 1 : 0);
        }

        /**
         * {@code count} full batches, each of images drawn at random from this partition with fresh augmentation and
         * noise, made one at a time as they are read (an epoch's share at 224x224 would not fit in memory at once).
         */
        private static Iterator<DataSet> batches(Iterator<float[]> images, TrainingConfig c, int count, int epoch, int part) {
            Dl4jRuntime.init();
            List<GrayImage> here = new ArrayList<>();
            images.forEachRemaining(px -> here.add(new GrayImage(c.inputSize(), c.inputSize(), px)));
            if (here.isEmpty()) {
                return java.util.Collections.emptyIterator();
            }
            SplittableRandom rng = new SplittableRandom(Seeds.mix(c.dataSeed(), epoch, 0x5BA4C000L + part));
            return new Iterator<>() {
                private int made;

                @Override
                public boolean hasNext() {
                    return made < count;
                }

                @Override
                public DataSet next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    made++;
                    List<TrainingPair> batch = new ArrayList<>(c.batchSize());
                    for (int i = 0; i < c.batchSize(); i++) {
                        batch.add(TrainingPair.make(here.get(rng.nextInt(here.size())), c.pairSpec(), rng));
                    }
                    return toDataSet(PairBatch.of(batch));
                }
            };
        }

        @Override
        SignatureSource validation(JavaSparkContext sc) {
            TrainingConfig c = config;
            Set<String> held = heldOut(sc);
            List<float[]> images = held.isEmpty() ? List.of() : files(sc)
                    .filter(f -> held.contains(f._1()))
                    .flatMap(f -> decode(f._1(), f._2().toArray(), c).iterator())
                    .take(config.validationCount());
            return new HeldOut(images, config.inputSize());
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
