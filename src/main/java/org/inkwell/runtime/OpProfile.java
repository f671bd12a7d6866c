package org.inkwell.runtime;

import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;
import org.nd4j.linalg.profiler.data.StringAggregator;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where time goes inside ND4J, per op and per layer type, using ND4J's own op profiler (every op the network
 * runs, oneDNN helpers included, goes through the executioner that times it). Not thread-safe; for benchmarks.
 */
public final class OpProfile implements AutoCloseable {
    /** Total nanoseconds and calls of one op. */
    public record OpTime(String op, String category, long nanos, long calls) {
    }

    private final Map<String, long[]> byOp = new TreeMap<>();
    private final Map<String, long[]> byOpAndShape = new TreeMap<>();

    private OpProfile() {
    }

    /** Starts timing every ND4J op until {@link #close()}. */
    public static OpProfile start() {
        Dl4jRuntime.init();
        OpProfile p = new OpProfile();
        OpProfiler.getInstance().reset();
        OpProfiler.getInstance().setClassAggergator(new StringAggregator() {
            @Override
            public void putTime(String key, Op op, long nanos) {
                p.add(op.opName(), op.x() == null ? "" : shape(op.x().shape()), nanos);
            }

            @Override
            public void putTime(String key, CustomOp op, long nanos) {
                p.add(op.opName(), op.numInputArguments() == 0 ? "" : shape(op.inputArguments().get(0).shape()), nanos);
            }
        });
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
        return p;
    }

    private synchronized void add(String op, String shape, long nanos) {
        long[] t = byOp.computeIfAbsent(op, k -> new long[2]);
        t[0] += nanos;
        t[1]++;
        long[] s = byOpAndShape.computeIfAbsent(op + " " + shape, k -> new long[2]);
        s[0] += nanos;
        s[1]++;
    }

    private static String shape(long[] shape) {
        return java.util.Arrays.stream(shape).mapToObj(Long::toString).collect(java.util.stream.Collectors.joining("x"));
    }

    @Override
    public void close() {
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
        OpProfiler.getInstance().setClassAggergator(new StringAggregator());
    }

    public synchronized java.util.List<OpTime> ops() {
        return sorted(byOp);
    }

    /** Like {@link #ops()} but split by the shape of the op's first input, which tells the layers apart. */
    public synchronized java.util.List<OpTime> opsByInputShape() {
        return sorted(byOpAndShape);
    }

    private static java.util.List<OpTime> sorted(Map<String, long[]> times) {
        return times.entrySet().stream().map(e -> new OpTime(e.getKey(), category(e.getKey().split(" ")[0]), e.getValue()[0], e.getValue()[1]))
                .sorted((a, b) -> Long.compare(b.nanos(), a.nanos())).toList();
    }

    /** Nanoseconds per layer type, largest first. */
    public synchronized Map<String, Long> byCategory() {
        Map<String, Long> sums = new TreeMap<>();
        for (OpTime t : ops()) {
            sums.merge(t.category(), t.nanos(), Long::sum);
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        sums.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** The layer type an ND4J op belongs to in Inkwell's networks. */
    static String category(String op) {
        String o = op.toLowerCase(Locale.ROOT);
        if (o.startsWith("conv2d") || o.startsWith("deconv") || o.equals("im2col") || o.equals("col2im") || o.equals("mmul")
                || o.equals("matmul") || o.startsWith("biasadd")) {
            return "convolution";
        }
        if (o.startsWith("batchnorm")) {
            return "batchnorm";
        }
        if (o.contains("pool")) {
            return "pooling";
        }
        if (o.startsWith("upsampling")) {
            return "upsampling";
        }
        if (o.contains("relu") || o.contains("sigmoid") || o.contains("rectified") || o.startsWith("step")) {
            return "activation";
        }
        if (o.contains("xent") || o.contains("log") || o.contains("cross_entropy")) {
            return "loss";
        }
        if (o.contains("adam") || o.contains("nesterov") || o.contains("sgd") || o.contains("updater")) {
            return "optimizer";
        }
        if (o.equals("concat") || o.startsWith("merge")) {
            return "concat";
        }
        return "other (copies, element-wise)";
    }
}
