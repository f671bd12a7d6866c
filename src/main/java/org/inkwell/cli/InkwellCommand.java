package org.inkwell.cli;

import org.inkwell.model.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code inkwell COMMAND}: the headless face of the same engine the workbench uses. */
@Command(name = "inkwell", mixinStandardHelpOptions = true, versionProvider = InkwellCommand.VersionProvider.class,
        description = {"Cleans scanned signatures with a convolutional denoising autoencoder.",
                "With no command, inkwell opens the workbench; inkwell IMAGE... opens the images in its Compare pane.",
                "inkwell denoise FOLDER -o OUT cleans a whole folder from the command line."},
        subcommands = {SynthCommand.class, TrainCommand.class, EvaluateCommand.class, DenoiseCommand.class,
                InfoCommand.class, ImportKerasCommand.class, ExportOnnxCommand.class, PlaceCommand.class, BenchCommand.class, EmbedCommand.class, SimilarCommand.class, FidelityCommand.class, CommandLine.HelpCommand.class})
public final class InkwellCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The engine for this run, before or after the command's name; restored when the run ends (tests run in-process).
     * A wrong value is refused by the converter, so picocli names it with the usage of the command it was given to.
     */
    @CommandLine.Option(names = "--engine", paramLabel = "auto|dl4j|onednn", scope = CommandLine.ScopeType.INHERIT,
            converter = EngineConverter.class,
            description = {"What runs the networks: auto (default: the oneDNN plans where they cover the network, else",
                    "DL4J), dl4j, or onednn. The same as -Dinkwell.engine=..."})
    void setEngine(org.inkwell.engine.EngineSetting setting) {
        System.setProperty(org.inkwell.engine.EngineSetting.PROPERTY, setting.cliName());
    }

    /** The inference plans' number format for this run; restored when the run ends, as the engine is. */
    @CommandLine.Option(names = "--precision", paramLabel = "auto|float32|bfloat16", scope = CommandLine.ScopeType.INHERIT,
            converter = PrecisionConverter.class,
            description = {"The oneDNN inference plans' number format: auto (default: bfloat16 where the CPU has it in",
                    "hardware, else float32), float32 or bfloat16. Training is always float32. Same as -Dinkwell.precision=..."})
    void setPrecision(org.inkwell.engine.Precision precision) {
        System.setProperty(org.inkwell.engine.Precision.PROPERTY, precision.cliName());
    }

    static final class EngineConverter implements CommandLine.ITypeConverter<org.inkwell.engine.EngineSetting> {
        @Override
        public org.inkwell.engine.EngineSetting convert(String value) {
            try {
                return org.inkwell.engine.EngineSetting.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class PrecisionConverter implements CommandLine.ITypeConverter<org.inkwell.engine.Precision> {
        @Override
        public org.inkwell.engine.Precision convert(String value) {
            try {
                return org.inkwell.engine.Precision.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * One line for a first argument that is neither a command nor an option nor an image to open: a folder, or a
     * file that does not exist (picocli would answer "Unmatched argument ... Did you mean: inkwell info"); null
     * when the arguments are for picocli.
     */
    public static String notACommand(String... args) {
        if (args.length == 0 || args[0].startsWith("-")
                || new CommandLine(new InkwellCommand()).getSubcommands().containsKey(args[0])) {
            return null;
        }
        java.nio.file.Path p;
        try {
            p = java.nio.file.Path.of(args[0]);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
        if (java.nio.file.Files.isDirectory(p)) {
            return args[0] + ": is a folder; to clean it run: inkwell denoise " + args[0]
                    + " -o OUTPUT-FOLDER (or open single images: inkwell IMAGE...)";
        }
        if (!java.nio.file.Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return args[0] + ": no such file, and not a command (inkwell --help lists the commands)";
        }
        return null;
    }

    /** Runs the CLI and returns the exit code. Errors print one line, never a stack trace. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(new InkwellCommand(), out, err, args);
    }

    /** Runs {@code command} (Inkwell's, or a test's) with Inkwell's error handling. */
    static int run(Object command, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(command);
        // What the lock files of this run's outputs say, so a second run can name this one.
        org.inkwell.data.RunLock.describeProcessAs("inkwell " + String.join(" ", args));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("inkwell: " + message(ex));
            if (Boolean.getBoolean("inkwell.debug")) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 2;
        });
        String engineBefore = System.getProperty(org.inkwell.engine.EngineSetting.PROPERTY);
        String precisionBefore = System.getProperty(org.inkwell.engine.Precision.PROPERTY);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // picocli passes Errors through: an out-of-memory anywhere in a command is still one line, not a trace.
            err.println("inkwell: " + message(e));
            if (Boolean.getBoolean("inkwell.debug")) {
                e.printStackTrace(err);
            }
            err.flush();
            return 2;
        } finally {
            restore(org.inkwell.engine.EngineSetting.PROPERTY, engineBefore);
            restore(org.inkwell.engine.Precision.PROPERTY, precisionBefore);
        }
    }

    private static void restore(String property, String before) {
        if (before == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, before);
        }
    }

    /**
     * For the CLI process only: an Error on a background thread (a batch producer out of memory) prints Inkwell's
     * one line, not a stack trace, and ends the process rather than leaving it half-working.
     */
    public static void installUncaughtHandler() {
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            System.err.println("inkwell: " + message(e));
            if (Boolean.getBoolean("inkwell.debug")) {
                e.printStackTrace();
            }
            System.err.flush();
            if (e instanceof Error) {
                Runtime.getRuntime().halt(2);
            }
        });
    }

    public static String message(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.lang.reflect.InvocationTargetException)) {
            t = t.getCause();
        }
        for (Throwable c = ex; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return "out of memory: use a smaller batch (--batch), count or image, or give Java more memory (-Xmx)";
            }
            if (c instanceof StackOverflowError) {
                return "the input nests too deeply to process (stack overflow)";
            }
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
