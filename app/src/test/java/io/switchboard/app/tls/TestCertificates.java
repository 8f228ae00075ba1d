package io.switchboard.app.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Keys and certificates for tests, written as PEM the way openssl and certbot write them. */
public final class TestCertificates {
    private TestCertificates() {
    }

    /** A key pair of {@code algorithm} (RSA or EC) and a certificate for {@code commonName}, signed by itself. */
    public static Issued issue(String algorithm, String commonName) {
        return issue(algorithm, commonName, null);
    }

    /** As {@link #issue(String, String)}, signed by {@code issuer} when not null. */
    public static Issued issue(String algorithm, String commonName, Issued issuer) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(algorithm.equals("RSA") ? 2048 : 256);
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + commonName);
            X500Name issuerName = issuer == null ? subject
                    : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(System.nanoTime()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(30))), subject, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, commonName)));
            KeyPair signer = issuer == null ? pair : issuer.keys();
            String signature = signer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signature).build(signer.getPrivate())));
            return new Issued(pair, certificate);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key pair and its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {

        /** Writes the certificate followed by {@code intermediates} to {@code file}. */
        public Path writeChain(Path file, Issued... intermediates) {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(certificate);
                for (Issued intermediate : intermediates) {
                    pem.writeObject(intermediate.certificate());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return write(file, out.toString());
        }

        /** Writes the private key as PKCS#8 ({@code BEGIN PRIVATE KEY}). */
        public Path writePkcs8Key(Path file) {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return write(file, out.toString());
        }

        /**
         * Writes the private key in the traditional OpenSSL form: PKCS#1 {@code BEGIN RSA PRIVATE KEY}, or SEC1
         * {@code BEGIN EC PRIVATE KEY} with the curve and public key, as {@code openssl ecparam -genkey} writes it.
         */
        public Path writeTraditionalKey(Path file) {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
                if (keys.getPrivate().getAlgorithm().equals("EC")) {
                    PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
                    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
                    ECPrivateKey sec1 = new ECPrivateKey(256, inner.getKey(),
                            SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData(),
                            info.getPrivateKeyAlgorithm().getParameters());
                    pem.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
                } else {
                    pem.writeObject(keys.getPrivate());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return write(file, out.toString());
        }

        /** Writes the private key as encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}). */
        public Path writeEncryptedKey(Path file) {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
                var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                        .setPassword("passphrase".toCharArray()).build();
                pem.writeObject(new JcaPKCS8Generator(keys.getPrivate(), encryptor));
            } catch (IOException | org.bouncycastle.operator.OperatorCreationException e) {
                throw new IllegalStateException(e);
            }
            return write(file, out.toString());
        }
    }

    /** Writes {@code text} to {@code file}, replacing it. */
    public static Path write(Path file, String text) {
        try {
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
