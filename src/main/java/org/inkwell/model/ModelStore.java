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
    /** The bundled model's specialist for grey scans under the seed's pepper (specks darker than the ink). */
    public static final String BUNDLED_PEPPER_RESOURCE = "/models/inkwell-pepper-grey.zip";
    private static final Set<String> ALLOWED = Set.of("configuration.json", "coefficients.bin", "updaterState.bin",
            "noParams.marker", METADATA_ENTRY, HISTORY_ENTRY, "inkwell/");
    private static final long MAX_ENTRY_BYTES = 2L << 30;
    private static final int MAX_CONFIG_BYTES = 8 << 20;
    /**
     * Inkwell's metadata and history JSON: a few KB, a long run's history a few hundred KB; 16 MB is far above either
     * and far below what a zip bomb inflates to.
     */
    static final int MAX_JSON_BYTES = 16 << 20;
    /** The marker and folder entries are empty. */
    private static final int MAX_SMALL_BYTES = 4096;
    /** Room for an ND4J array's headers (allocation mode, shape, type) beyond its data. */
    private static final int ARRAY_HEADER_SLACK = 64 << 10;
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
        org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            var entries = zip.entries();
            boolean hasConfig = false;
            boolean hasCoefficients = false;
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                if (!seen.add(name)) {
                    throw new ModelLoadException(file + ": refused, the zip holds the entry '" + name
                            + "' twice (one copy could be checked and the other loaded)");
                }
                if (name.contains("..") || name.startsWith("/") || name.startsWith("\\") || name.contains(":")) {
                    throw new ModelLoadException(file + ": refused, the zip has an unsafe entry path '" + name + "'");
                }
                if (!ALLOWED.contains(name)) {
                    throw new ModelLoadException(file + ": not an Inkwell model (unexpected entry '" + name + "')");
                }
                long cap = name.endsWith(".json") ? (name.equals("configuration.json") ? MAX_CONFIG_BYTES : MAX_JSON_BYTES)
                        : name.endsWith(".bin") ? MAX_ENTRY_BYTES : MAX_SMALL_BYTES;
                if (e.getSize() > cap && name.equals("configuration.json")) {
                    throw new ModelLoadException(file + ": refused, its configuration is over " + (MAX_CONFIG_BYTES >> 20)
                            + " MB (not a model Inkwell wrote; a zip bomb?)");
                }
                if (e.getSize() > cap) {
                    throw new ModelLoadException(String.format(java.util.Locale.ROOT,
                            "%s: refused, its entry '%s' inflates to %,d bytes, more than the %,d an Inkwell model's has "
                                    + "(a zip bomb?)", file, name, e.getSize(), cap));
                }
                hasConfig |= name.equals("configuration.json");
                hasCoefficients |= name.equals("coefficients.bin");
            }
            if (!hasConfig || !hasCoefficients) {
                throw new ModelLoadException(file + ": not a DL4J model zip (no configuration or weights)");
            }
            // The bytes themselves: the local headers must agree with the directory checked above.
            ZipLayout.read(file);
            for (String small : new String[]{"noParams.marker", "inkwell/"}) {
                if (zip.getEntry(small) != null) {
                    boundedBytes(zip, small, MAX_SMALL_BYTES, file);
                }
            }
            conf = checkDeclaredSizes(zip, file);
            meta = readJson(zip, METADATA_ENTRY, ModelMetadata.class, file);
            history = readJson(zip, HISTORY_ENTRY, TrainingHistory.class, file);
            checkMetadata(meta, conf, file);
            checkActivations(conf, file);
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
    static org.deeplearning4j.nn.conf.ComputationGraphConfiguration checkDeclaredSizes(ZipFile zip, Path file) throws IOException {
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
        org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf;
        try {
            conf = org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(json);
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
        // Before inflating: the directory's declared size must fit the weights (8 bytes each at most, doubles).
        checkDeclaredEntrySize(zip, "coefficients.bin", 8 * expected, file);
        ArrayHeader weights = arrayHeader(zip, "coefficients.bin", file);
        if (weights.length() != expected) {
            throw new ModelLoadException(String.format(java.util.Locale.ROOT,
                    "%s: refused, its weights file declares %,d values but its configuration needs %,d (damaged or edited)",
                    file, weights.length(), expected));
        }
        checkInflatedSize(zip, "coefficients.bin", weights, file);
        if (zip.getEntry("updaterState.bin") != null) {
            checkDeclaredEntrySize(zip, "updaterState.bin", 3 * 8 * expected, file);
            ArrayHeader state = arrayHeader(zip, "updaterState.bin", file);
            if (state.length() < 0 || state.length() > 3 * expected) {
                throw new ModelLoadException(String.format(java.util.Locale.ROOT,
                        "%s: refused, its optimizer state declares %,d values for %,d weights (damaged or edited)",
                        file, state.length(), expected));
            }
            checkInflatedSize(zip, "updaterState.bin", state, file);
        }
        return conf;
    }

    /** Refuses an array entry whose directory declares more bytes than {@code dataBytes} plus its headers. */
    private static void checkDeclaredEntrySize(ZipFile zip, String entry, long dataBytes, Path file) throws ModelLoadException {
        long declared = zip.getEntry(entry).getSize();
        if (declared > dataBytes + ARRAY_HEADER_SLACK) {
            throw new ModelLoadException(String.format(java.util.Locale.ROOT,
                    "%s: refused, its %s inflates to %,d bytes but the network's weights need at most %,d (a zip bomb?)",
                    file, entry, declared, dataBytes + ARRAY_HEADER_SLACK));
        }
    }

    /**
     * Counts the bytes an array entry really inflates to, stopping just past what its headers declare: the
     * directory's size is the zip's own claim and is never trusted alone.
     */
    private static void checkInflatedSize(ZipFile zip, String entry, ArrayHeader header, Path file) throws IOException {
        long exact = header.headerBytes() + header.length() * header.elementBytes();
        long counted = boundedBytes(zip, entry, exact + ARRAY_HEADER_SLACK, file);
        if (counted < exact) {
            throw new ModelLoadException(String.format(java.util.Locale.ROOT,
                    "%s: refused, its %s is truncated (%,d of %,d bytes)", file, entry, counted, exact));
        }
    }

    /** Bytes an entry inflates to, read and counted; refuses the entry as soon as it passes {@code cap}. */
    private static long boundedBytes(ZipFile zip, String entry, long cap, Path file) throws IOException {
        byte[] buffer = new byte[64 << 10];
        long n = 0;
        try (InputStream in = zip.getInputStream(zip.getEntry(entry))) {
            int r;
            while ((r = in.read(buffer)) > 0) {
                n += r;
                if (n > cap) {
                    throw new ModelLoadException(String.format(java.util.Locale.ROOT,
                            "%s: refused, its entry '%s' inflates to more than the %,d bytes it may hold (a zip bomb?)",
                            file, entry, cap));
                }
            }
        }
        return n;
    }

    /**
     * Refuses metadata that cannot be true of any model Inkwell wrote: negative steps or epochs, sizes out of range,
     * an unknown architecture, or an architecture label that does not match the network inside (the parameter
     * count and layer names of that architecture, compared with the loaded configuration).
     */
    static void checkMetadata(ModelMetadata meta, org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf, Path file)
            throws ModelLoadException {
        if (meta == null) {
            return;
        }
        String bad = null;
        if (meta.formatVersion() < 1) {
            bad = "format version " + meta.formatVersion();
        } else if (meta.step() < 0) {
            bad = "step " + meta.step();
        } else if (meta.epochs() < 0) {
            bad = "epochs " + meta.epochs();
        } else if (meta.inputSize() < TrainingConfig.MIN_SIZE || meta.inputSize() > TrainingConfig.MAX_SIZE) {
            bad = "input size " + meta.inputSize();
        } else if (meta.patch() < 0 || meta.patch() > meta.inputSize()) {
            bad = "patch " + meta.patch();
        } else if (meta.architecture() == null) {
            bad = "no architecture";
        }
        if (bad != null) {
            throw new ModelLoadException(file + ": refused, its metadata says " + bad
                    + ", which no Inkwell model has (damaged or forged)");
        }
        Architecture claimed;
        try {
            claimed = Architecture.parse(meta.architecture());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(file + ": refused, its metadata names an unknown architecture '"
                    + meta.architecture() + "' (damaged or forged)", e);
        }
        if (meta.training() != null && !claimed.id().equals(meta.training().architecture())) {
            throw new ModelLoadException(file + ": refused, its metadata says '" + claimed.id()
                    + "' but its training settings say '" + meta.training().architecture() + "' (damaged or forged)");
        }
        Signature inside = Signature.of(conf);
        if (!inside.equals(Signature.of(claimed))) {
            Architecture actual = null;
            for (Architecture a : Architecture.values()) {
                if (inside.equals(Signature.of(a))) {
                    actual = a;
                }
            }
            throw new ModelLoadException(String.format(java.util.Locale.ROOT,
                    "%s: refused, its metadata says the network is '%s' (%,d weights) but the network inside is %s "
                            + "(damaged or forged)", file, claimed.id(), Signature.of(claimed).params(),
                    actual == null ? "not one of Inkwell's architectures (" + String.format(java.util.Locale.ROOT, "%,d", inside.params())
                            + " weights)" : "a " + actual.id()));
        }
    }

    /** What identifies an architecture's network cheaply: its layer names and its parameter count. */
    private record Signature(java.util.Set<String> layers, long params) {
        private static final java.util.Map<Architecture, Signature> BUILT = new java.util.concurrent.ConcurrentHashMap<>();

        static Signature of(org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf) {
            long params = 0;
            for (var v : conf.getVertices().values()) {
                params += v.numParams(true);
            }
            return new Signature(java.util.Set.copyOf(conf.getVertices().keySet()), params);
        }

        static Signature of(Architecture a) {
            return BUILT.computeIfAbsent(a, arch -> of(arch.configuration(32, new org.nd4j.linalg.learning.config.Adam(1e-3), 1)));
        }
    }

    /**
     * Refuses, before the first forward pass (the 32x32 check below is one), a network whose activations for one
     * cleaning tile would exceed {@link ActivationBudget}; one that cannot take a one-channel image is refused too.
     */
    static void checkActivations(org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf, Path file)
            throws ModelLoadException {
        long bytes = 0;
        try {
            for (int side : new int[]{32, Denoiser.DEFAULT_TILE}) {
                bytes = Math.max(bytes, ActivationBudget.bytes(conf, 1, side, side));
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ModelLoadException(file + ": the network does not take a one-channel image (" + firstLine(e) + ")", e);
        }
        long limit = ActivationBudget.tileLimit();
        if (bytes > limit) {
            throw new ModelLoadException(file + ": refused, " + ActivationBudget.overBudget(bytes,
                    "one " + Denoiser.DEFAULT_TILE + "x" + Denoiser.DEFAULT_TILE + " cleaning tile", limit));
        }
    }

    /** An array entry's data length (elements), element size and header bytes, from its headers. */
    record ArrayHeader(long length, int elementBytes, long headerBytes) {
    }

    /** The headers of an array written by {@code Nd4j.write} (shape buffer, then the data buffer's own), read alone. */
    static ArrayHeader arrayHeader(ZipFile zip, String entry, Path file) throws IOException {
        long[] count = new long[1];
        InputStream raw = new java.io.FilterInputStream(zip.getInputStream(zip.getEntry(entry))) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                count[0] += b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                count[0] += Math.max(0, n);
                return n;
            }
        };
        try (java.io.DataInputStream in = new java.io.DataInputStream(raw)) {
            in.readUTF();
            long shapeLength = in.readLong();
            String shapeType = in.readUTF();
            if (shapeLength < 0 || shapeLength > 64) {
                throw new ModelLoadException(file + ": refused, " + entry + " has a damaged header");
            }
            in.skipNBytes(shapeLength * bytesOf(shapeType, file, entry));
            in.readUTF();
            long length = in.readLong();
            String dataType = in.readUTF();
            return new ArrayHeader(length, dataBytesOf(dataType, file, entry), count[0]);
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new ModelLoadException(file + ": refused, " + entry + " is truncated or not an ND4J array", e);
        }
    }

    private static int dataBytesOf(String type, Path file, String entry) throws ModelLoadException {
        return switch (type) {
            case "DOUBLE", "LONG", "UINT64" -> 8;
            case "FLOAT", "INT", "UINT32" -> 4;
            case "HALF", "BFLOAT16", "SHORT", "UINT16" -> 2;
            case "BYTE", "UBYTE", "BOOL" -> 1;
            default -> throw new ModelLoadException(file + ": refused, " + entry + " has an unexpected data type (" + type + ")");
        };
    }

    private static int bytesOf(String type, Path file, String entry) throws ModelLoadException {
        return switch (type) {
            case "LONG", "DOUBLE", "UINT64" -> 8;
            case "INT", "FLOAT", "UINT32" -> 4;
            default -> throw new ModelLoadException(file + ": refused, " + entry + " has an unexpected header"
                    + (type == null || type.toString().isEmpty() ? " (none: not ND4J's array format)" : " (" + type + ")"));
        };
    }

    /** What a model zip says about itself, without loading its network; null fields when it has none. */
    public record Description(ModelMetadata metadata, TrainingHistory history) {
    }

    /** Reads only the metadata and history entries of a model zip (cheap: no weights are read). */
    public static Description describe(Path file) throws ModelLoadException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return new Description(readJson(zip, METADATA_ENTRY, ModelMetadata.class, file),
                    readJson(zip, HISTORY_ENTRY, TrainingHistory.class, file));
        } catch (ModelLoadException e) {
            throw e;
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
        return hasBundledBinary() ? loadResource(BUNDLED_BINARY_RESOURCE) : null;
    }

    /** Whether this build ships the binary specialist. */
    public static boolean hasBundledBinary() {
        return ModelStore.class.getResource(BUNDLED_BINARY_RESOURCE) != null;
    }

    /** Whether this build ships the pepper specialist. */
    public static boolean hasBundledPepper() {
        return ModelStore.class.getResource(BUNDLED_PEPPER_RESOURCE) != null;
    }

    /**
     * The bundled specialist for grey scans sprinkled with the seed's pepper, darker than the ink; {@link Cleaner}
     * sends such scans to it when the bundled model is in use.
     */
    public static StoredModel loadBundledPepper() throws ModelLoadException {
        return loadResource(BUNDLED_PEPPER_RESOURCE);
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

    /**
     * The model whose encoder describes black-and-white signatures (the Map, similar signatures, {@code embed}): for
     * "bundled" the binary specialist, which is what cleans such images (its grid features find the same writer
     * first in 95.3 % of 64 generated signatures, the all-families scan model's in 90.6 %); else the model itself.
     */
    public static StoredModel loadSpecForFeatures(String spec) throws ModelLoadException {
        if (spec == null || spec.equals("bundled")) {
            StoredModel binary = loadBundledBinary();
            return binary != null ? binary : loadBundled();
        }
        return load(Path.of(spec), false);
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

    /** A JSON entry, its bytes counted as they inflate: over {@link #MAX_JSON_BYTES} it is refused, not cut short. */
    private static <T> T readJson(ZipFile zip, String name, Class<T> type, Path file) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            return null;
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
            bytes = in.readNBytes(MAX_JSON_BYTES + 1);
        }
        if (bytes.length > MAX_JSON_BYTES) {
            throw new ModelLoadException(String.format(java.util.Locale.ROOT,
                    "%s: refused, its %s inflates to more than %d MB (a zip bomb?)", file, name, MAX_JSON_BYTES >> 20));
        }
        try {
            return GSON.fromJson(new String(bytes, StandardCharsets.UTF_8), type);
        } catch (JsonParseException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            // A record's own checks (TrainingConfig refuses batch 0, an unknown optimizer...) fail inside Gson.
            Throwable root = ex;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new ModelLoadException(file + ": refused, its " + name + " is invalid (" + firstLine(root) + ")", ex);
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
