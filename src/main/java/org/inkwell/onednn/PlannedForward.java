package org.inkwell.onednn;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.engine.Engine;
import org.inkwell.engine.ForwardEngine;
import org.inkwell.engine.Precision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * A network's forward pass through {@link InferencePlan}s, one per input shape, least recently used freed first once
 * their native buffers pass {@link #CACHE_BYTES}. What the plans cannot take runs on DL4J's pass ({@code fallback}):
 * <ul>
 * <li>a shape whose plan cannot be built (a side the poolings cannot halve, a primitive oneDNN refuses) is
 * remembered, said once in a warning, and always runs on DL4J;</li>
 * <li>a plan that fails while running gives that one call to DL4J; three failures in a row give every later call to
 * DL4J for good, as does a missing or broken native library (a {@link LinkageError}), each said once.</li>
 * </ul>
 * Plans copy the weights when made: when the network has trained since, they are made again.
 */
final class PlannedForward implements ForwardEngine {
    private static final Logger LOG = LoggerFactory.getLogger(PlannedForward.class);
    /** Native bytes the cached plans may hold together (the newest plan is kept whatever its size). */
    static final long CACHE_BYTES = Long.getLong("inkwell.planCacheBytes", 1L << 30);
    /** Run failures in a row after which the plans are given up. */
    static final int FAILURES_TO_GIVE_UP = 3;

    /** Test seam: what a plan does before it is built and before it runs (fault injection); null in production. */
    interface Faults {
        void beforeBuild(String shape);

        void beforeRun(String shape);
    }

    static volatile Faults faults;

    private final ComputationGraph net;
    private final ForwardEngine fallback;
    private final LinkedHashMap<String, InferencePlan> plans = new LinkedHashMap<>(8, 0.75f, true);
    private final Set<String> refused = new HashSet<>();
    private long iteration;
    private boolean givenUp;
    private int failuresInARow;
    private Engine lastUsed = Engine.ONEDNN;
    private boolean lastBf16;
    /** A precision fixed for this network (validation during training), or null to follow the setting. */
    private Precision pinned;

    PlannedForward(ComputationGraph net, ForwardEngine fallback) {
        this.net = net;
        this.fallback = fallback;
        this.iteration = net.getIterationCount();
    }

    @Override
    public Engine engine() {
        return givenUp ? Engine.DL4J : Engine.ONEDNN;
    }

    @Override
    public Engine lastUsed() {
        return lastUsed;
    }

    /** Shapes whose plan could not be built (they run on DL4J). */
    Set<String> refusedShapes() {
        return Set.copyOf(refused);
    }

    int cachedPlans() {
        return plans.size();
    }

    @Override
    public float[] forward(float[] x, int n, int h, int w) {
        String shape = n + "x" + h + "x" + w;
        if (givenUp) {
            return dl4j(x, n, h, w);
        }
        boolean bf16;
        try {
            bf16 = (pinned != null ? pinned : Precision.current()).bf16(DnnlPlan.nativeBf16());
        } catch (LinkageError e) {
            giveUp("oneDNN is not available (" + e + ")");
            return dl4j(x, n, h, w);
        }
        // A precision changed in Preferences makes new plans; a shape refused in one precision may work in the other.
        String key = key(shape, bf16);
        if (refused.contains(key)) {
            return dl4j(x, n, h, w);
        }
        if (net.getIterationCount() != iteration) {
            close(); // trained since the plans copied the weights
            iteration = net.getIterationCount();
        }
        InferencePlan plan = plans.get(key);
        if (plan == null) {
            try {
                Faults f = faults;
                if (f != null) {
                    f.beforeBuild(shape);
                }
                plan = new InferencePlan(net, n, h, w, bf16);
            } catch (LinkageError e) {
                giveUp("oneDNN is not available (" + e + ")");
                return dl4j(x, n, h, w);
            } catch (RuntimeException e) {
                refused.add(key);
                LOG.warn("no oneDNN inference plan for {} inputs{} ({}); DL4J runs this shape", shape.replace("x", " x "),
                        bf16 ? " in bfloat16" : "", e.toString());
                return dl4j(x, n, h, w);
            }
            plans.put(key, plan);
            evict();
        }
        try {
            Faults f = faults;
            if (f != null) {
                f.beforeRun(shape);
            }
            float[] out = plan.run(x);
            failuresInARow = 0;
            lastUsed = Engine.ONEDNN;
            lastBf16 = plan.bf16();
            return out;
        } catch (LinkageError e) {
            giveUp("oneDNN failed (" + e + ")");
        } catch (RuntimeException e) {
            plans.remove(key).close();
            if (++failuresInARow >= FAILURES_TO_GIVE_UP) {
                giveUp(failuresInARow + " plan runs failed in a row, the last with " + e);
            } else {
                LOG.warn("the oneDNN plan for {} inputs failed ({}); DL4J runs this call", shape.replace("x", " x "), e.toString());
            }
        }
        return dl4j(x, n, h, w);
    }

    /** A plan's key in the cache: its shape, and its number format where that is bfloat16. */
    private static String key(String shape, boolean bf16) {
        return bf16 ? shape + " bfloat16" : shape;
    }

    /** The plan for this shape (made and run once first), one primitive at a time. */
    @Override
    public java.util.Map<String, Double> profile(float[] x, int n, int h, int w) {
        forward(x, n, h, w);
        InferencePlan plan = lastUsed == Engine.ONEDNN
                ? plans.get(key(n + "x" + h + "x" + w, lastBf16)) : null;
        if (plan == null) {
            throw new UnsupportedOperationException("DL4J ran this shape: no plan to profile");
        }
        java.util.Map<String, Double> steps = new java.util.LinkedHashMap<>();
        var times = plan.profile(x);
        for (int i = 0; i < times.size(); i++) {
            steps.put(String.format(java.util.Locale.ROOT, "%02d %s", i, times.get(i).primitive()), times.get(i).ms());
        }
        return steps;
    }

    /** The plan's own count for this shape (made and run once first); empty where DL4J runs the shape. */
    @Override
    public java.util.OptionalLong executedFlops(int n, int h, int w) {
        forward(new float[n * h * w], n, h, w);
        InferencePlan plan = lastUsed == Engine.ONEDNN ? plans.get(key(n + "x" + h + "x" + w, lastBf16)) : null;
        return plan == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(plan.flops());
    }

    @Override
    public void pinPrecision(Precision precision) {
        pinned = precision;
    }

    @Override
    public String precision() {
        return lastUsed == Engine.ONEDNN && lastBf16 ? "bfloat16" : "float32";
    }

    private float[] dl4j(float[] x, int n, int h, int w) {
        lastUsed = Engine.DL4J;
        return fallback.forward(x, n, h, w);
    }

    private void giveUp(String why) {
        LOG.warn("oneDNN inference plans given up: {}; DL4J runs every forward pass of this network from now on", why);
        givenUp = true;
        close();
    }

    /** Frees the least recently used plans while the cache is over its bytes (never the newest). */
    private void evict() {
        long total = nativeBytes();
        var it = plans.entrySet().iterator();
        while (total > CACHE_BYTES && plans.size() > 1) {
            InferencePlan eldest = it.next().getValue();
            total -= eldest.nativeBytes();
            eldest.close();
            it.remove();
        }
    }

    @Override
    public long nativeBytes() {
        return plans.values().stream().mapToLong(DnnlPlan::nativeBytes).sum();
    }

    @Override
    public void close() {
        plans.values().forEach(InferencePlan::close);
        plans.clear();
    }
}
