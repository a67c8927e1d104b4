package io.streamrepeater.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stream-repeater apply -f FILE}: applies the channels of a YAML file to a running server. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = "Apply the channels of a configuration file to a running server (created or updated live; "
                + "channels not in the file are left alone).")
public final class ApplyCommand extends RemoteCommand {
    @Option(
            names = {"-f", "--file"},
            required = true,
            paramLabel = "FILE",
            description = "YAML configuration file.")
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
        JsonNode result = ok(r.statusCode(), answer);
        if (result == null) {
            System.err.println("stream-repeater apply: " + file + " was not applied");
            return 1;
        }
        List<String> applied = new ArrayList<>();
        result.path("applied").forEach(name -> applied.add(name.asText()));
        System.out.println(
                applied.isEmpty()
                        ? "Applied " + file + ": it has no channels."
                        : "Applied " + file + ": channel" + (applied.size() == 1 ? " " : "s ")
                                + String.join(", ", applied) + " created or updated live.");
        return 0;
    }
}
