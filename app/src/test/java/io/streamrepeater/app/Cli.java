package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs a CLI command in-process and returns what it printed. */
final class Cli {
    private Cli() {}

    static String run(String... args) {
        return runExpecting(0, args);
    }

    /** As {@link #run}, for a command that must end with {@code expectedCode}. */
    static synchronized String runExpecting(int expectedCode, String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new Main()).execute(args);
            assertThat(code)
                    .as("exit code of %s; output:%n%s", String.join(" ", args), buf.toString(StandardCharsets.UTF_8))
                    .isEqualTo(expectedCode);
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
