package io.switchboard.app.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A private key and its certificate chain (leaf first), as the TLS listeners present them. {@link #toString()} never
 * shows the key.
 *
 * @param key        the leaf's private key
 * @param chain      the leaf certificate, then the intermediates
 * @param selfSigned whether Switchboard generated it at start
 */
public record ServerCertificate(PrivateKey key, List<X509Certificate> chain, boolean selfSigned) {

    public ServerCertificate {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the leaf");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** The SHA-256 fingerprint of the leaf, hex with colons, as browsers and {@code openssl x509 -fingerprint} show it. */
    public String fingerprint() {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256(encoded()));
    }

    /** Base64 SHA-256 of the leaf's public key, for Chromium's {@code --ignore-certificate-errors-spki-list}. */
    public String spkiSha256() {
        return Base64.getEncoder().encodeToString(sha256(leaf().getPublicKey().getEncoded()));
    }

    /** The subject alternative names of the leaf, e.g. {@code [DNS:localhost, IP:127.0.0.1]}. */
    public List<String> subjectAlternativeNames() {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = leaf().getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    names.add((type == 2 ? "DNS:" : type == 7 ? "IP:" : "other:") + san.get(1));
                }
            }
        } catch (CertificateParsingException e) {
            names.add("unreadable");
        }
        return names;
    }

    /** One line for the logs: subject, names, expiry and fingerprint. */
    public String describe() {
        return "subject='" + leaf().getSubjectX500Principal().getName() + "' names=" + subjectAlternativeNames()
                + " notAfter=" + notAfter() + " sha256=" + fingerprint() + (selfSigned ? " (self-signed)" : "");
    }

    private byte[] encoded() {
        try {
            return leaf().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ServerCertificate[" + describe() + "]";
    }
}
