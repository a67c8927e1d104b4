package io.streamrepeater.app;

import io.streamrepeater.testkit.LocalhostCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** TLS for the tests of the server's TLS listeners (RTMPS ingest, HTTPS): the test CA's trust and certificate files. */
final class TestTls {
    private TestTls() {}

    /** A client context that trusts the test CA {@code ca} and nothing else. */
    static SSLContext trusting(Path ca) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("test-ca", read(ca));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Puts a certificate and its key where the configuration points, each by a rename, as certbot does. */
    static void install(LocalhostCertificates certificates, Path tlsDir) throws IOException {
        Files.createDirectories(tlsDir);
        replace(tlsDir.resolve("privkey.pem"), Files.readString(certificates.serverKeyFile()));
        replace(tlsDir.resolve("fullchain.pem"), Files.readString(certificates.serverCertFile()));
    }

    /** Replaces {@code target} by a rename, so that a reader never sees it half written. */
    static void replace(Path target, String content) throws IOException {
        Path next = target.resolveSibling(target.getFileName() + ".next");
        Files.writeString(next, content);
        Files.move(next, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A TLS handshake with {@code port} on 127.0.0.1, trusting only the test CA: the certificate a new client gets. */
    static X509Certificate serverCertificate(int port, Path ca) throws IOException, GeneralSecurityException {
        try (SSLSocket socket = (SSLSocket) trusting(ca).getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    static X509Certificate read(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
