package org.inkwell.cli;

import org.inkwell.data.OutputPolicy;
import picocli.CommandLine.Option;

/** {@code --overwrite}: the only way to let an output replace an existing file of another kind. */
final class OutputOptions {
    @Option(names = "--overwrite",
            description = "Let outputs replace existing files of another kind. Inputs, folders and special files are never replaced.")
    boolean overwrite;

    OutputPolicy policy() {
        return new OutputPolicy(overwrite);
    }
}
