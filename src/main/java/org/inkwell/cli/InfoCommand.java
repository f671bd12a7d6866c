package org.inkwell.cli;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.inkwell.model.Architecture;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.model.ModelStore;
import org.nd4j.linalg.learning.config.Adam;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Prints an architecture's or a model's layer table, parameter counts and metadata.")
final class InfoCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true)
    Target target;

    static final class Target {
        @Option(names = "--arch", description = "seed, vgg16, unet or unet-context.")
        String arch;

        @Option(names = "--model", description = "Model zip, or 'bundled'.")
        String model;
    }

    @Option(names = "--size", defaultValue = "224", description = "Input side for the layer table (default ${DEFAULT-VALUE}).")
    int size;

    @Override
    public Integer call() throws Exception {
        Limits.size("--size", size);
        Dl4jRuntime.init();
        ComputationGraph net;
        if (target != null && target.arch != null) {
            Architecture a = Architecture.parse(target.arch);
            System.out.println(a.id() + ": " + a.description());
            net = a.build(size, new Adam(1e-3), 1);
        } else {
            ModelStore.StoredModel m = ModelStore.loadSpec(target == null ? "bundled" : target.model);
            System.out.println("model: " + m.source());
            if (m.metadata() != null) {
                System.out.println(ModelStore.toJson(m.metadata()));
            }
            net = m.net();
        }
        System.out.println(net.summary(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(size, size, 1)));
        System.out.println("trainable parameters: " + Architecture.trainableParameters(net));
        System.out.println("all parameters (with BatchNorm running statistics): " + net.numParams());
        System.out.println("backend: " + Dl4jRuntime.backend());
        org.inkwell.engine.EngineSetting inference = org.inkwell.engine.EngineSetting.forInference();
        org.inkwell.engine.EngineSetting training = org.inkwell.engine.EngineSetting.forTraining();
        try (var f = org.inkwell.engine.Engines.forward(net, inference);
             var g = org.inkwell.engine.Engines.gradient(net, training)) {
            System.out.println("engines: forward pass " + f.engine().label() + ", gradients " + g.engine().label()
                    + " (setting: " + inference.cliName() + (inference == training ? "" : " / " + training.cliName())
                    + "; registered beside DL4J: " + (org.inkwell.engine.Engines.providers().isEmpty() ? "none"
                    : org.inkwell.engine.Engines.providers().stream().map(p -> p.engine().label()).toList()) + ")");
            String chosen;
            try {
                f.forward(new float[size * size], 1, size, size); // one pass says which number format the plans chose
                chosen = f.precision();
            } catch (RuntimeException e) {
                chosen = "unknown (" + e.getMessage() + ")";
            }
            boolean hardware = org.inkwell.engine.Engines.provider(org.inkwell.engine.Engine.ONEDNN)
                    .map(org.inkwell.engine.EngineProvider::hardwareBf16).orElse(false);
            System.out.println("inference precision: " + chosen + " (setting: "
                    + org.inkwell.engine.Precision.current().cliName() + "; bfloat16 in hardware on this CPU: "
                    + (hardware ? "yes" : "no") + "; training: float32)");
        }
        System.out.println("oneDNN layer helpers: " + (Dl4jRuntime.oneDnnActive() ? "on" : "off"));
        System.out.println("native allocator: " + org.inkwell.runtime.NativeAllocator.state());
        return 0;
    }
}
