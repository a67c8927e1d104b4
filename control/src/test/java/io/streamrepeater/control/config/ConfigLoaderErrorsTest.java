package io.streamrepeater.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per kind of mistake: the YAML, then the exact message including line and column. */
class ConfigLoaderErrorsTest {

    /** Shared prefix: a valid channel start, inputs on line 3. */
    private static final String SHOW =
            "channels:\n  - name: show\n    inputs: [{ name: primary, key: key-one-000000 }]\n";

    /** A server section with a PostgreSQL store, the cluster's own keys from line 4. */
    private static final String PG_CLUSTER = "server:\n  database: jdbc:postgresql://127.0.0.1/sr\n  cluster:\n";

    static Stream<Arguments> mistakes() {
        return Stream.of(
                row(
                        "unknown key in failover",
                        """
                        server:
                          rtmpPort: 1935
                        channels:
                          - name: show
                            inputs: [{ name: primary, key: key-one-000000 }]
                            failover:
                                inputLosMs: 500
                        """,
                        "show.yaml:7:9: unknown key 'inputLosMs' in channels[0].failover"
                                + " (allowed: inputLossMs, failback, clearMs, start, timeline, lowBitrate)"),
                row(
                        "a key too short to resist guessing",
                        "channels:\n  - name: show\n    inputs: [{ name: primary, key: abc }]\n",
                        "show.yaml:3:36: key of input 'primary' is 3 characters; at least 12 are needed so that it cannot"
                                + " be guessed (the key itself is not shown)"),
                row(
                        "a masked export loaded back",
                        "channels:\n  - name: show\n    inputs: [{ name: primary, key: \"****\" }]\n",
                        "show.yaml:3:36: 'key' in channels[0].inputs[0] holds a masked secret (****): this file is a"
                                + " masked export; export with --show-secrets to get one that can be applied"),
                row(
                        "lowBitrate without forMs",
                        SHOW + "    failover: { lowBitrate: { belowKbps: 300 } }\n",
                        "show.yaml:4:29: missing key 'forMs' in channels[0].failover.lowBitrate"),
                row(
                        "lowBitrate floor of zero",
                        SHOW + "    failover: { lowBitrate: { belowKbps: 0, forMs: 3000 } }\n",
                        "show.yaml:4:42: belowKbps 0 is outside 1..1000000"),
                row(
                        "lowBitrate with an unknown key",
                        SHOW + "    failover: { lowBitrate: { belowKbps: 300, forMs: 3000, afterMs: 1 } }\n",
                        "show.yaml:4:60: unknown key 'afterMs' in channels[0].failover.lowBitrate (allowed: belowKbps, forMs)"),
                row(
                        "unknown key at the top level",
                        "server: {}\nchanels: []\n",
                        "show.yaml:2:1: unknown key 'chanels' at the top level (allowed: server, channels)"),
                row(
                        "unknown key in server",
                        "server:\n  port: 1935\n",
                        "show.yaml:2:3: unknown key 'port' in server"
                                + " (allowed: rtmpPort, rtmpsPort, srtPort, srtLatencyMs, httpPort, httpsPort, http, dataDir, adminToken, tls, limits,"
                                + " webhookHosts, database, bind, cluster)"),
                row(
                        "cluster node name with capitals",
                        PG_CLUSTER + "    node: Node-A\n    address: 10.0.0.11\n",
                        "show.yaml:4:11: node name 'Node-A' must match [a-z0-9-]+"),
                row(
                        "cluster without a node name",
                        PG_CLUSTER + "    address: 10.0.0.11\n",
                        "show.yaml:4:5: missing key 'node' in server.cluster"),
                row(
                        "cluster without an address",
                        PG_CLUSTER + "    node: a\n",
                        "show.yaml:4:5: missing key 'address' in server.cluster"),
                row(
                        "cluster address that is no host name",
                        PG_CLUSTER + "    node: a\n    address: \"relay a\"\n",
                        "show.yaml:5:14: address 'relay a' must be a host name or an IP address the other nodes reach"
                                + " this node at (e.g. 10.0.0.11)"),
                row(
                        "lease shorter than a second",
                        PG_CLUSTER + "    node: a\n    address: 10.0.0.11\n    leaseMs: 999\n",
                        "show.yaml:6:14: leaseMs 999 is outside 1000..30000"),
                row(
                        "lease longer than thirty seconds",
                        PG_CLUSTER + "    node: a\n    address: 10.0.0.11\n    leaseMs: 30001\n",
                        "show.yaml:6:14: leaseMs 30001 is outside 1000..30000"),
                row(
                        "cluster port of the RTMP ingest",
                        PG_CLUSTER + "    node: a\n    address: 10.0.0.11\n    clusterPort: 1935\n",
                        "show.yaml:6:18: clusterPort 1935 is already used by rtmpPort; TCP ports must differ"),
                row(
                        "default cluster port taken by rtmpPort",
                        "server:\n  rtmpPort: 1937\n  cluster: { node: a, address: 10.0.0.11 }\n",
                        "show.yaml:3:12: clusterPort 1937 is already used by rtmpPort; TCP ports must differ"),
                row(
                        "cluster port out of range",
                        PG_CLUSTER + "    node: a\n    address: 10.0.0.11\n    clusterPort: 65536\n",
                        "show.yaml:6:18: clusterPort 65536 is outside 0..65535"),
                row(
                        "unknown key in server.cluster",
                        PG_CLUSTER + "    node: a\n    address: 10.0.0.11\n    lease: 3000\n",
                        "show.yaml:6:5: unknown key 'lease' in server.cluster (allowed: node, address, clusterPort,"
                                + " leaseMs)"),
                row(
                        "cluster on an SQLite database named in the file",
                        "server:\n  database: jdbc:sqlite:/var/lib/sr/store.db\n  cluster:\n    node: a\n"
                                + "    address: 10.0.0.11\n",
                        "show.yaml:3:3: server.cluster needs a PostgreSQL store shared by every node, but the store is"
                                + " 'jdbc:sqlite:/var/lib/sr/store.db' (server.database), which is not PostgreSQL; give"
                                + " server.database or --database a jdbc:postgresql://HOST/DATABASE?user=... URL, or"
                                + " remove server.cluster to run a single node"),
                row(
                        "database that is not a JDBC URL, its password hidden",
                        "server:\n  database: \"postgres://db/sr?user=sr&password=s3cret-pw\"\n",
                        "show.yaml:2:13: database 'postgres://db/sr?user=sr&password=****' must be a JDBC URL:"
                                + " jdbc:sqlite:PATH or jdbc:postgresql://HOST[:PORT]/DATABASE?user=USER&password=PASSWORD"),
                row(
                        "bind to a host name",
                        "server:\n  bind: relay.example.net\n",
                        "show.yaml:2:9: bind 'relay.example.net' must be an IP address (IPv4 such as 127.0.0.1 or IPv6"
                                + " such as ::1, without brackets) or localhost; leave it out to listen on every interface"),
                row(
                        "unknown key in server.limits",
                        "server:\n  limits:\n    maxConnectionsPerIp: 5\n",
                        "show.yaml:3:5: unknown key 'maxConnectionsPerIp' in server.limits (allowed: handshakeTimeoutMs,"
                                + " publishTimeoutMs, maxChunkSize, maxMessageSize, maxConnections, maxConnectionsPerAddress,"
                                + " maxPendingBytes, prePublishMaxMessageSize, prePublishPendingBytesTotal, pendingBytesTotal)"),
                row(
                        "handshake timeout below the minimum",
                        "server:\n  limits: { handshakeTimeoutMs: 50 }\n",
                        "show.yaml:2:33: handshakeTimeoutMs 50 is outside 100..600000"),
                row(
                        "chunk size over the 24-bit maximum",
                        "server:\n  limits:\n    maxChunkSize: 16777216\n",
                        "show.yaml:3:19: maxChunkSize 16777216 is outside 128..16777215"),
                row(
                        "no connections allowed",
                        "server:\n  limits:\n    maxConnections: 0\n",
                        "show.yaml:3:21: maxConnections 0 is outside 1..1000000"),
                row(
                        "per-address cap that is not a number",
                        "server:\n  limits:\n    maxConnectionsPerAddress: many\n",
                        "show.yaml:3:31: maxConnectionsPerAddress must be a whole number, got 'many'"),
                row(
                        "publish deadline before the handshake deadline",
                        "server:\n  limits:\n    handshakeTimeoutMs: 20000\n    publishTimeoutMs: 5000\n",
                        "show.yaml:4:23: publishTimeoutMs 5000 is below handshakeTimeoutMs 20000; the handshake comes"
                                + " before the publish, so its deadline cannot be earlier"),
                row(
                        "publish deadline left to its default but below the handshake's",
                        "server:\n  limits:\n    handshakeTimeoutMs: 20000\n",
                        "show.yaml:3:5: publishTimeoutMs 15000 is below handshakeTimeoutMs 20000; the handshake comes"
                                + " before the publish, so its deadline cannot be earlier"),
                row(
                        "pending bytes smaller than the largest message",
                        "server:\n  limits:\n    maxMessageSize: 1048576\n    maxPendingBytes: 65536\n",
                        "show.yaml:4:22: maxPendingBytes 65536 is below maxMessageSize 1048576; a message of the"
                                + " largest allowed size could never be assembled"),
                row(
                        "unknown key in a channel",
                        SHOW + "    destination: []\n",
                        "show.yaml:4:5: unknown key 'destination' in channels[0]"
                                + " (allowed: name, inputs, failover, slate, destinations, relay, webhooks)"),
                row(
                        "unknown key in a webhook",
                        SHOW + "    webhooks:\n"
                                + "      - { url: \"https://hooks.example.com/in\", secret: \"0123456789abcdef\", events: all }\n",
                        "show.yaml:5:76: unknown key 'events' in channels[0].webhooks[0] (allowed: url, secret)"),
                row(
                        "webhook URL with an ftp scheme, its query hidden",
                        SHOW + "    webhooks:\n"
                                + "      - { url: \"ftp://hooks.example.com/in?token=tok3n-secret\", secret: \"0123456789abcdef\" }\n",
                        "show.yaml:5:16: webhook url 'ftp://hooks.example.com/in?****' must start with http:// or https://"),
                row(
                        "webhook URL without a host",
                        SHOW + "    webhooks:\n" + "      - { url: \"https:///in\", secret: \"0123456789abcdef\" }\n",
                        "show.yaml:5:16: webhook url 'https:///in' needs a host name or address: http(s)://HOST[:PORT]/PATH"),
                row(
                        "webhook URL with user info",
                        SHOW + "    webhooks:\n"
                                + "      - { url: \"https://me:tok3n-secret@hooks.example.com/in\", secret: \"0123456789abcdef\" }\n",
                        "show.yaml:5:16: webhook url 'https://****@hooks.example.com/in' must not contain"
                                + " user info (user@host); the secret signs the requests"),
                row(
                        "webhook secret shorter than 16 characters",
                        SHOW + "    webhooks:\n"
                                + "      - { url: \"https://hooks.example.com/in\", secret: short-secret }\n",
                        "show.yaml:5:56: secret of webhook 'https://hooks.example.com/in' must be 16 to 256 printable"
                                + " ASCII characters without spaces (the secret itself is not shown)"),
                row(
                        "webhook without a secret",
                        SHOW + "    webhooks:\n      - { url: \"https://hooks.example.com/in\" }\n",
                        "show.yaml:5:9: missing key 'secret' in channels[0].webhooks[0]"),
                row(
                        "the same webhook URL twice",
                        SHOW + "    webhooks:\n"
                                + "      - { url: \"https://hooks.example.com/in\", secret: \"0123456789abcdef\" }\n"
                                + "      - { url: \"https://hooks.example.com/in\", secret: \"fedcba9876543210\" }\n",
                        "show.yaml:6:16: duplicate webhook url in channels[0] (first at line 5)"),
                row(
                        "webhooks given as a mapping",
                        SHOW + "    webhooks: { url: \"https://hooks.example.com/in\" }\n",
                        "show.yaml:4:15: channels[0].webhooks must be a list, got a mapping"),
                row(
                        "unknown key in relay",
                        SHOW + "    relay:\n      retryMax: 5000\n",
                        "show.yaml:5:7: unknown key 'retryMax' in channels[0].relay"
                                + " (allowed: retryMaxMs, stallTimeoutMs)"),
                row(
                        "retryMaxMs below the first retry ceiling",
                        SHOW + "    relay: { retryMaxMs: 500 }\n",
                        "show.yaml:4:26: retryMaxMs 500 is outside 1000..600000"),
                row(
                        "retryMaxMs above ten minutes",
                        SHOW + "    relay: { retryMaxMs: 3600000 }\n",
                        "show.yaml:4:26: retryMaxMs 3600000 is outside 1000..600000"),
                row(
                        "retryMaxMs with a unit",
                        SHOW + "    relay: { retryMaxMs: 30s }\n",
                        "show.yaml:4:26: retryMaxMs must be a whole number, got '30s'"),
                row(
                        "stallTimeoutMs of zero",
                        SHOW + "    relay: { stallTimeoutMs: 0 }\n",
                        "show.yaml:4:30: stallTimeoutMs 0 is outside 1000..300000"),
                row(
                        "relay given as a value",
                        SHOW + "    relay: 30000\n",
                        "show.yaml:4:12: channels[0].relay must be a mapping (key: value), got a value"),
                row(
                        "unknown key in an input",
                        "channels:\n  - name: show\n    inputs:\n"
                                + "      - { name: primary, key: key-one-000000, priority: 1 }\n",
                        "show.yaml:4:47: unknown key 'priority' in channels[0].inputs[0]"
                                + " (allowed: name, key, allowTakeover, srtPassphrase)"),
                row(
                        "unknown key in a destination",
                        SHOW + "    destinations:\n"
                                + "      - { name: yt, url: \"rtmp://a.rtmp.youtube.com/live2/k\", enable: false }\n",
                        "show.yaml:5:63: unknown key 'enable' in channels[0].destinations[0]"
                                + " (allowed: name, url, enabled, backupUrl, mode, platform)"),
                row(
                        "destination mode without a backup URL",
                        SHOW + "    destinations:\n"
                                + "      - { name: yt, url: \"rtmp://a.rtmp.youtube.com/live2/secret-stream-key\", mode: both }\n",
                        "show.yaml:5:85: mode of destination 'yt' needs a backupUrl in channels[0].destinations[0]"),
                row(
                        "destination mode that does not exist",
                        SHOW + "    destinations:\n"
                                + "      - { name: yt, url: \"rtmp://a/live2/k\", backupUrl: \"rtmp://b/live2/k\", mode: either }\n",
                        "show.yaml:5:83: mode 'either' must be one of both, fallback"),
                row(
                        "destination platform that does not exist",
                        SHOW + "    destinations:\n"
                                + "      - { name: yt, url: \"rtmp://a/live2/k\", platform: YouTube }\n",
                        "show.yaml:5:56: platform 'YouTube' must be one of youtube, twitch, facebook, kick, custom"),
                row(
                        "destination backup URL with an http scheme",
                        SHOW + "    destinations:\n"
                                + "      - { name: yt, url: \"rtmp://a/live2/k\", backupUrl: \"http://b/live2/secret-stream-key\" }\n",
                        "show.yaml:5:57: backupUrl 'http://b/live2/****' of destination 'yt'"
                                + " must start with rtmp:// or rtmps://"),
                row(
                        "channel name with capitals and punctuation",
                        "channels:\n  - name: Show!\n",
                        "show.yaml:2:11: channel name 'Show!' must match [a-z0-9-]+"),
                row(
                        "input name with a space",
                        "channels:\n  - name: show\n    inputs:\n"
                                + "      - { name: \"Cam A\", key: key-one-000000 }\n",
                        "show.yaml:4:17: input name 'Cam A' must match [a-z0-9-]+"),
                row(
                        "duplicate channel name",
                        SHOW + "  - name: show\n    inputs: [{ name: primary, key: key-two-000000 }]\n",
                        "show.yaml:4:11: duplicate channel name 'show' (first at line 2)"),
                row(
                        "duplicate input key across channels",
                        """
                        channels:
                          - name: show
                            inputs:
                              - { name: primary, key: same-key-000000 }
                          - name: talk
                            inputs:
                              - { name: primary, key: same-key-000000 }
                        """,
                        "show.yaml:7:31: key of channels[1].inputs[0] is already used by"
                                + " channels[0].inputs[0] (line 4); each input key must be unique across all channels"),
                row(
                        "duplicate input key within a channel",
                        """
                        channels:
                          - name: show
                            inputs:
                              - { name: primary, key: same-key-000000 }
                              - { name: backup, key: same-key-000000 }
                        """,
                        "show.yaml:5:30: key of channels[0].inputs[1] is already used by"
                                + " channels[0].inputs[0] (line 4); each input key must be unique across all channels"),
                row(
                        "duplicate input name in a channel",
                        """
                        channels:
                          - name: show
                            inputs:
                              - { name: cam, key: key-one-000000 }
                              - { name: cam, key: key-two-000000 }
                        """,
                        "show.yaml:5:17: duplicate input name 'cam' in channels[0] (first at line 4)"),
                row(
                        "duplicate destination name in a channel",
                        SHOW + """
                            destinations:
                              - { name: yt, url: "rtmp://a.rtmp.youtube.com/live2/aaa" }
                              - { name: yt, url: "rtmp://b.rtmp.youtube.com/live2/bbb" }
                        """,
                        "show.yaml:6:17: duplicate destination name 'yt' in channels[0] (first at line 5)"),
                row(
                        "empty inputs list",
                        "channels:\n  - name: show\n    inputs: []\n",
                        "show.yaml:3:13: channels[0].inputs is empty; a channel needs at least one input"),
                row(
                        "no inputs at all",
                        "channels:\n  - name: show\n    slate: ./s.flv\n",
                        "show.yaml:2:5: missing key 'inputs' in channels[0]"),
                row(
                        "input without key",
                        "channels:\n  - name: show\n    inputs:\n      - name: primary\n",
                        "show.yaml:4:9: missing key 'key' in channels[0].inputs[0]"),
                row(
                        "channel name left empty",
                        "channels:\n  - name:\n    inputs: [{ name: primary, key: k }]\n",
                        "show.yaml:2:10: missing value for 'name' in channels[0]"),
                row(
                        "inputLossMs below 100",
                        SHOW + "    failover: { inputLossMs: 50 }\n",
                        "show.yaml:4:30: inputLossMs 50 is below the minimum of 100"),
                row(
                        "negative clearMs",
                        SHOW + "    failover: { clearMs: -1 }\n",
                        "show.yaml:4:26: clearMs -1 is below the minimum of 0"),
                row(
                        "port above 65535",
                        "server:\n  rtmpPort: 70000\n",
                        "show.yaml:2:13: rtmpPort 70000 is outside 0..65535"),
                row("negative port", "server:\n  httpPort: -1\n", "show.yaml:2:13: httpPort -1 is outside 0..65535"),
                row(
                        "port beyond int range",
                        "server:\n  srtPort: 99999999999\n",
                        "show.yaml:2:12: srtPort must be a whole number, got '99999999999'"),
                row(
                        "hexadecimal port",
                        "server:\n  srtPort: 0x2328\n",
                        "show.yaml:2:12: srtPort must be a whole number, got '0x2328'"),
                row(
                        "rtmpsPort without a tls section",
                        "server:\n  rtmpsPort: 1936\n",
                        "show.yaml:2:14: rtmpsPort 1936 needs a certificate: add server.tls: { certFile: PATH, keyFile: PATH },"
                                + " or set rtmpsPort to 0"),
                row(
                        "RTMPS and RTMP on the same port",
                        "server:\n  rtmpPort: 1935\n  rtmpsPort: 1935\n  tls: { certFile: c.pem, keyFile: k.pem }\n",
                        "show.yaml:3:14: rtmpsPort 1935 is already used by rtmpPort; TCP ports must differ"),
                row(
                        "RTMPS and HTTP on the same port",
                        "server:\n  httpPort: 8443\n  rtmpsPort: 8443\n  tls: { certFile: c.pem, keyFile: k.pem }\n",
                        "show.yaml:3:14: rtmpsPort 8443 is already used by httpPort; TCP ports must differ"),
                row(
                        "rtmpsPort above 65535",
                        "server:\n  rtmpsPort: 70000\n",
                        "show.yaml:2:14: rtmpsPort 70000 is outside 0..65535"),
                row(
                        "tls without keyFile",
                        "server:\n  rtmpsPort: 1936\n  tls: { certFile: c.pem }\n",
                        "show.yaml:3:8: missing key 'keyFile' in server.tls"),
                row(
                        "tls with an unknown key",
                        "server:\n  tls: { certFile: c.pem, keyFile: k.pem, password: x }\n",
                        "show.yaml:2:43: unknown key 'password' in server.tls (allowed: certFile, keyFile)"),
                row(
                        "tls certFile left blank",
                        "server:\n  tls: { certFile: \"  \", keyFile: k.pem }\n",
                        "show.yaml:2:20: certFile in server.tls must name a file"),
                row(
                        "tls given as a single value",
                        "server:\n  tls: cert.pem\n",
                        "show.yaml:2:8: server.tls must be a mapping (key: value), got a value"),
                row(
                        "HTTP and RTMP on the same port",
                        "server:\n  rtmpPort: 8080\n  httpPort: 8080\n",
                        "show.yaml:3:13: httpPort 8080 is already used by rtmpPort; TCP ports must differ"),
                row(
                        "destination URL with an http scheme",
                        SHOW + """
                            destinations:
                              - name: yt
                                url: http://a.rtmp.youtube.com/live2/secret-stream-key
                        """,
                        "show.yaml:6:14: url 'http://a.rtmp.youtube.com/live2/****' of destination 'yt'"
                                + " must start with rtmp:// or rtmps://"),
                row(
                        "destination URL without a stream key",
                        SHOW + """
                            destinations:
                              - { name: yt, url: "rtmp://a.rtmp.youtube.com/live2" }
                        """,
                        "show.yaml:5:26: url 'rtmp://a.rtmp.youtube.com/****' of destination 'yt'"
                                + " needs an app and a stream key: rtmp://HOST[:PORT]/APP/STREAM-KEY or rtmps://..."),
                row(
                        "destination URL with a bad port",
                        SHOW + """
                            destinations:
                              - { name: yt, url: "rtmp://a.rtmp.youtube.com:99999/live2/secret" }
                        """,
                        "show.yaml:5:26: url 'rtmp://a.rtmp.youtube.com:99999/live2/****' of destination 'yt'"
                                + " has an invalid port '99999' (expected 1..65535)"),
                row(
                        "failback spelled wrong",
                        SHOW + "    failover: { failback: always }\n",
                        "show.yaml:4:27: failback 'always' must be one of sticky, auto, manual"),
                row(
                        "start in Java spelling",
                        SHOW + "    failover: { start: NEXT_KEYFRAME }\n",
                        "show.yaml:4:24: start 'NEXT_KEYFRAME' must be one of cached, next-keyframe"),
                row(
                        "timeline spelled wrong",
                        SHOW + "    failover: { timeline: real-time }\n",
                        "show.yaml:4:27: timeline 'real-time' must be one of continuous, realtime"),
                row(
                        "YAML 1.1 boolean",
                        "channels:\n  - name: show\n    inputs:\n"
                                + "      - { name: primary, key: key-one-000000, allowTakeover: yes }\n",
                        "show.yaml:4:62: allowTakeover must be true or false, got 'yes'"),
                row(
                        "channels given as a mapping",
                        "channels:\n  show: {}\n",
                        "show.yaml:2:3: channels must be a list, got a mapping"),
                row(
                        "server given as a list",
                        "server:\n  - 1935\n",
                        "show.yaml:2:3: server must be a mapping (key: value), got a list"),
                row(
                        "name given as a list",
                        "channels:\n  - name: [a, b]\n",
                        "show.yaml:2:11: 'name' in channels[0] must be a single value, got a list"),
                row(
                        "YAML syntax error",
                        "server:\n  rtmpPort: 1935\n  httpPort: 8080: 9\n",
                        "show.yaml:3:17: YAML syntax error: mapping values are not allowed here"),
                row(
                        "unclosed flow list",
                        "channels: [\n  { name: show }\n",
                        "show.yaml:3:1: YAML syntax error: expected ',' or ']', but got <stream end>"),
                row(
                        "duplicate YAML key",
                        "server:\n  rtmpPort: 1935\n  rtmpPort: 1936\n",
                        "show.yaml:3:3: duplicate key 'rtmpPort' in server (first at line 2)"),
                row(
                        "YAML alias",
                        "server:\n  rtmpPort: &p 1935\n  srtPort: *p\n",
                        "show.yaml:3:12: YAML alias '*p' at server.srtPort is not supported; write the value out"),
                row(
                        "two documents",
                        "server: {}\n---\nchannels: []\n",
                        "show.yaml:3:1: a second YAML document starts here; a configuration file holds exactly one"),
                row(
                        "empty document",
                        "# nothing here\n",
                        "show.yaml:1:1: no configuration found (the document is empty); expected keys server, channels"),
                row(
                        "document that is a list",
                        "- server\n",
                        "show.yaml:1:1: the top level must be a mapping (key: value), got a list"),
                row(
                        "admin token with a space",
                        "server:\n  adminToken: \"my token\"\n",
                        "show.yaml:2:15: adminToken must be printable ASCII without spaces (the token itself is not shown)"),
                row(
                        "input key with a slash",
                        "channels:\n  - name: show\n    inputs:\n" + "      - { name: primary, key: \"abc/def\" }\n",
                        "show.yaml:4:31: key of input 'primary' must be 1 to 256 characters from"
                                + " A-Z a-z 0-9 - . _ ~ (the key itself is not shown)"),
                row(
                        "SRT passphrase too short",
                        "channels:\n  - name: show\n    inputs:\n"
                                + "      - { name: primary, key: key-one-000000, srtPassphrase: short-pw }\n",
                        "show.yaml:4:62: srtPassphrase of input 'primary' must be 10 to 79 printable ASCII characters"
                                + " without spaces (SRT's rule; the passphrase itself is not shown)"),
                row(
                        "SRT latency out of range",
                        "server:\n  srtLatencyMs: 10\n",
                        "show.yaml:2:17: srtLatencyMs 10 is outside 20..8000"));
    }

    private static Arguments row(String mistake, String yaml, String message) {
        return Arguments.of(mistake, yaml, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachMistakeIsReportedWithItsPositionAndTheOffendingKeyOrValue(String mistake, String yaml, String message) {
        ConfigException error =
                catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "show.yaml"));

        assertThat(error).as(mistake).isNotNull();
        // the first problem is this row's mistake; a row's text may hold others, reported after it (see
        // everyProblemOfAFileIsReportedInOnePass)
        assertThat(error.getMessage().lines().findFirst().orElseThrow()).isEqualTo(message);
        assertThat(error.source()).isEqualTo("show.yaml");
        assertThat(error.getMessage())
                .startsWith("show.yaml:" + error.line() + ":" + error.column() + ": "
                        + message.substring(("show.yaml:" + error.line() + ":" + error.column() + ": ").length()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void noMessageRevealsASecret(String mistake, String yaml, String message) {
        assertThat(message)
                .doesNotContain(
                        "secret-stream-key",
                        "same-key-000000",
                        "abc/def",
                        "my token",
                        "short-secret",
                        "tok3n-secret",
                        "short-pw",
                        "s3cret-pw",
                        "0123456789abcdef");
    }

    @org.junit.jupiter.api.Test
    void everyProblemOfAFileIsReportedInOnePass() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                server: { rtmpPort: 70000 }
                channels:
                  - name: show
                    inputs: [{ name: primary, key: short }]
                    failover: { failback: always }
                  - name: Talk
                    inputs: [{ name: primary, key: talk-key-0000001 }]
                """, "show.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("show.yaml:1:21: rtmpPort 70000 is outside 0..65535\n(3 more problems:)")
                .hasMessageContaining("\n  show.yaml:4:36: key of input 'primary' is 5 characters")
                .hasMessageContaining("\n  show.yaml:5:27: failback 'always' must be one of sticky, auto, manual")
                .hasMessageContaining("\n  show.yaml:6:11: channel name 'Talk' must match");
    }

    @org.junit.jupiter.api.Test
    void aDeviceOrADirectoryIsNotAConfigurationFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        assertThatThrownBy(() -> ConfigLoader.load(java.nio.file.Path.of("/dev/zero")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/dev/zero: not a regular file: give the path of a YAML file");
        assertThatThrownBy(() -> ConfigLoader.load(tmp))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a regular file");
    }

    @org.junit.jupiter.api.Test
    void aChannelHasAtMostAHundredDestinations() {
        java.util.List<DestinationConfig> many = new java.util.ArrayList<>();
        for (int i = 0; i <= ChannelConfig.MAX_DESTINATIONS; i++) {
            many.add(new DestinationConfig("d" + i, "rtmp://127.0.0.1/live/key-" + i));
        }
        assertThatThrownBy(() -> new ChannelConfig(
                        "show",
                        java.util.List.of(new InputConfig("primary", "key-one-000000")),
                        FailoverConfig.defaults(),
                        null,
                        many))
                .hasMessage(
                        "channel 'show' has 101 destinations; at most 100 (split the platforms over several channels)");
        assertThat(new ChannelConfig(
                                "show",
                                java.util.List.of(new InputConfig("primary", "key-one-000000")),
                                FailoverConfig.defaults(),
                                null,
                                many.subList(0, 100))
                        .destinations())
                .hasSize(100);
    }
}
