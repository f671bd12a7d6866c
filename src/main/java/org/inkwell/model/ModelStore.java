package org.inkwell.model;

import org.inkwell.runtime.Dl4jRuntime;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.inkwell.data.OutputPolicy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Model zips: DL4J's own entries (configuration JSON, coefficients, optionally updater state) plus Inkwell's
 * metadata and history as JSON. Writes are atomic. Loading accepts only the entries it knows, so no
 * Java-serialized object in a file is ever deserialized, and it checks the network fits Inkwell's use.
 * <p>Longer than most classes: the model file format is read, checked against its declared sizes and written in one
 * place, so the reader and the writer cannot drift apart.
 */
public final class ModelStore {
    public static final String METADATA_ENTRY = "inkwell/metadata.json";
    public static final String HISTORY_ENTRY = "inkwell/history.json";
    /** The model that ships inside Inkwell, trained by Inkwell's own pipeline. */
    public static final String BUNDLED_RESOURCE = "/models/inkwell-default.zip";
    /** The bundled model's specialist for binary images. */
    public static final String BUNDLED_BINARY_RESOURCE = "/models/inkwell-binary.zip";
    private static final Set<String> ALLOWED = Set.of("configuration.json", "coefficients.bin", "updaterState.bin",
            "noParams.marker", METADATA_ENTRY, HISTORY_ENTRY, "inkwell/");
    private static final long MAX_ENTRY_BYTES = 2L << 30;
    private static final int MAX_CONFIG_BYTES = 8 << 20;
    /** 50 million weights (200 MB): ~160x the seed network, ~20x the largest architecture Inkwell builds. */
    static final long MAX_PARAMS = Long.getLong("inkwell.maxParams", 50_000_000L);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private ModelStore() {
    }

    /** A network with what Inkwell knows about it; metadata is null for a plain DL4J zip. */
    public record StoredModel(ComputationGraph net, ModelMetadata metadata, TrainingHistory history, String source) {
        public Architecture architecture() {
            return metadata == null ? null : Architecture.parse(metadata.architecture());
        }
    }

    public static Path save(Path target, ComputationGraph net, ModelMetadata metadata, TrainingHistory history,
                            boolean withUpdater) throws IOException {
        return save(target, net, metadata, history, withUpdater, OutputPolicy.strict());
    }

    /** Writes the model if {@code policy} allows {@code target}; returns the real path written. */
    public static Path save(Path target, ComputationGraph net, ModelMetadata metadata, TrainingHistory history,
                            boolean withUpdater, OutputPolicy policy) throws IOException {
        policy.check(target, OutputPolicy.Kind.MODEL_ZIP);
        ByteArrayOutputStream dl4j = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, dl4j, withUpdater);
        return policy.write(target, OutputPolicy.Kind.MODEL_ZIP, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out);
                 ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(dl4j.toByteArray()))) {
                ZipEntry e;
                while ((e = in.getNextEntry()) != null) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    in.transferTo(zip);
                    zip.closeEntry();
                }
                putJson(zip, METADATA_ENTRY, metadata);
                putJson(zip, HISTORY_ENTRY, history == null ? new TrainingHistory() : history);
                zip.finish();
            }
        });
    }

    private static void putJson(ZipOutputStream zip, String name, Object value) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(GSON.toJson(value).getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    public static StoredModel load(Path file, boolean withUpdater) throws ModelLoadException {
        if (Files.isDirectory(file)) {
            throw new ModelLoadException(file + ": is a directory, not a model file");
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(file + (Files.exists(file) ? ": is a special file, not a model file"
                    : ": model file not found"));
        }
        ModelMetadata meta;
        TrainingHistory history;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            var entries = zip.entries();
            boolean hasConfig = false;
            boolean hasCoefficients = false;
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                if (name.contains("..") || name.startsWith("/") || name.startsWith("\\") || name.contains(":")) {
                    throw new ModelLoadException(file + ": refused, the zip has an unsafe entry path '" + name + "'");
                }
                if (!ALLOWED.contains(name)) {
                    throw new ModelLoadException(file + ": not an Inkwell model (unexpected entry '" + name + "')");
                }
                if (e.getSize() > MAX_ENTRY_BYTES) {
                    throw new ModelLoadException(file + ": refused, entry '" + name + "' is implausibly large");
                }
                hasConfig |= name.equals("configuration.json");
                hasCoefficients |= name.equals("coefficients.bin");
            }
            if (!hasConfig || !hasCoefficients) {
                throw new ModelLoadException(file + ": not a DL4J model zip (no configuration or weights)");
            }
            checkDeclaredSizes(zip, file);
            meta = readJson(zip, METADATA_ENTRY, ModelMetadata.class);
            history = readJson(zip, HISTORY_ENTRY, TrainingHistory.class);
        } catch (ZipException e) {
            throw new ModelLoadException(file + ": not a model file (not a valid zip: " + e.getMessage() + ")", e);
        } catch (ModelLoadException e) {
            throw e;
        } catch (IOException | JsonParseException e) {
            String plain = org.inkwell.data.IoMessages.plain(e);
            if (plain.equals("permission denied")) {
                throw new ModelLoadException(file + ": cannot read the model file (permission denied)", e);
            }
            throw new ModelLoadException(file + ": model file is damaged (" + plain + ")", e);
        }
        ComputationGraph net;
        try {
            Dl4jRuntime.init();
            net = ModelSerializer.restoreComputationGraph(file.toFile(), withUpdater);
            // Models saved before Inkwell cached forward activations would run every convolution twice in training.
            net.getConfiguration().setCacheMode(CacheMode.DEVICE);
            net.setCacheMode(CacheMode.DEVICE);
        } catch (Exception | StackOverflowError e) {
            throw new ModelLoadException(file + ": not a DL4J ComputationGraph Inkwell can use ("
                    + firstLine(e) + ")", e);
        }
        checkFitsInkwell(net, file.toString());
        return new StoredModel(net, meta, history == null ? new TrainingHistory() : history, file.toString());
    }

    /**
     * Refuses a zip whose configuration declares more weights than Inkwell accepts, or whose weight and optimizer
     * arrays declare sizes that do not match it, before ND4J allocates them (a 3 MB file could otherwise claim 6 GB).
     */
    static void checkDeclaredSizes(ZipFile zip, Path file) throws IOException {
        Dl4jRuntime.init();
        ZipEntry config = zip.getEntry("configuration.json");
        String json;
        try (InputStream in = zip.getInputStream(config)) {
            byte[] bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
            if (bytes.length > MAX_CONFIG_BYTES) {
                throw new ModelLoadException(file + ": refused, its configuration is over " + (MAX_CONFIG_BYTES >> 20)
                        + " MB (not a model Inkwell wrote; a zip bomb?)");
            }
            json = new String(bytes, StandardCharsets.UTF_8);
        }
        long expected;
        try {
            var conf = org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(json);
            expected = 0;
            for (var v : conf.getVertices().values()) {
                expected += v.numParams(true);
            }
        } catch (RuntimeException | StackOverflowError e) {
            throw new ModelLoadException(file + ": not a DL4J ComputationGraph Inkwell can use (" + firstLine(e) + ")", e);
        }
        if (expected > MAX_PARAMS) {
            throw new ModelLoadException(String.format(java.util.Locale.ROOT,
                    "%s: refused, the network declares %,d weights, more than the %,d Inkwell accepts "
                            + "(raise -Dinkwell.maxParams if this is really a model of yours)", file, expected, MAX_PARAMS));
        }
        long weights = declaredLength(zip, "coefficients.bin", file);
        if (weights != expected) {
            throw new ModelLoadException(String.format(java.util.Locale.ROOT,
                    "%s: refused, its weights file declares %,d values but its configuration needs %,d (damaged or edited)",
                    file, weights, expected));
        }
        if (zip.getEntry("updaterState.bin") != null) {
            long state = declaredLength(zip, "updaterState.bin", file);
            if (state < 0 || state > 3 * expected) {
                throw new ModelLoadException(String.format(java.util.Locale.ROOT,
                        "%s: refused, its optimizer state declares %,d values for %,d weights (damaged or edited)",
                        file, state, expected));
            }
        }
    }

    /** Length of the data buffer of an array written by {@code Nd4j.write}, read from its two headers only. */
    static long declaredLength(ZipFile zip, String entry, Path file) throws IOException {
        try (java.io.DataInputStream in = new java.io.DataInputStream(
                new java.io.BufferedInputStream(zip.getInputStream(zip.getEntry(entry))))) {
            in.readUTF();
            long shapeLength = in.readLong();
            String shapeType = in.readUTF();
            if (shapeLength < 0 || shapeLength > 64) {
                throw new ModelLoadException(file + ": refused, " + entry + " has a damaged header");
            }
            in.skipNBytes(shapeLength * bytesOf(shapeType, file, entry));
            in.readUTF();
            return in.readLong();
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new ModelLoadException(file + ": refused, " + entry + " is truncated or not an ND4J array", e);
        }
    }

    private static int bytesOf(String type, Path file, String entry) throws ModelLoadException {
        return switch (type) {
            case "LONG", "DOUBLE", "UINT64" -> 8;
            case "INT", "FLOAT", "UINT32" -> 4;
            default -> throw new ModelLoadException(file + ": refused, " + entry + " has an unexpected header (" + type + ")");
        };
    }

    /** What a model zip says about itself, without loading its network; null fields when it has none. */
    public record Description(ModelMetadata metadata, TrainingHistory history) {
    }

    /** Reads only the metadata and history entries of a model zip (cheap: no weights are read). */
    public static Description describe(Path file) throws ModelLoadException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return new Description(readJson(zip, METADATA_ENTRY, ModelMetadata.class),
                    readJson(zip, HISTORY_ENTRY, TrainingHistory.class));
        } catch (IOException | JsonParseException e) {
            throw new ModelLoadException(file + ": cannot read its description (" + org.inkwell.data.IoMessages.plain(e) + ")", e);
        }
    }

    /** The model shipped in Inkwell's resources. */
    public static StoredModel loadBundled() throws ModelLoadException {
        return loadResource(BUNDLED_RESOURCE);
    }

    /**
     * The bundled specialist for images that are already black and white (the seed's case), or null when this
     * build has none. {@link Cleaner} sends binary inputs to it when the bundled model is in use.
     */
    public static StoredModel loadBundledBinary() throws ModelLoadException {
        return ModelStore.class.getResource(BUNDLED_BINARY_RESOURCE) == null ? null : loadResource(BUNDLED_BINARY_RESOURCE);
    }

    private static StoredModel loadResource(String resource) throws ModelLoadException {
        try (InputStream in = ModelStore.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ModelLoadException("the bundled model is missing from this build (" + resource + ")");
            }
            Path tmp = Files.createTempFile("inkwell-bundled", ".zip");
            try {
                Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                StoredModel m = load(tmp, false);
                return new StoredModel(m.net(), m.metadata(), m.history(), "bundled");
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            if (e instanceof ModelLoadException m) {
                throw m;
            }
            throw new ModelLoadException("cannot read the bundled model: " + e.getMessage(), e);
        }
    }

    /** "bundled" or a path. */
    public static StoredModel loadSpec(String spec) throws ModelLoadException {
        return spec == null || spec.equals("bundled") ? loadBundled() : load(Path.of(spec), false);
    }

    /** One grey channel in, one probability channel of the same size out: anything else is not a denoiser. */
    static void checkFitsInkwell(ComputationGraph net, String source) throws ModelLoadException {
        if (net.getNumInputArrays() != 1 || net.getNumOutputArrays() != 1) {
            throw new ModelLoadException(source + ": the network has " + net.getNumInputArrays() + " inputs and "
                    + net.getNumOutputArrays() + " outputs; Inkwell needs one image in and one image out");
        }
        try {
            INDArray probe = Nd4j.ones(DataType.FLOAT, 1, 1, 32, 32);
            INDArray out = net.outputSingle(probe);
            long[] s = out.shape();
            if (s.length != 4 || s[0] != 1 || s[1] != 1 || s[2] != 32 || s[3] != 32) {
                throw new ModelLoadException(source + ": the network maps a 32x32 image to shape "
                        + java.util.Arrays.toString(s) + "; Inkwell needs an image-to-image denoiser");
            }
        } catch (ModelLoadException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelLoadException(source + ": the network does not take a one-channel image ("
                    + firstLine(e) + ")", e);
        }
    }

    private static <T> T readJson(ZipFile zip, String name, Class<T> type) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            return null;
        }
        try (InputStream in = zip.getInputStream(e)) {
            return GSON.fromJson(new String(in.readNBytes(64 << 20), StandardCharsets.UTF_8), type);
        }
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    public static String toJson(Object o) {
        return GSON.toJson(o);
    }
}
