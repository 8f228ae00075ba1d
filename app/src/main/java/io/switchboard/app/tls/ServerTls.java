package io.switchboard.app.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.switchboard.app.config.TlsSettings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server certificate of the TLS listeners (TURNS, HTTPS/WSS) and its one Netty {@link SslContext} (TLS 1.2 and
 * 1.3 only). The certificate comes from PEM files, re-read whenever their contents change, or is generated at start.
 * A new certificate serves new handshakes at once; established connections are not touched. A file that cannot be used
 * leaves the certificate in force.
 */
public final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    /** The protocol versions offered; TLS 1.0 and 1.1 are refused (RFC 8996). */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** What happened to a certificate check. */
    public enum Outcome { UNCHANGED, APPLIED, REFUSED }

    private final SwappableKeyManager keyManager;
    private final SslContext sslContext;
    private final Clock clock;
    private Optional<Path> certificateFile;
    private Optional<Path> keyFile;
    private byte[] seenCertificate;
    private byte[] seenKey;
    private String lastProblem;
    private Counter applied;
    private Counter refused;

    private ServerTls(ServerCertificate initial, Optional<Path> certificateFile, Optional<Path> keyFile,
                      byte[] seenCertificate, byte[] seenKey, Clock clock) {
        this.keyManager = new SwappableKeyManager(initial);
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.seenCertificate = seenCertificate;
        this.seenKey = seenKey;
        this.clock = clock;
        try {
            this.sslContext = SslContextBuilder.forServer(keyManager)
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the certificate of {@code settings}, or generates a self-signed one for {@code dnsNames} and
     * {@code addresses} when it names no files.
     */
    public static ServerTls start(TlsSettings settings, Collection<String> dnsNames, Collection<InetAddress> addresses,
                                  Clock clock) throws CertificateLoadException {
        if (settings.fromFiles()) {
            Path certificate = settings.certificate().orElseThrow();
            Path key = settings.key().orElseThrow();
            byte[] certificatePem = PemCertificates.read(certificate, false);
            byte[] keyPem = PemCertificates.read(key, true);
            ServerCertificate loaded = PemCertificates.parse(certificatePem, certificate.toString(), keyPem, key.toString());
            LOG.info("tls certificate loaded from {}: {}", certificate, loaded.describe());
            warnIfNotValid(loaded, clock);
            return new ServerTls(loaded, settings.certificate(), settings.key(), certificatePem, keyPem, clock);
        }
        ServerCertificate generated = SelfSignedCertificates.generate(dnsNames, addresses, clock);
        LOG.info("tls certificate generated: {} spki-sha256={}; browsers will ask to trust it (see docs/OPERATIONS.md)",
                generated.describe(), generated.spkiSha256());
        return new ServerTls(generated, Optional.empty(), Optional.empty(), null, null, clock);
    }

    /** Registers {@code switchboard.tls.certificate.not.after} and {@code switchboard.tls.reloads{outcome}}. */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("switchboard.tls.certificate.not.after", this, t -> t.certificate().notAfter().getEpochSecond())
                .baseUnit("seconds")
                .description("Expiry of the certificate served now, in Unix seconds")
                .register(registry);
        applied = Counter.builder("switchboard.tls.reloads").tag("outcome", "applied")
                .description("Certificate changes picked up (file change or SIGHUP)").register(registry);
        refused = Counter.builder("switchboard.tls.reloads").tag("outcome", "refused")
                .description("Certificate changes picked up (file change or SIGHUP)").register(registry);
    }

    public SslContext sslContext() {
        return sslContext;
    }

    /** The certificate new handshakes get. */
    public ServerCertificate certificate() {
        return keyManager.certificate();
    }

    /** Re-reads the certificate files when their contents changed since last seen; for the periodic check. */
    public synchronized Outcome checkFiles() {
        if (certificateFile.isEmpty()) {
            return Outcome.UNCHANGED;
        }
        return load(certificateFile.get(), keyFile.orElseThrow(), "file change");
    }

    /**
     * Validates the files named by {@code next} without applying them; a problem is thrown. Self-signed settings
     * need no check.
     */
    public static Optional<ServerCertificate> prepare(TlsSettings next) throws CertificateLoadException {
        if (!next.enabled() || !next.fromFiles()) {
            return Optional.empty();
        }
        return Optional.of(PemCertificates.load(next.certificate().orElseThrow(), next.key().orElseThrow()));
    }

    /**
     * Applies the certificate files of {@code next} (a SIGHUP reload); they may name other paths than before. Settings
     * without files keep the certificate in force, since a self-signed one is made only at start.
     */
    public synchronized Outcome reload(TlsSettings next) {
        if (!next.enabled() || !next.fromFiles()) {
            return Outcome.UNCHANGED;
        }
        Path certificate = next.certificate().orElseThrow();
        Path key = next.key().orElseThrow();
        boolean moved = !certificateFile.equals(next.certificate()) || !keyFile.equals(next.key());
        if (moved) {
            seenCertificate = null;
            seenKey = null;
        }
        Outcome outcome = load(certificate, key, "reload");
        if (outcome != Outcome.REFUSED) {
            certificateFile = next.certificate();
            keyFile = next.key();
        }
        return outcome;
    }

    private Outcome load(Path certificate, Path key, String why) {
        byte[] certificatePem;
        byte[] keyPem;
        try {
            certificatePem = PemCertificates.read(certificate, false);
            keyPem = PemCertificates.read(key, true);
        } catch (CertificateLoadException e) {
            return refuse(why, e.getMessage(), null, null);
        }
        if (Arrays.equals(certificatePem, seenCertificate) && Arrays.equals(keyPem, seenKey)) {
            return Outcome.UNCHANGED;
        }
        ServerCertificate loaded;
        try {
            loaded = PemCertificates.parse(certificatePem, certificate.toString(), keyPem, key.toString());
        } catch (CertificateLoadException e) {
            return refuse(why, e.getMessage(), certificatePem, keyPem);
        }
        seenCertificate = certificatePem;
        seenKey = keyPem;
        lastProblem = null;
        keyManager.swap(loaded);
        if (applied != null) {
            applied.increment();
        }
        LOG.info("tls certificate reloaded from {} ({}); new connections get {}", certificate, why, loaded.describe());
        warnIfNotValid(loaded, clock);
        return Outcome.APPLIED;
    }

    /** Logs a refused change once per new file contents and keeps the certificate in force. */
    private Outcome refuse(String why, String problem, byte[] certificatePem, byte[] keyPem) {
        if (certificatePem != null) {
            seenCertificate = certificatePem;
            seenKey = keyPem;
        } else if (problem.equals(lastProblem)) {
            return Outcome.UNCHANGED;
        }
        lastProblem = problem;
        if (refused != null) {
            refused.increment();
        }
        LOG.warn("tls certificate change refused ({}): {}; still serving {}", why, problem, certificate().describe());
        return Outcome.REFUSED;
    }

    private static void warnIfNotValid(ServerCertificate certificate, Clock clock) {
        PemCertificates.validityProblem(certificate, clock.instant())
                .ifPresent(problem -> LOG.warn("tls certificate problem: {}; clients will refuse it", problem));
    }
}
