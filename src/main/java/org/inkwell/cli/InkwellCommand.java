package org.inkwell.cli;

import org.inkwell.model.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code inkwell COMMAND}: the headless face of the same engine the workbench uses. */
@Command(name = "inkwell", mixinStandardHelpOptions = true, versionProvider = InkwellCommand.VersionProvider.class,
        description = "Cleans scanned signatures with a convolutional denoising autoencoder.",
        subcommands = {SynthCommand.class, TrainCommand.class, EvaluateCommand.class, DenoiseCommand.class,
                InfoCommand.class, ImportKerasCommand.class, ExportOnnxCommand.class, BenchCommand.class, EmbedCommand.class, SimilarCommand.class, FidelityCommand.class, CommandLine.HelpCommand.class})
public final class InkwellCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the CLI and returns the exit code. Errors print one line, never a stack trace. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new InkwellCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("inkwell: " + message(ex));
            if (Boolean.getBoolean("inkwell.debug")) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 2;
        });
        return cl.execute(args);
    }

    public static String message(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.lang.reflect.InvocationTargetException)) {
            t = t.getCause();
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory: use a smaller batch (--batch) or image, or give Java more memory (-Xmx)";
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"Inkwell " + Version.get()};
        }
    }
}
