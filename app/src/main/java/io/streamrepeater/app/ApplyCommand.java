package io.streamrepeater.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code stream-repeater apply -f FILE}: applies the channels of a YAML file to a running server. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Apply the channels of a configuration file to a running server (created or updated live; "
                + "channels not in the file are left alone).")
public final class ApplyCommand extends RemoteCommand {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "YAML configuration file.")
    Path file;

    @Override
    int run(ApiClient api) throws Exception {
        HttpResponse<String> r = api.send("POST", "/api/v1/config", Files.readString(file), "application/yaml");
        if (ok(r) == null) {
            System.err.println("stream-repeater apply: " + file + " was not applied");
            return 1;
        }
        System.out.println(r.body());
        return 0;
    }
}
