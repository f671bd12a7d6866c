package org.inkwell.runtime;

import org.inkwell.data.AppDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class NativeLibrariesTest {
    private static final Path HOME_CACHE = Path.of(System.getProperty("user.home"), ".javacpp").toAbsolutePath();

    @Test
    void unpackedNativesBesideTheJarLoadInPlace(@TempDir Path app) throws Exception {
        Path jar = Files.createFile(app.resolve("inkwell.jar"));
        Path natives = Files.createDirectory(app.resolve("natives"));
        Path found = NativeLibraries.shippedDir(null, jar);
        assertEquals(natives.toAbsolutePath(), found);

        Map<String, String> s = NativeLibraries.settings(found, app.resolve("data"));
        assertEquals(natives.toAbsolutePath().toString(), s.get(NativeLibraries.PRELOAD_PATH));
        assertEquals("true", s.get(NativeLibraries.PATHS_FIRST));
        assertNotUnderHomeJavacpp(s.get(NativeLibraries.CACHE_DIR));
    }

    @Test
    void thePlainJarUnpacksIntoTheDataFolderNotTheHomeJavacppCache(@TempDir Path app) throws Exception {
        Path jar = Files.createFile(app.resolve("inkwell.jar"));
        assertNull(NativeLibraries.shippedDir(null, jar));
        assertNull(NativeLibraries.shippedDir("", null));

        // The data folder as a user without overrides gets it: under user.home.
        String previous = System.clearProperty("inkwell.data.dir");
        try {
            Map<String, String> s = NativeLibraries.settings(null, AppDirs.dataFolder());
            assertFalse(s.containsKey(NativeLibraries.PATHS_FIRST));
            assertEquals(AppDirs.dataFolder().resolve("javacpp").toAbsolutePath().toString(), s.get(NativeLibraries.CACHE_DIR));
            assertNotUnderHomeJavacpp(s.get(NativeLibraries.CACHE_DIR));
        } finally {
            if (previous != null) {
                System.setProperty("inkwell.data.dir", previous);
            }
        }
    }

    @Test
    void anExplicitNativesFolderWins(@TempDir Path dir) {
        assertEquals(dir, NativeLibraries.shippedDir(dir.toString(), null));
    }

    private static void assertNotUnderHomeJavacpp(String cacheDir) {
        assertFalse(Path.of(cacheDir).toAbsolutePath().normalize().startsWith(HOME_CACHE),
                "JavaCPP would unpack natives into " + cacheDir);
    }
}
