package io.streamrepeater.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./stream-repeater}. */
@Command(
        name = "stream-repeater",
        mixinStandardHelpOptions = true,
        version = "Stream Repeater 0.1.0",
        description =
                "Self-hosted live-stream relay: RTMP ingest with backup inputs, packet-copy relay to many destinations.",
        subcommands = {
            ServeCommand.class,
            ApplyCommand.class,
            ExportCommand.class,
            StatusCommand.class,
            PreflightCommand.class,
            SwitchCommand.class,
            RehearseCommand.class,
            DrainCommand.class,
            DrainCommand.Undrain.class,
            KeysCommand.class,
            TokensCommand.class,
            AdminTokenCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        // Also after serve: a stop that overran its deadline may leave threads behind, which must not keep us alive.
        System.exit(code);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
