package org.inkwell.cli;

import org.inkwell.data.OutputPolicy;
import picocli.CommandLine.Option;

/** {@code --overwrite}: the only way to let an output replace an existing file. */
final class OutputOptions {
    @Option(names = "--overwrite",
            description = "Let outputs replace existing files. Inputs, folders, special files and files you cannot write are never replaced.")
    boolean overwrite;

    OutputPolicy policy() {
        return new OutputPolicy(overwrite);
    }
}
