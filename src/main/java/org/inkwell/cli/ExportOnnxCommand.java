package org.inkwell.cli;

import org.inkwell.data.OutputPolicy;
import org.inkwell.model.ModelStore;
import org.inkwell.model.OnnxExport;
import org.inkwell.runtime.Dl4jRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = {"Exports a model as ONNX (opset " + OnnxExport.OPSET + ", any batch and size) for ONNX Runtime and other engines.",
                "The file's metadata (keys inkwell.*) says how to prepare the input and read the output; see docs/onnx.md."})
final class ExportOnnxCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The .onnx file to write.")
    Path output;

    @Mixin
    OutputOptions outputs;

    @Override
    public Integer call() throws Exception {
        OutputPolicy policy = outputs.policy().protect(model.path());
        policy.check(output, OutputPolicy.Kind.ONNX); // before the model loads
        Dl4jRuntime.init();
        ModelStore.StoredModel m = model.load();
        Path written = OnnxExport.write(m, output, policy);
        System.out.printf(Locale.ROOT, "wrote %s (%s, opset %d, %.1f MB) to %s%n", m.source().equals("bundled") ? "the bundled model"
                        : Path.of(m.source()).getFileName(), m.metadata() == null ? "DL4J network" : m.metadata().architecture(),
                OnnxExport.OPSET, Files.size(written) / 1e6, output);
        return 0;
    }
}
