package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.control.api.ApiServer;
import io.streamrepeater.testkit.CapturedLogs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API against hostile clients (issue 17, findings 2 and 3): a chunked body cannot get past the body limit,
 * refused tokens are slowed down per address, and their log lines cannot flood the log.
 */
class ApiAbuseEndToEndTest {
    private static final String TOKEN = "api-abuse-admin-token";

    private static RunningServer server(Path tmp) throws IOException {
        return RunningServer.start(tmp, """
                server: { rtmpPort: 0, srtPort: 0, adminToken: "%s" }
                channels:
                  - name: show
                    inputs: [{ name: primary, key: "abuse-primary-key-0001" }]
                """.formatted(TOKEN), null, true);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWhileItIsRead(@TempDir Path tmp) throws Exception {
        try (RunningServer server = server(tmp)) {
            int port = server.server.httpPort();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(10_000); // before the fix the server read for minutes: this read would time out
                OutputStream out = s.getOutputStream();
                out.write(("POST /api/v1/config HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                                + "\r\nContent-Type: application/yaml\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = ("# " + "y".repeat(65_533) + "\n").getBytes(StandardCharsets.US_ASCII);
                String size = Integer.toHexString(chunk.length);
                try {
                    // up to 50 MB, chunk by chunk, until the server stops taking it
                    for (int sent = 0; sent < 50_000_000; sent += chunk.length) {
                        out.write((size + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException refusedMidway) {
                    // the server answered and closed while we were still sending
                }
                String answer = readHead(s.getInputStream());
                assertThat(answer).startsWith("HTTP/1.1 413");
            }
            // the API still answers
            HttpResponse<String> channels = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/channels"))
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(channels.statusCode()).isEqualTo(200);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && head.size() < 4096) {
            head.write(b);
            if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void refusedTokensAreSlowedDownPerAddressAndTheirLogLinesCapped(@TempDir Path tmp) throws Exception {
        try (RunningServer server = server(tmp);
                CapturedLogs logs = CapturedLogs.of(ApiServer.class)) {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            String longPath = "/api/v1/" + "p".repeat(7000);
            int unauthorized = 0;
            int tooMany = 0;
            String retryAfter = null;
            for (int i = 0; i < 200; i++) {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.httpPort() + longPath))
                                .header("Authorization", "Bearer wrong-" + i)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 401) {
                    unauthorized++;
                } else if (r.statusCode() == 429) {
                    tooMany++;
                    retryAfter = r.headers().firstValue("Retry-After").orElse(null);
                }
            }
            assertThat(unauthorized)
                    .as("refusals before the address is held back")
                    .isEqualTo(10);
            assertThat(tooMany).isEqualTo(190);
            assertThat(retryAfter).isNotNull();
            assertThat(Integer.parseInt(retryAfter)).isBetween(1, 61);
            java.util.List<String> lines = logs.lines().stream()
                    .filter(l -> l.contains("event=api-unauthorized"))
                    .toList();
            assertThat(lines).hasSizeLessThanOrEqualTo(10);
            assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThan(250));
        }
    }

    /**
     * A token that differs from one accepted earlier on the same kept-alive connection only in the case of a letter is
     * refused: the HTTP server's per-connection header cache once compared case-insensitively and handed the request
     * the earlier, accepted header (issue 20's roles test caught it once in ~64 runs).
     */
    @Test
    void aTokenDifferingOnlyInLetterCaseIsRefusedOnAKeptAliveConnection(@TempDir Path tmp) throws Exception {
        try (RunningServer server = server(tmp)) {
            int port = server.server.httpPort();
            assertThat(statusesOnOneConnection(port, TOKEN, TOKEN))
                    .as("the same token twice on one connection")
                    .containsExactly(200, 200);
            assertThat(statusesOnOneConnection(port, TOKEN, TOKEN.toUpperCase(java.util.Locale.ROOT)))
                    .as("the first-run admin token, then the same letters in upper case")
                    .containsExactly(200, 401);

            HttpResponse<String> created = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tokens"))
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"name\": \"wall\", \"role\": \"viewer\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String named = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(created.body())
                    .path("token")
                    .asText();
            assertThat(statusesOnOneConnection(port, named, letterCaseFlipped(named)))
                    .as("a named token, then its secret with one letter's case flipped")
                    .containsExactly(200, 401);
        }
    }

    /** Two GET requests pipelined on one connection (the second closes it), each with its token: their statuses. */
    private static java.util.List<Integer> statusesOnOneConnection(int port, String first, String second)
            throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            String request = "GET /api/v1/whoami HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n%s\r\n";
            s.getOutputStream()
                    .write((request.formatted(first, "") + request.formatted(second, "Connection: close\r\n"))
                            .getBytes(StandardCharsets.US_ASCII));
            String answers = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return java.util.regex.Pattern.compile("HTTP/1\\.1 (\\d{3}) ")
                    .matcher(answers)
                    .results()
                    .map(m -> Integer.parseInt(m.group(1)))
                    .toList();
        }
    }

    /** The token with the case of the first letter of its secret flipped. */
    private static String letterCaseFlipped(String token) {
        char[] chars = token.toCharArray();
        for (int i = token.indexOf('.') + 1; i < chars.length; i++) {
            if (Character.isLetter(chars[i])) {
                chars[i] = Character.isUpperCase(chars[i])
                        ? Character.toLowerCase(chars[i])
                        : Character.toUpperCase(chars[i]);
                return new String(chars);
            }
        }
        throw new IllegalStateException("a secret of 43 base64url characters without a letter");
    }
}
