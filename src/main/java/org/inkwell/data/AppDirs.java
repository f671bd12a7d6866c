package org.inkwell.data;

import java.nio.file.Path;
import java.util.Locale;

/** Where Inkwell may write: the user's data folder, never the install folder (which may be read-only). */
public final class AppDirs {
    private AppDirs() {
    }

    public static Path dataFolder() {
        String override = System.getProperty("inkwell.data.dir");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Path home = Path.of(System.getProperty("user.home"));
        if (os.contains("win")) {
            String appData = System.getenv("LOCALAPPDATA");
            return (appData != null ? Path.of(appData) : home).resolve("Inkwell");
        }
        if (os.contains("mac")) {
            return home.resolve("Library/Application Support/Inkwell");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/share")).resolve("inkwell");
    }
}
