package org.inkwell.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Keeps glibc's malloc from returning ND4J's and oneDNN's large scratch buffers to the kernel after every use.
 * By default glibc maps blocks above a (dynamic, at most 32 MB) threshold with mmap and trims freed heap
 * above 128 KB, so a 224x224 training step faults in fresh zeroed pages for its activations on every layer.
 * Raising both thresholds made a seed-network step at batch 32 1.3x faster in alternating benchmark runs here
 * (README, Performance).
 */
public final class NativeAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(NativeAllocator.class);
    /** glibc's mallopt parameter numbers (malloc.h). */
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int MMAP_THRESHOLD = 1 << 30;
    private static final int TRIM_THRESHOLD = Integer.MAX_VALUE;
    /** Set to false to keep glibc's defaults. */
    public static final String PROPERTY = "inkwell.tuneMalloc";

    private static volatile String state = "not tried";

    private NativeAllocator() {
    }

    /**
     * Why the allocator is or is not tuned, given the environment: null when tuning should be applied. The user's
     * own glibc settings win, and only glibc on Linux has these knobs.
     */
    static String reasonNotToTune(String os, Map<String, String> env, String property) {
        if ("false".equalsIgnoreCase(property)) {
            return "off (-D" + PROPERTY + "=false)";
        }
        if (!os.toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
            return "not applicable on " + os;
        }
        for (String key : new String[]{"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES"}) {
            if (env.containsKey(key)) {
                return "left to the environment (" + key + " is set)";
            }
        }
        return null;
    }

    /** Applies the thresholds once; safe to call again. Never throws: a failure only costs speed. */
    public static synchronized void tune() {
        if (!state.equals("not tried")) {
            return;
        }
        String reason = reasonNotToTune(System.getProperty("os.name", ""), System.getenv(), System.getProperty(PROPERTY));
        if (reason != null) {
            state = reason;
            return;
        }
        try {
            com.sun.jna.Function mallopt = com.sun.jna.Function.getFunction("c", "mallopt");
            int mmap = mallopt.invokeInt(new Object[]{M_MMAP_THRESHOLD, MMAP_THRESHOLD});
            int trim = mallopt.invokeInt(new Object[]{M_TRIM_THRESHOLD, TRIM_THRESHOLD});
            state = mmap == 1 && trim == 1 ? "tuned" : "refused by the C library (mallopt returned " + mmap + ", " + trim + ")";
        } catch (RuntimeException | LinkageError e) {
            // musl and other C libraries have no mallopt.
            state = "unavailable (" + e.getMessage() + ")";
        }
        LOG.debug("native allocator: {}", state);
    }

    /** True when the larger thresholds are in effect in this process. */
    public static boolean tuned() {
        return state.equals("tuned");
    }

    /** "tuned", or why not. */
    public static String state() {
        return state;
    }

    /**
     * Hands memory freed since the last call back to the operating system (malloc_trim), for after training when
     * the retained activation buffers would otherwise keep the process large.
     */
    public static void releaseFreeMemory() {
        if (tuned()) {
            try {
                com.sun.jna.Function.getFunction("c", "malloc_trim").invokeInt(new Object[]{0});
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("malloc_trim failed: {}", e.getMessage());
            }
        }
    }
}
