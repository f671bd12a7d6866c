package org.inkwell;

import org.inkwell.cli.InkwellCommand;

/** Entry point of the jar: with a subcommand it runs the CLI; without arguments it opens the workbench. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        org.inkwell.runtime.NativeLibraries.configure();
        if (args.length == 0 || isFileToOpen(args)) {
            try {
                Class.forName("org.inkwell.ui.Launcher").getMethod("main", String[].class).invoke(null, (Object) args);
                return;
            } catch (ClassNotFoundException e) {
                // Headless build without the workbench: fall through to the CLI's help.
            }
        }
        InkwellCommand.installUncaughtHandler();
        String wrong = InkwellCommand.notACommand(args);
        if (wrong != null) {
            System.err.println("inkwell: " + wrong);
            System.exit(2);
        }
        System.exit(InkwellCommand.run(args));
    }

    /** Files passed by a desktop "Open with" go to the workbench, not the CLI. */
    private static boolean isFileToOpen(String[] args) {
        for (String a : args) {
            if (a.startsWith("-") || !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(a))) {
                return false;
            }
        }
        return true;
    }
}
