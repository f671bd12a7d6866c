package org.inkwell.cli;

import org.bytedeco.javacpp.Pointer;
import org.inkwell.runtime.Dl4jRuntime;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the bench commands time work and report it: warmed-up medians, p90s, memory snapshots, JSON through Gson. */
final class BenchTiming {
    private BenchTiming() {
    }

    static Map<String, Object> memory(String phase, long step) {
        return memory(phase, step, true);
    }

    /** As above; without {@code gc} nothing is collected first (what a running app holds). */
    static Map<String, Object> memory(String phase, long step, boolean gc) {
        if (gc) {
            System.gc();
            try {
                Thread.sleep(300); // ND4J frees native buffers on its deallocator thread after GC
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("phase", phase);
        r.put("step", step);
        r.put("heap_used_mb", round(mx.getHeapMemoryUsage().getUsed() / 1e6));
        r.put("heap_committed_mb", round(mx.getHeapMemoryUsage().getCommitted() / 1e6));
        r.put("non_heap_mb", round(mx.getNonHeapMemoryUsage().getCommitted() / 1e6));
        r.put("workspaces_mb", round(Dl4jRuntime.workspaceBytes() / 1e6));
        r.put("live_native_buffers", Dl4jRuntime.liveNativeBuffers());
        r.put("javacpp_mb", round(Pointer.totalBytes() / 1e6));
        r.put("process_rss_mb", round(Pointer.physicalBytes() / 1e6));
        return r;
    }

    static void put(Map<String, Object> r, String key, double[] samples) {
        r.put(key, round(median(samples)));
        r.put(key.replace("_ms", "") + "_p90_ms", round(percentile(samples, 0.9)));
    }

    static double[] time(Runnable task, int warmup, int repeats) {
        for (int i = 0; i < warmup; i++) {
            task.run();
        }
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            task.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return ms;
    }

    /** Times two tasks in turns, so that a machine slowing down or speeding up affects both alike. */
    static double[][] timeAlternating(Runnable a, Runnable b, int warmup, int repeats) {
        for (int i = 0; i < warmup; i++) {
            a.run();
            b.run();
        }
        double[][] ms = new double[2][repeats];
        for (int i = 0; i < repeats; i++) {
            ms[0][i] = time(a, 0, 1)[0];
            ms[1][i] = time(b, 0, 1)[0];
        }
        return ms;
    }

    static double median(double[] v) {
        return percentile(v, 0.5);
    }

    static double percentile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** One JSON object (Gson, on the classpath already): strings are escaped, special floats allowed. */
    static String toJson(Map<String, Object> r) {
        return new com.google.gson.GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(r);
    }
}
