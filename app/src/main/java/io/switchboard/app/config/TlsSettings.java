package io.switchboard.app.config;

import io.switchboard.app.tls.CertificateLoadException;
import io.switchboard.app.tls.PemCertificates;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The TLS listeners: TURN over TLS and HTTPS/WSS, with the certificate from PEM files or, when none is given, a
 * self-signed one generated at start.
 *
 * @param enabled     {@code --tls}: whether the TLS listeners run at all
 * @param turnsPort   {@code --turns-port}
 * @param httpsPort   {@code --https-port}
 * @param certificate {@code --tls-cert}: the PEM certificate chain, leaf first
 * @param key         {@code --tls-key}: the PEM private key of the leaf
 */
public record TlsSettings(boolean enabled, int turnsPort, int httpsPort, Optional<Path> certificate,
                          Optional<Path> key) {

    /** Whether the certificate comes from files (else it is generated at start). */
    public boolean fromFiles() {
        return certificate.isPresent();
    }

    /** Reads and checks the TLS options; the certificate files are loaded once to prove they are usable. */
    static TlsSettings from(ConfigSettings s) {
        boolean enabled = s.bool(ConfigOption.TLS);
        int turnsPort = s.port(ConfigOption.TURNS_PORT);
        int httpsPort = s.port(ConfigOption.HTTPS_PORT);
        Optional<Path> certificate = s.string(ConfigOption.TLS_CERT).map(Path::of);
        Optional<Path> key = s.string(ConfigOption.TLS_KEY).map(Path::of);
        if (!enabled) {
            if (certificate.isPresent()) {
                throw s.error(ConfigOption.TLS_CERT, "given while --tls is false; drop one of them");
            }
            if (key.isPresent()) {
                throw s.error(ConfigOption.TLS_KEY, "given while --tls is false; drop one of them");
            }
            return new TlsSettings(false, turnsPort, httpsPort, certificate, key);
        }
        if (certificate.isPresent() && key.isEmpty()) {
            throw s.error(ConfigOption.TLS_KEY, "is required with --tls-cert");
        }
        if (key.isPresent() && certificate.isEmpty()) {
            throw s.error(ConfigOption.TLS_CERT, "is required with --tls-key");
        }
        if (certificate.isPresent()) {
            try {
                PemCertificates.load(certificate.get(), key.get());
            } catch (CertificateLoadException e) {
                throw s.error(e.isAboutKey() ? ConfigOption.TLS_KEY : ConfigOption.TLS_CERT, e.getMessage());
            }
        }
        return new TlsSettings(true, turnsPort, httpsPort, certificate, key);
    }

    @Override
    public String toString() {
        if (!enabled) {
            return "off";
        }
        return "[turnsPort=" + turnsPort + ", httpsPort=" + httpsPort + ", certificate="
                + certificate.map(Path::toString).orElse("self-signed") + "]";
    }
}
