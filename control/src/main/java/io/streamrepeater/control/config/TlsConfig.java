package io.streamrepeater.control.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code server.tls:} section: the certificate of the RTMPS ingest listener.
 *
 * <p>The files are read (and re-read when they change) by the server, not by the loader; a relative
 * path is resolved against the folder of the configuration file.
 *
 * @param certFile PEM certificate, optionally followed by its intermediate chain
 * @param keyFile PEM private key of the certificate (unencrypted PKCS#8, RSA or EC)
 */
public record TlsConfig(Path certFile, Path keyFile) {
    public TlsConfig {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
    }
}
