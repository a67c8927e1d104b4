package io.streamrepeater.app;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A server certificate chain and its private key, read from PEM files and checked to belong together,
 * as the Netty {@link SslContext} of a TLS listener.
 *
 * <p>The key must be unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), RSA or EC: what Netty reads
 * without BouncyCastle. Older PEM forms get an error that says how to convert them.
 *
 * @param context the server context, shared by every connection that starts while it is current
 * @param leaf the server's own certificate (the first in the chain file)
 * @param jdkContext the same certificate and key as the JDK's {@link SSLContext}, for the HTTPS listener (Jetty)
 */
record ServerCertificate(SslContext context, X509Certificate leaf, SSLContext jdkContext) {
    /** PEM files of a certificate chain or a key are a few kilobytes: refuse anything far larger. */
    static final long MAX_PEM_BYTES = 1024 * 1024;

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    /**
     * Reads and checks both files.
     *
     * @throws TlsFileException naming the file at fault when a file is missing, unreadable, not PEM, or
     *     the key does not belong to the certificate
     */
    static ServerCertificate load(Path certFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        X509Certificate leaf = chain.get(0);
        requireMatch(key, leaf, keyFile, certFile);
        try {
            X509Certificate[] certificates = chain.toArray(X509Certificate[]::new);
            SslContext context = SslContextBuilder.forServer(key, certificates).build();
            return new ServerCertificate(context, leaf, jdkContext(key, certificates));
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new TlsFileException("certFile", certFile, "cannot be used for TLS: " + e.getMessage(), e);
        }
    }

    private static SSLContext jdkContext(PrivateKey key, X509Certificate[] chain)
            throws GeneralSecurityException, IOException {
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, password, chain);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** @return the subject of the server certificate, e.g. {@code CN=relay.example.com} */
    String subject() {
        return leaf.getSubjectX500Principal().getName();
    }

    /** @return the serial number of the server certificate in hexadecimal */
    String serial() {
        return leaf.getSerialNumber().toString(16);
    }

    /** @return when the server certificate expires */
    Instant notAfter() {
        return leaf.getNotAfter().toInstant();
    }

    private static List<X509Certificate> certificates(Path certFile) {
        String pem = read("certFile", certFile);
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks(pem, "CERTIFICATE")) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new TlsFileException(
                    "certFile", certFile, "holds a CERTIFICATE block that is not a valid X.509 certificate", e);
        }
        if (chain.isEmpty()) {
            throw new TlsFileException(
                    "certFile",
                    certFile,
                    "holds no PEM certificate (expected -----BEGIN CERTIFICATE-----, the server's first, then its chain)",
                    null);
        }
        return chain;
    }

    private static PrivateKey privateKey(Path keyFile) {
        String pem = read("keyFile", keyFile);
        List<byte[]> pkcs8;
        try {
            pkcs8 = blocks(pem, "PRIVATE KEY");
        } catch (IllegalArgumentException e) {
            throw new TlsFileException("keyFile", keyFile, "holds a PRIVATE KEY block that is not valid base64", null);
        }
        if (pkcs8.isEmpty()) {
            Matcher other = PEM_BLOCK.matcher(pem);
            String found = other.find() ? other.group(1) : null;
            String reason;
            if ("ENCRYPTED PRIVATE KEY".equals(found)) {
                reason = "holds an encrypted key; the server needs it unencrypted: openssl pkcs8 -topk8 -nocrypt -in "
                        + keyFile + " -out KEY.pem";
            } else if (found != null && found.endsWith("PRIVATE KEY")) {
                reason = "holds a '" + found + "' (PKCS#1/SEC1) key; the server reads PKCS#8: convert it with "
                        + "openssl pkcs8 -topk8 -nocrypt -in " + keyFile + " -out KEY.pem";
            } else {
                reason = "holds no PEM private key (expected -----BEGIN PRIVATE KEY-----, unencrypted PKCS#8)";
            }
            throw new TlsFileException("keyFile", keyFile, reason, null);
        }
        if (pkcs8.size() > 1) {
            throw new TlsFileException(
                    "keyFile", keyFile, "holds " + pkcs8.size() + " private keys; keep only the server's", null);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8.get(0));
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisAlgorithm) {
                // try the next one
            }
        }
        throw new TlsFileException(
                "keyFile", keyFile, "holds a PRIVATE KEY that is neither an RSA nor an EC key", null);
    }

    /** Signs with the key and verifies with the certificate: a renewed certificate next to an old key fails here. */
    private static void requireMatch(PrivateKey key, X509Certificate leaf, Path keyFile, Path certFile) {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
        byte[] probe = "stream-repeater key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException mismatchedKinds) {
            // e.g. an EC key next to an RSA certificate: reported below
        }
        throw new TlsFileException(
                "keyFile",
                keyFile,
                "is not the key of the certificate in " + certFile + " ("
                        + leaf.getSubjectX500Principal().getName() + ")",
                null);
    }

    private static String read(String role, Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new TlsFileException(
                        role, file, Files.exists(file) ? "is not a regular file" : "no such file", null);
            }
            long size = Files.size(file);
            if (size > MAX_PEM_BYTES) {
                throw new TlsFileException(
                        role,
                        file,
                        "is " + size + " bytes, more than the limit of " + MAX_PEM_BYTES + " for a PEM file",
                        null);
            }
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new TlsFileException(role, file, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new TlsFileException(
                    role, file, "permission denied (the server runs as " + System.getProperty("user.name") + ")", e);
        } catch (IOException e) {
            throw new TlsFileException(
                    role, file, "cannot be read: " + e.getClass().getSimpleName(), e);
        }
    }

    /** @return the DER bytes of every PEM block of that type, in file order */
    private static List<byte[]> blocks(String pem, String type) {
        List<byte[]> blocks = new ArrayList<>();
        Matcher m = PEM_BLOCK.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                blocks.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return blocks;
    }
}
