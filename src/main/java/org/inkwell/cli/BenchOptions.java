package org.inkwell.cli;

import picocli.CommandLine.Option;

/** Options every bench command takes. */
final class BenchOptions {
    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--arch", defaultValue = "seed", description = "Architecture to time (default ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed runs per measurement (default ${DEFAULT-VALUE}).")
    int repeats;

    /** --repeats, checked: a median of no runs is no measurement. */
    int repeats() {
        return Limits.range("--repeats", repeats, 1, 1000);
    }
}
