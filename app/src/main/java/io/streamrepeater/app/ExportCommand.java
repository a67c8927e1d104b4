package io.streamrepeater.app;

import java.net.http.HttpResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stream-repeater export}: prints a running server's configuration as YAML. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Print the configuration in force as YAML (stream keys and destination keys masked unless --show-secrets).")
public final class ExportCommand extends RemoteCommand {
    @Option(names = "--show-secrets", description = "Include stream keys and destination URLs unmasked.")
    boolean showSecrets;

    @Override
    int run(ApiClient api) throws Exception {
        HttpResponse<String> r = api.send("GET", "/api/v1/config" + (showSecrets ? "?secrets=true" : ""), null, null);
        if (r.statusCode() / 100 != 2) {
            ok(r);
            return 1;
        }
        System.out.print(r.body());
        return 0;
    }
}
