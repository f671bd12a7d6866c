package org.inkwell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a CLI child process for tests: the test JVM's classpath and its folders, never the home. */
public final class ChildJvm {
    private static final String[] INHERITED = {"inkwell.data.dir", "org.bytedeco.javacpp.cachedir", "java.util.prefs.userRoot"};

    private ChildJvm() {
    }

    /** {@code java -cp ... -D... org.inkwell.Main args...}. */
    public static List<String> inkwell(String... args) {
        return java("org.inkwell.Main", args);
    }

    /** {@code java -cp ... -D... MAINCLASS args...}, with the test JVM's classpath. */
    public static List<String> java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        // The module openings the test JVM runs with (Spark needs java.base's internals, as spark-submit opens them).
        for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")) {
                cmd.add(arg);
            }
        }
        for (String key : INHERITED) {
            String v = System.getProperty(key);
            if (v != null) {
                cmd.add("-D" + key + "=" + v);
            }
        }
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }
}
