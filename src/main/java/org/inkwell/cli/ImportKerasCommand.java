package org.inkwell.cli;

import org.inkwell.data.OutputPolicy;
import org.inkwell.model.KerasImport;
import org.inkwell.model.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "import-keras", mixinStandardHelpOptions = true,
        description = "Imports the seed author's Keras model (HDF5) into an Inkwell model zip (seed architecture, NCHW).")
final class ImportKerasCommand implements Callable<Integer> {
    @Parameters(paramLabel = "HDF5", description = "Keras model file, e.g. ../shared/seed/re_binary.hdf5.")
    Path hdf5;

    @Option(names = {"-o", "--output"}, required = true, description = "Model zip to write.")
    Path output;

    @picocli.CommandLine.Mixin
    OutputOptions outputs;

    @Override
    public Integer call() throws Exception {
        OutputPolicy policy = outputs.policy().protect(hdf5);
        policy.check(output, OutputPolicy.Kind.MODEL_ZIP);
        ModelStore.StoredModel m = KerasImport.importSeed(hdf5);
        ModelStore.save(output, m.net(), m.metadata(), m.history(), false, policy);
        System.out.println("imported " + hdf5 + " -> " + output);
        return 0;
    }
}
