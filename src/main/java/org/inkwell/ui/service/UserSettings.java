package org.inkwell.ui.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.prefs.Preferences;

/** What Inkwell remembers between sessions: last folders, window size, theme. */
public final class UserSettings {
    private final Preferences prefs;
    private final Path dataFolder;

    /** @param dataFolder where runs, checkpoints and saved models go (tests pass a temp folder) */
    public UserSettings(Preferences prefs, Path dataFolder) {
        this.prefs = prefs;
        this.dataFolder = dataFolder;
    }

    public static UserSettings forUser() {
        return new UserSettings(Preferences.userRoot().node("org/inkwell/workbench"), org.inkwell.data.AppDirs.dataFolder());
    }

    public Path folder(String key) {
        String v = prefs.get("folder." + key, null);
        if (v == null) {
            return null;
        }
        Path p = Path.of(v);
        return Files.isDirectory(p) ? p : null;
    }

    public void rememberFolder(String key, Path fileOrFolder) {
        if (fileOrFolder == null) {
            return;
        }
        Path dir = Files.isDirectory(fileOrFolder) ? fileOrFolder : fileOrFolder.toAbsolutePath().getParent();
        if (dir != null) {
            prefs.put("folder." + key, dir.toString());
        }
    }

    /** The model the user last opened, so the next start opens it again; null for the bundled one. */
    public Path lastModel() {
        String v = prefs.get("model.last", null);
        return v == null ? null : Path.of(v);
    }

    public void rememberModel(Path zip) {
        if (zip == null) {
            prefs.remove("model.last");
        } else {
            prefs.put("model.last", zip.toAbsolutePath().toString());
        }
    }

    /** The data folder in use when the app last closed; null when it was the built-in generator. */
    public Path lastDataFolder() {
        String v = prefs.get("data.last", null);
        return v == null ? null : Path.of(v);
    }

    public void rememberDataFolder(Path folder) {
        if (folder == null) {
            prefs.remove("data.last");
        } else {
            prefs.put("data.last", folder.toAbsolutePath().toString());
        }
    }

    public double windowWidth() {
        return prefs.getDouble("window.width", 1280);
    }

    public double windowHeight() {
        return prefs.getDouble("window.height", 800);
    }

    public void rememberWindow(double w, double h) {
        prefs.putDouble("window.width", w);
        prefs.putDouble("window.height", h);
    }

    public boolean darkTheme() {
        return prefs.getBoolean("theme.dark", false);
    }

    public void setDarkTheme(boolean dark) {
        prefs.putBoolean("theme.dark", dark);
    }

    /** The inference precision chosen in Preferences (auto until one is chosen; an unknown value reads as auto). */
    public org.inkwell.engine.Precision precision() {
        try {
            return org.inkwell.engine.Precision.parse(prefs.get("precision", "auto"));
        } catch (IllegalArgumentException e) {
            return org.inkwell.engine.Precision.AUTO;
        }
    }

    public void setPrecision(org.inkwell.engine.Precision precision) {
        prefs.put("precision", precision.cliName());
    }

    /** The engine setting chosen in Preferences (auto until one is chosen; an unknown value reads as auto). */
    public org.inkwell.engine.EngineSetting engine() {
        try {
            return org.inkwell.engine.EngineSetting.parse(prefs.get("engine", "auto"));
        } catch (IllegalArgumentException e) {
            return org.inkwell.engine.EngineSetting.AUTO;
        }
    }

    public void setEngine(org.inkwell.engine.EngineSetting engine) {
        prefs.put("engine", engine.cliName());
    }

    /** A remembered text (a form's settings, say), or {@code fallback} when none was kept. */
    public String text(String key, String fallback) {
        return prefs.get("text." + key, fallback);
    }

    public void rememberText(String key, String value) {
        if (value == null) {
            prefs.remove("text." + key);
        } else {
            // Preferences keep values up to 8 KB; longer text is not worth keeping.
            if (value.length() <= java.util.prefs.Preferences.MAX_VALUE_LENGTH) {
                prefs.put("text." + key, value);
            }
        }
    }

    /** Where Inkwell writes checkpoints and models: the user's data folder, never the install folder. */
    public Path dataFolder() {
        return dataFolder;
    }

    /** Training runs, one folder each. */
    public Path runsFolder() {
        return dataFolder.resolve("runs");
    }
}
