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
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            System.err.println("stream-repeater apply: cannot read " + file + ": "
                    + (Files.exists(file) ? "not a readable file" : "no such file"));
            return 1;
        }
        HttpResponse<String> r = api.send("POST", "/api/v1/config", Files.readString(file), "application/yaml");
        // the server read the file as the request body: its line:column references name the file instead
        String answer = r.statusCode() / 100 == 2 ? r.body() : r.body().replace("request body:", file + ":");
        if (ok(r.statusCode(), answer) == null) {
            System.err.println("stream-repeater apply: " + file + " was not applied");
            return 1;
        }
        System.out.println(r.body());
        return 0;
    }
}
