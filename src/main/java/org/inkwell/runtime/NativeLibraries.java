package org.inkwell.runtime;

import org.inkwell.data.AppDirs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where JavaCPP finds ND4J's, OpenBLAS's and oneDNN's native libraries. The installers ship them unpacked in a
 * {@code natives} folder beside inkwell.jar ({@code lib/app/natives} in the app image) and JavaCPP loads them from
 * there in place. Without that folder (the plain {@code java -jar} build) JavaCPP unpacks them from their jars once,
 * into the user's data folder ({@code javacpp} under {@link AppDirs#dataFolder()}), never into
 * {@code ~/.javacpp/cache}. Must run before the first JavaCPP class loads; explicit -D settings win.
 */
public final class NativeLibraries {
    /** Overrides the folder of unpacked natives (default: {@code natives} beside the jar). */
    public static final String DIR_PROPERTY = "inkwell.natives.dir";
    static final String CACHE_DIR = "org.bytedeco.javacpp.cachedir";
    static final String PATHS_FIRST = "org.bytedeco.javacpp.pathsFirst";
    /** JavaCPP takes platform.* overrides from org.bytedeco.javacpp.platform.* and searches preloadpath for every library. */
    static final String PRELOAD_PATH = "org.bytedeco.javacpp.platform.preloadpath";

    private static volatile boolean configured;

    private NativeLibraries() {
    }

    /**
     * The JavaCPP settings for a process: with a folder of unpacked natives, load from it before looking in the
     * jars; in any case, whatever still has to be unpacked goes to the data folder's cache.
     */
    static Map<String, String> settings(Path nativesDir, Path dataFolder) {
        Map<String, String> s = new LinkedHashMap<>();
        if (nativesDir != null) {
            s.put(PRELOAD_PATH, nativesDir.toAbsolutePath().toString());
            s.put(PATHS_FIRST, "true");
        }
        s.put(CACHE_DIR, cacheDir(dataFolder).toString());
        return s;
    }

    /** JavaCPP's cache for natives unpacked from jars: in Inkwell's data folder. */
    static Path cacheDir(Path dataFolder) {
        return dataFolder.resolve("javacpp").toAbsolutePath();
    }

    /** The folder of unpacked natives shipped with this build, or null when the natives are only inside jars. */
    static Path shippedDir(String override, Path jarLocation) {
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        if (jarLocation != null && Files.isRegularFile(jarLocation)) {
            Path dir = jarLocation.toAbsolutePath().getParent().resolve("natives");
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        return null;
    }

    /** Applies {@link #settings} once, leaving any property already set alone. */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        Path dir = shippedDir(System.getProperty(DIR_PROPERTY), ownJar());
        settings(dir, AppDirs.dataFolder()).forEach((k, v) -> {
            if (System.getProperty(k) == null) {
                System.setProperty(k, v);
            }
        });
        configured = true;
    }

    /** The folder of unpacked natives in use, or null when JavaCPP unpacks them into its cache. */
    public static Path shippedDir() {
        return shippedDir(System.getProperty(DIR_PROPERTY), ownJar());
    }

    private static Path ownJar() {
        try {
            var source = NativeLibraries.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI());
        } catch (Exception e) {
            return null;
        }
    }
}
