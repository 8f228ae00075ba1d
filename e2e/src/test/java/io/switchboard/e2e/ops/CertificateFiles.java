package io.switchboard.e2e.ops;

import io.switchboard.app.tls.SelfSignedCertificates;
import io.switchboard.app.tls.ServerCertificate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Certificate and key files for 127.0.0.1, written the way certbot renews them: new files moved into place. */
final class CertificateFiles {
    private CertificateFiles() {
    }

    /** A fresh key and certificate for localhost and 127.0.0.1. */
    static ServerCertificate issue() {
        return SelfSignedCertificates.generate(List.of("localhost"), List.of(InetAddress.getLoopbackAddress()),
                Clock.systemUTC());
    }

    /** Writes {@code certificate} to {@code certFile} and its key to {@code keyFile}, each replaced atomically. */
    static X509Certificate write(ServerCertificate certificate, Path certFile, Path keyFile) {
        StringWriter chain = new StringWriter();
        StringWriter key = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(chain)) {
            for (X509Certificate c : certificate.chain()) {
                pem.writeObject(c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (JcaPEMWriter pem = new JcaPEMWriter(key)) {
            pem.writeObject(new JcaPKCS8Generator(certificate.key(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        replace(keyFile, key.toString());
        replace(certFile, chain.toString());
        return certificate.leaf();
    }

    private static void replace(Path file, String text) {
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".new");
            Files.writeString(temporary, text);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
