package org.inkwell.engine;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where forward and gradient engines come from. DL4J is always there; other engines register once at start-up
 * ({@link org.inkwell.runtime.Dl4jRuntime#init()} registers the oneDNN plans, its one line naming them). Each call
 * makes an engine for one network instance from the setting in force ({@link EngineSetting}): {@code auto} takes the
 * registered engine when it can run the network on this backend, else DL4J; {@code onednn} asks for it and says in
 * one warning when it cannot have it; {@code dl4j} is DL4J.
 */
public final class Engines {
    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);
    private static final List<EngineProvider> PROVIDERS = new CopyOnWriteArrayList<>();

    private Engines() {
    }

    /** Registers {@code provider} (once per engine; a second registration of the same engine is ignored). */
    public static void register(EngineProvider provider) {
        if (provider(provider.engine()).isEmpty()) {
            PROVIDERS.add(provider);
        }
    }

    public static Optional<EngineProvider> provider(Engine engine) {
        return PROVIDERS.stream().filter(p -> p.engine() == engine).findFirst();
    }

    /** The registered engines beside DL4J. */
    public static List<EngineProvider> providers() {
        return List.copyOf(PROVIDERS);
    }

    /** A forward engine for {@code net} under the setting in force now. */
    public static ForwardEngine forward(ComputationGraph net) {
        return forward(net, EngineSetting.forInference());
    }

    public static ForwardEngine forward(ComputationGraph net, EngineSetting setting) {
        Dl4jForward dl4j = new Dl4jForward(net);
        EngineProvider p = chosen(setting, "forward pass", net, true);
        return p == null ? dl4j : p.forward(net, dl4j);
    }

    /** A gradient engine for {@code net} under the setting in force now. */
    public static GradientEngine gradient(ComputationGraph net) {
        return gradient(net, EngineSetting.forTraining());
    }

    public static GradientEngine gradient(ComputationGraph net, EngineSetting setting) {
        EngineProvider p = chosen(setting, "gradients", net, false);
        return p == null ? dl4j(net) : p.gradient(net);
    }

    /** DL4J's backprop for {@code net}: what every other gradient engine falls back to. */
    public static GradientEngine dl4j(ComputationGraph net) {
        return new Dl4jGradient(net);
    }

    private static EngineProvider chosen(EngineSetting setting, String what, ComputationGraph net, boolean forward) {
        if (setting == EngineSetting.DL4J) {
            return null;
        }
        for (EngineProvider p : PROVIDERS) {
            if (setting == EngineSetting.AUTO || p.engine().name().equals(setting.name())) {
                if (forward ? p.runsForward(net) : p.runsGradient(net)) {
                    return p;
                }
            }
        }
        if (setting != EngineSetting.AUTO) {
            LOG.warn("the {} engine cannot run this network's {} here ({}); using DL4J", setting.cliName(), what,
                    provider(Engine.valueOf(setting.name())).isEmpty() ? "it is not in this build"
                            : "a layer it does not cover, or not a CPU backend");
        }
        return null;
    }
}
