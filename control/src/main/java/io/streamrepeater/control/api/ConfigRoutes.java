package io.streamrepeater.control.api;

import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.ConfigException;
import io.streamrepeater.control.config.ConfigLoader;
import io.streamrepeater.control.config.ConfigWriter;
import io.streamrepeater.control.config.StreamRepeaterConfig;
import io.streamrepeater.control.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/config}: the configuration in force as a YAML document (secrets masked unless asked for with
 * {@code ?secrets=true}), and applying the channels of such a document.
 */
final class ConfigRoutes {
    private final ControlPort port;

    ConfigRoutes(ControlPort port) {
        this.port = port;
    }

    void register(Javalin app) {
        app.get("/api/v1/config", this::exportConfig);
        app.post("/api/v1/config", this::applyConfig);
    }

    private void exportConfig(Context ctx) {
        boolean secrets = "true".equals(ctx.queryParam("secrets"));
        ctx.contentType("application/yaml; charset=utf-8")
                .result(ConfigWriter.toYaml(
                        port.currentConfig(), secrets ? ConfigWriter.Secrets.INCLUDE : ConfigWriter.Secrets.MASK));
    }

    /** Applies every channel of a YAML document (the server section is not changed at run time). */
    private void applyConfig(Context ctx) {
        StreamRepeaterConfig doc;
        try {
            doc = ConfigLoader.parse(ctx.body(), "request body");
        } catch (ConfigException e) {
            throw new BadRequestResponse(e.getMessage());
        }
        List<String> applied = new ArrayList<>();
        for (ChannelConfig c : doc.channels()) {
            try {
                port.applyChannel(c);
            } catch (IllegalArgumentException e) {
                throw new ConflictResponse(
                        "channel " + c.name() + ": " + e.getMessage() + " (applied before it: " + applied + ")");
            } catch (StoreException e) {
                if (applied.isEmpty()) {
                    throw e; // nothing changed: the plain 503
                }
                throw new HttpResponseException(
                        HttpStatus.SERVICE_UNAVAILABLE.getCode(),
                        "the configuration store stopped answering at channel " + c.name() + ": the channels before"
                                + " it were applied (" + applied + "), that one and the rest were not changed; try"
                                + " again once the database is reachable: " + e.getMessage());
            }
            applied.add(c.name());
        }
        ctx.json(Map.of("applied", applied));
    }
}
