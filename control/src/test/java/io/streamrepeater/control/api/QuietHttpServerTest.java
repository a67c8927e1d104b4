package io.streamrepeater.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.eclipse.jetty.server.LowResourceMonitor;
import org.eclipse.jetty.util.thread.Scheduler;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server adds nothing that wakes on its own while no request comes: Javalin's default server carries
 * Jetty's low-resources monitor, which looks at the thread pool every second through the connector's scheduler.
 */
class QuietHttpServerTest {
    @Test
    void theServerHasNoLowResourcesMonitorAndStillAnswers() throws Exception {
        ControlPort ready = (ControlPort) Proxy.newProxyInstance(
                ControlPort.class.getClassLoader(), new Class<?>[] {ControlPort.class}, (proxy, method, args) -> {
                    if (method.getName().equals("ready")) {
                        return true;
                    }
                    throw new AssertionError("not called by /readyz: " + method.getName());
                });
        try (ApiServer server =
                new ApiServer(ready, token -> Optional.empty(), () -> "", HttpListeners.plain("127.0.0.1", 0))) {
            server.start();
            assertThat(server.serverComponents(LowResourceMonitor.class)).isEmpty();
            // the connector's scheduler is still there for the connections' idle timeouts
            assertThat(server.serverComponents(Scheduler.class)).isNotEmpty();
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/readyz"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("ready");
        }
    }
}
