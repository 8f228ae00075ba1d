package io.switchboard.app.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PemCertificatesTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"RSA", "EC"})
    void loadsAChainWithItsKeyInPkcs8AndTraditionalForm(String algorithm) throws Exception {
        TestCertificates.Issued ca = TestCertificates.issue(algorithm, "test-ca");
        TestCertificates.Issued leaf = TestCertificates.issue(algorithm, "turn.example.org", ca);
        Path chain = leaf.writeChain(dir.resolve("fullchain.pem"), ca);

        ServerCertificate pkcs8 = PemCertificates.load(chain, leaf.writePkcs8Key(dir.resolve("key8.pem")));
        ServerCertificate traditional = PemCertificates.load(chain, leaf.writeTraditionalKey(dir.resolve("key1.pem")));

        assertThat(pkcs8.chain()).containsExactly(leaf.certificate(), ca.certificate());
        assertThat(pkcs8.key().getEncoded()).isEqualTo(leaf.keys().getPrivate().getEncoded());
        assertThat(secret(traditional.key())).isEqualTo(secret(leaf.keys().getPrivate()));
        assertThat(pkcs8.subjectAlternativeNames()).containsExactly("DNS:turn.example.org");
        assertThat(pkcs8.selfSigned()).isFalse();
    }

    /** The secret number of an RSA or EC private key, whatever its encoding. */
    private static java.math.BigInteger secret(java.security.PrivateKey key) {
        return key instanceof java.security.interfaces.ECPrivateKey ? ((java.security.interfaces.ECPrivateKey) key).getS()
                : ((java.security.interfaces.RSAPrivateKey) key).getPrivateExponent();
    }

    @Test
    void refusesAKeyThatDoesNotBelongToTheCertificateNamingTheKeyFile() {
        TestCertificates.Issued one = TestCertificates.issue("EC", "one.example");
        TestCertificates.Issued other = TestCertificates.issue("EC", "other.example");
        Path chain = one.writeChain(dir.resolve("cert.pem"));
        Path key = other.writePkcs8Key(dir.resolve("key.pem"));

        assertThatThrownBy(() -> PemCertificates.load(chain, key))
                .isInstanceOfSatisfying(CertificateLoadException.class, e -> assertThat(e.isAboutKey()).isTrue())
                .hasMessage(key + " is not the private key of the first certificate in " + chain);
    }

    @Test
    void refusesAKeyOfAnotherAlgorithm() {
        TestCertificates.Issued rsa = TestCertificates.issue("RSA", "rsa.example");
        TestCertificates.Issued ec = TestCertificates.issue("EC", "ec.example");
        Path chain = rsa.writeChain(dir.resolve("cert.pem"));
        Path key = ec.writePkcs8Key(dir.resolve("key.pem"));

        assertThatThrownBy(() -> PemCertificates.load(chain, key))
                .hasMessage(key + " is a EC key but the certificate in " + chain + " has a RSA key");
    }

    @Test
    void refusesAnEncryptedKeyAndSaysHowToDecryptIt() {
        TestCertificates.Issued leaf = TestCertificates.issue("EC", "leaf.example");
        Path chain = leaf.writeChain(dir.resolve("cert.pem"));
        Path key = leaf.writeEncryptedKey(dir.resolve("key.pem"));

        assertThatThrownBy(() -> PemCertificates.load(chain, key))
                .isInstanceOfSatisfying(CertificateLoadException.class, e -> assertThat(e.isAboutKey()).isTrue())
                .hasMessageContaining("holds an encrypted private key").hasMessageContaining("openssl pkey");
    }

    @Test
    void refusesFilesWithoutPemContentAndMissingFiles() {
        TestCertificates.Issued leaf = TestCertificates.issue("EC", "leaf.example");
        Path key = leaf.writePkcs8Key(dir.resolve("key.pem"));
        Path garbage = TestCertificates.write(dir.resolve("garbage.pem"), "hello\n");

        assertThatThrownBy(() -> PemCertificates.load(garbage, key))
                .isInstanceOfSatisfying(CertificateLoadException.class, e -> assertThat(e.isAboutKey()).isFalse())
                .hasMessage(garbage + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        assertThatThrownBy(() -> PemCertificates.load(leaf.writeChain(dir.resolve("c.pem")), garbage))
                .hasMessage(garbage + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        assertThatThrownBy(() -> PemCertificates.load(dir.resolve("absent.pem"), key))
                .hasMessage("file not found: " + dir.resolve("absent.pem"));
    }

    @Test
    void aKeyFileGivenAsCertificateIsNotACertificate() {
        TestCertificates.Issued leaf = TestCertificates.issue("RSA", "leaf.example");
        Path key = leaf.writeTraditionalKey(dir.resolve("key.pem"));

        assertThatThrownBy(() -> PemCertificates.load(key, key))
                .isInstanceOfSatisfying(CertificateLoadException.class, e -> assertThat(e.isAboutKey()).isFalse())
                .hasMessageContaining("holds no PEM certificate");
    }
}
