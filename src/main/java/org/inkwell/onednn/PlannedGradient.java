package org.inkwell.onednn;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.engine.Engine;
import org.inkwell.engine.GradientEngine;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A network's gradients through {@link TrainingPlan}s (the full pass and a remainder pass kept), written into the
 * network's gradient view without ND4J allocations per step. What the plans cannot take goes to DL4J's backprop
 * ({@code fallback}), which is exact because a plan changes nothing in the network:
 * <ul>
 * <li>a pass shape whose plan cannot be built is remembered and said once; its steps run on DL4J;</li>
 * <li>a plan that fails while running (a bad input, a passing out-of-memory) gives that one step to DL4J and the
 * next step goes back to the plans; three failed steps in a row, or a missing native library, give the rest of the
 * run to DL4J. Each is said once, to the log and to the {@link #notices} listener (the Trainer's status line).</li>
 * </ul>
 */
final class PlannedGradient implements GradientEngine {
    private static final Logger LOG = LoggerFactory.getLogger(PlannedGradient.class);
    /** Plans kept at once: the full pass and a remainder pass. */
    private static final int PLANS_KEPT = 2;

    /** Test seam, as {@link PlannedForward.Faults}. */
    static volatile PlannedForward.Faults faults;

    private final ComputationGraph net;
    private final GradientEngine fallback;
    private final LinkedHashMap<String, TrainingPlan> plans = new LinkedHashMap<>(4, 0.75f, true);
    private final Set<String> refused = new HashSet<>();
    /** Gradient sums by DL4J key, reused from step to step. */
    private final Map<String, float[]> sums = new HashMap<>();
    private Consumer<String> notices = n -> { };
    private boolean givenUp;
    private int failuresInARow;
    private Engine lastUsed = Engine.ONEDNN;

    PlannedGradient(ComputationGraph net, GradientEngine fallback) {
        this.net = net;
        this.fallback = fallback;
    }

    @Override
    public void notices(Consumer<String> listener) {
        this.notices = listener;
    }

    @Override
    public Engine engine() {
        return givenUp ? Engine.DL4J : Engine.ONEDNN;
    }

    @Override
    public Engine lastUsed() {
        return lastUsed;
    }

    @Override
    public Result gradient(INDArray x, INDArray y, int micro) {
        if (!givenUp) {
            try {
                Result r = planned(x, y, micro);
                if (r != null) {
                    failuresInARow = 0;
                    lastUsed = Engine.ONEDNN;
                    return r;
                }
            } catch (LinkageError e) {
                giveUp("oneDNN is not available (" + e + ")");
            } catch (RuntimeException | OutOfMemoryError e) {
                if (++failuresInARow >= PlannedForward.FAILURES_TO_GIVE_UP) {
                    giveUp(failuresInARow + " planned steps failed in a row, the last with " + e);
                } else {
                    String why = "a oneDNN training step failed (" + e + "); DL4J's backprop takes this step, the plans the next";
                    LOG.warn(why);
                    notices.accept(why);
                }
            }
        }
        lastUsed = Engine.DL4J;
        return fallback.gradient(x, y, micro);
    }

    private void giveUp(String why) {
        String line = "oneDNN training plans given up: " + why + "; training continues with DL4J's backprop";
        LOG.warn(line);
        notices.accept(line);
        givenUp = true;
        close();
    }

    /** The planned gradient, or null when a pass shape of this batch has no plan (then DL4J takes the step). */
    private Result planned(INDArray x, INDArray y, int micro) {
        if (x.rank() != 4 || x.size(1) != 1 || !Arrays.equals(x.shape(), y.shape())) {
            throw new IllegalArgumentException("the plans take one-channel images and targets of the same shape");
        }
        int n = (int) x.size(0);
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        int pass = micro <= 0 || micro >= n ? n : micro;
        for (int s = 0; s < n; s += pass) {
            if (plan(Math.min(n, s + pass) - s, h, w) == null) {
                return null;
            }
        }
        float[] xs = Arrays2.floats(x);
        float[] ys = Arrays2.floats(y);
        int sample = h * w;
        sums.values().forEach(a -> Arrays.fill(a, 0f));
        Set<TrainingPlan> loaded = new HashSet<>();
        double loss = 0;
        int parts = 0;
        for (int s = 0; s < n; s += pass) {
            int e = Math.min(n, s + pass);
            TrainingPlan plan = plan(e - s, h, w);
            PlannedForward.Faults f = faults;
            if (f != null) {
                f.beforeRun((e - s) + "x" + h + "x" + w);
            }
            if (loaded.add(plan)) {
                plan.load(net);
            }
            loss += plan.pass(net, xs, ys, s * sample, (e - s) * sample, sums);
            parts++;
        }
        return new Result(gradientOf(parts), loss);
    }

    /** The plan for passes of {@code n x h x w}; null when it cannot be built (remembered, said once). */
    private TrainingPlan plan(int n, int h, int w) {
        String key = n + "x" + h + "x" + w;
        if (refused.contains(key)) {
            return null;
        }
        TrainingPlan plan = plans.get(key);
        if (plan != null) {
            return plan;
        }
        try {
            PlannedForward.Faults f = faults;
            if (f != null) {
                f.beforeBuild(key);
            }
            plan = new TrainingPlan(net, n, h, w);
        } catch (RuntimeException e) {
            refused.add(key);
            String why = "no oneDNN training plan for passes of " + key.replace("x", " x ") + " (" + e
                    + "); DL4J's backprop computes those steps";
            LOG.warn(why);
            notices.accept(why);
            return null;
        }
        plans.put(key, plan);
        var it = plans.entrySet().iterator();
        while (plans.size() > PLANS_KEPT) {
            it.next().getValue().close();
            it.remove();
        }
        return plan;
    }

    /** The network's gradient views by DL4J key, made once (each view made anew costs ND4J shape buffers). */
    private Map<String, INDArray> views;
    private INDArray viewsOf;

    private Map<String, INDArray> gradientViews() {
        if (net.getFlattenedGradients() == null) {
            net.initGradientsView();
        }
        if (views == null || viewsOf != net.getFlattenedGradients()) {
            Map<String, INDArray> all = new LinkedHashMap<>();
            for (var layer : net.getLayers()) {
                if (layer.numParams() == 0) {
                    continue;
                }
                var conf = layer.conf();
                String name = conf.getLayer().getLayerName();
                conf.getLayer().initializer().getGradientsFromFlattened(conf, layer.getGradientsViewArray())
                        .forEach((k, v) -> all.put(name + "_" + k, v));
            }
            views = all;
            viewsOf = net.getFlattenedGradients();
        }
        return views;
    }

    /** Writes the summed gradients into the network's gradient view, as DL4J's backprop leaves them. */
    private Gradient gradientOf(int parts) {
        Map<String, INDArray> all = gradientViews(); // makes the gradient view when the network has none yet
        Gradient gradient = new DefaultGradient(net.getFlattenedGradients());
        for (var e : all.entrySet()) {
            String key = e.getKey();
            float[] sum = sums.get(key);
            if (sum == null || sum.length != e.getValue().length()) {
                throw new IllegalStateException("the plan has no gradient for " + key);
            }
            if (key.endsWith("_mean") || key.endsWith("_var")) {
                // Running statistics move by one step per optimizer step, not one per pass.
                for (int k = 0; k < sum.length; k++) {
                    sum[k] /= parts;
                }
            }
            Arrays2.put(e.getValue(), sum);
            gradient.setGradientFor(key, e.getValue());
        }
        return gradient;
    }

    @Override
    public Map<String, Double> profilePass(INDArray x, INDArray y, int pass) {
        if (givenUp) {
            throw new IllegalStateException("this network trains through DL4J");
        }
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        float[] xs = Arrays2.floats(x);
        float[] ys = Arrays2.floats(y);
        TrainingPlan plan = plan(pass, h, w);
        if (plan == null) {
            throw new IllegalStateException("no training plan for passes of " + pass + " x " + h + " x " + w);
        }
        plan.load(net);
        long t = System.nanoTime();
        plan.pass(net, xs, ys, 0, pass * h * w, new HashMap<>());
        double whole = (System.nanoTime() - t) / 1e6;
        Map<String, Double> byKind = plan.profile();
        double primitives = byKind.values().stream().mapToDouble(Double::doubleValue).sum();
        byKind.put("loss and copies (Java)", Math.max(0, whole - primitives));
        return byKind;
    }

    Set<String> refusedShapes() {
        return Set.copyOf(refused);
    }

    @Override
    public long nativeBytes() {
        return plans.values().stream().mapToLong(DnnlPlan::nativeBytes).sum();
    }

    @Override
    public void close() {
        plans.values().forEach(TrainingPlan::close);
        plans.clear();
    }
}
