package org.inkwell.train;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.runtime.Dl4jRuntime;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Training steps of one network through oneDNN {@link TrainingPlan}s where the network allows (the plan computes
 * the gradient, DL4J's updater applies it), else through DL4J's own backprop ({@link TrainingStep}). Holds the
 * plans' native memory until closed. Not thread-safe: use it on the thread that owns the network.
 */
public final class PlannedStep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlannedStep.class);
    /** {@code -Dinkwell.training=dl4j} trains through DL4J's own backprop instead of the oneDNN plans. */
    static final boolean PLANS_ON = !"dl4j".equals(System.getProperty("inkwell.training"));
    /** Plans kept at once: the full pass and a remainder pass. */
    private static final int PLANS_KEPT = 2;

    private final ComputationGraph net;
    private final LinkedHashMap<String, TrainingPlan> plans = new LinkedHashMap<>(4, 0.75f, true);
    private final Consumer<String> notices;
    private boolean planned;

    public PlannedStep(ComputationGraph net) {
        this(net, notice -> {
        });
    }

    /** {@code notices} hears, once, when the plans give way to DL4J's backprop (the Trainer shows it to the user). */
    public PlannedStep(ComputationGraph net, Consumer<String> notices) {
        this.net = net;
        this.notices = notices;
        // Plans are oneDNN on the CPU: a CUDA build keeps DL4J's backprop on the GPU.
        this.planned = PLANS_ON && Dl4jRuntime.backend().startsWith("CPU") && TrainingPlan.supports(net);
    }

    /** What computes the gradients: "oneDNN plan" or "DL4J". */
    public String engine() {
        return planned ? "oneDNN plan" : "DL4J";
    }

    /**
     * One optimizer step over {@code x} and targets {@code y}, in passes of at most {@code micro} samples ({@code <= 0}:
     * one pass), as {@link TrainingStep#fit(ComputationGraph, INDArray, INDArray, int)} computes it; returns DL4J's
     * score (sum over pixels, mean over samples).
     */
    public double fit(INDArray x, INDArray y, int micro) {
        if (planned) {
            Computed computed = null;
            try {
                computed = plannedGradient(x, y, micro);
            } catch (LinkageError | OutOfMemoryError | RuntimeException e) {
                // Nothing in the network has changed yet, so DL4J can take this step over.
                String why = "oneDNN training plan unavailable (" + e + "); training continues with DL4J's backprop";
                LOG.warn(why);
                notices.accept(why);
                planned = false;
                close();
            }
            if (computed != null) {
                TrainingStep.apply(net, computed.gradient(), (int) x.size(0));
                return computed.loss() / x.size(0);
            }
        }
        return TrainingStep.fit(net, x, y, micro);
    }

    private record Computed(Gradient gradient, double loss) {
    }

    private Computed plannedGradient(INDArray x, INDArray y, int micro) {
        int n = (int) x.size(0);
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        int pass = micro <= 0 || micro >= n ? n : micro;
        if (x.rank() != 4 || x.size(1) != 1 || !java.util.Arrays.equals(x.shape(), y.shape())) {
            throw new IllegalArgumentException("the plans take one-channel images and targets of the same shape");
        }
        float[] xs = x.dup('c').data().asFloat();
        float[] ys = y.dup('c').data().asFloat();
        int sample = h * w;
        Map<String, float[]> sums = new HashMap<>();
        Map<TrainingPlan, Boolean> loaded = new HashMap<>();
        double loss = 0;
        int parts = 0;
        for (int s = 0; s < n; s += pass) {
            int e = Math.min(n, s + pass);
            TrainingPlan plan = planFor(e - s, h, w);
            if (loaded.put(plan, Boolean.TRUE) == null) {
                plan.load(net);
            }
            loss += plan.pass(net, Arrays.copyOfRange(xs, s * sample, e * sample),
                    Arrays.copyOfRange(ys, s * sample, e * sample), sums);
            parts++;
        }
        return new Computed(gradientOf(sums, parts), loss);
    }

    /**
     * For profiling: one pass over the first {@code pass} samples through the plan, then the same pass again with
     * every primitive timed alone; milliseconds per primitive kind, with "loss and copies (Java)" for the rest.
     */
    public Map<String, Double> profilePass(INDArray x, INDArray y, int pass) {
        if (!planned) {
            throw new IllegalStateException("this network trains through DL4J");
        }
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        float[] xs = Arrays.copyOf(x.dup('c').data().asFloat(), pass * h * w);
        float[] ys = Arrays.copyOf(y.dup('c').data().asFloat(), pass * h * w);
        TrainingPlan plan = planFor(pass, h, w);
        plan.load(net);
        long t = System.nanoTime();
        plan.pass(net, xs, ys, new HashMap<>());
        double whole = (System.nanoTime() - t) / 1e6;
        Map<String, Double> byKind = plan.profile();
        double primitives = byKind.values().stream().mapToDouble(Double::doubleValue).sum();
        byKind.put("loss and copies (Java)", Math.max(0, whole - primitives));
        return byKind;
    }

    private TrainingPlan planFor(int n, int h, int w) {
        String key = n + "x" + h + "x" + w;
        TrainingPlan plan = plans.get(key);
        if (plan == null) {
            plan = new TrainingPlan(net, n, h, w);
            plans.put(key, plan);
            var it = plans.entrySet().iterator();
            while (plans.size() > PLANS_KEPT) {
                it.next().getValue().close();
                it.remove();
            }
        }
        return plan;
    }

    /** Writes the summed gradients into the network's gradient view, as DL4J's backprop leaves them. */
    private Gradient gradientOf(Map<String, float[]> sums, int parts) {
        if (net.getFlattenedGradients() == null) {
            net.initGradientsView();
        }
        Gradient gradient = new DefaultGradient(net.getFlattenedGradients());
        for (var layer : net.getLayers()) {
            if (layer.numParams() == 0) {
                continue;
            }
            var conf = layer.conf();
            String name = conf.getLayer().getLayerName();
            var views = conf.getLayer().initializer().getGradientsFromFlattened(conf, layer.getGradientsViewArray());
            for (var e : views.entrySet()) {
                String key = name + "_" + e.getKey();
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
                e.getValue().assign(Nd4j.create(sum, e.getValue().shape(), 'c'));
                gradient.setGradientFor(key, e.getValue());
            }
        }
        return gradient;
    }

    @Override
    public void close() {
        plans.values().forEach(TrainingPlan::close);
        plans.clear();
    }
}
