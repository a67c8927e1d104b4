package io.streamrepeater.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written {@code openapi.json} against the routes the server registers: every route is documented, every
 * documented operation exists, and every path parameter is declared. A route added without its documentation (or
 * documentation left behind by a removed route) fails here.
 */
class OpenApiDocumentTest {
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");

    private static SortedSet<String> registeredRoutes() {
        ControlPort neverCalled = (ControlPort) Proxy.newProxyInstance(
                ControlPort.class.getClassLoader(), new Class<?>[] {ControlPort.class}, (proxy, method, args) -> {
                    throw new AssertionError("not called while the routes are listed: " + method.getName());
                });
        try (ApiServer server =
                new ApiServer(neverCalled, token -> Optional.empty(), () -> "", HttpListeners.plain("127.0.0.1", 0))) {
            return server.routes();
        }
    }

    private static JsonNode document() throws Exception {
        try (InputStream in = ApiServer.class.getResourceAsStream("/openapi.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() throws Exception {
        SortedSet<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document().path("paths").properties()) {
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (List.of("get", "put", "post", "delete", "patch", "head").contains(method)) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        SortedSet<String> routes = registeredRoutes();
        assertThat(routes).as("the server registers routes").hasSizeGreaterThan(20);

        SortedSet<String> undocumented = new TreeSet<>(routes);
        undocumented.removeAll(documented);
        SortedSet<String> stale = new TreeSet<>(documented);
        stale.removeAll(routes);
        assertThat(undocumented).as("routes missing from openapi.json").isEmpty();
        assertThat(stale)
                .as("operations in openapi.json the server does not have")
                .isEmpty();
    }

    @Test
    void everyPathParameterIsDeclared() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document().path("paths").properties()) {
            Matcher m = PATH_PARAMETER.matcher(path.getKey());
            List<String> names = new ArrayList<>();
            while (m.find()) {
                names.add(m.group(1));
            }
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                List<String> declared = new ArrayList<>();
                for (JsonNode p : operation.getValue().path("parameters")) {
                    if (p.path("in").asText().equals("path")) {
                        declared.add(p.path("name").asText());
                    }
                }
                for (JsonNode p : path.getValue().path("parameters")) {
                    if (p.path("in").asText().equals("path")) {
                        declared.add(p.path("name").asText());
                    }
                }
                for (String name : names) {
                    if (!declared.contains(name) && !operation.getKey().equals("parameters")) {
                        missing.add(operation.getKey() + " " + path.getKey() + ": {" + name + "}");
                    }
                }
            }
        }
        assertThat(missing).as("path parameters not declared").isEmpty();
    }
}
