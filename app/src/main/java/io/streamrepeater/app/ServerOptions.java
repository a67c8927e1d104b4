package io.streamrepeater.app;

import java.nio.file.Path;

/** Command-line choices for {@link Server}; null means "not given". */
public record ServerOptions(Path configFile, Path dataDir, Integer rtmpPort, Integer httpPort, Path trustCa, String database) {
    public ServerOptions(Path configFile, Path dataDir, Integer rtmpPort, Integer httpPort, Path trustCa) {
        this(configFile, dataDir, rtmpPort, httpPort, trustCa, null);
    }
}
