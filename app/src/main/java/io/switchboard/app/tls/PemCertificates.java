package io.switchboard.app.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a certificate chain and its private key from PEM files (RFC 7468), as certbot, acme.sh and openssl write them,
 * and checks that the key belongs to the leaf certificate.
 */
public final class PemCertificates {
    private static final int MAX_FILE_BYTES = 1 << 20;

    private PemCertificates() {
    }

    /** Loads {@code certificateFile} (leaf first, then intermediates) and {@code keyFile}. */
    public static ServerCertificate load(Path certificateFile, Path keyFile) throws CertificateLoadException {
        return parse(read(certificateFile, false), certificateFile.toString(), read(keyFile, true), keyFile.toString());
    }

    /** As {@link #load}, from file contents already read; {@code certificateName} and {@code keyName} go in errors. */
    public static ServerCertificate parse(byte[] certificatePem, String certificateName, byte[] keyPem, String keyName)
            throws CertificateLoadException {
        List<X509Certificate> chain = certificates(certificatePem, certificateName);
        PrivateKey key = privateKey(keyPem, keyName);
        checkKeyMatches(key, chain.get(0).getPublicKey(), certificateName, keyName);
        return new ServerCertificate(key, chain, false);
    }

    /** The bytes of {@code file}; errors name it. */
    public static byte[] read(Path file, boolean isKey) throws CertificateLoadException {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new CertificateLoadException(isKey, file + " is larger than 1 MiB; not a PEM file");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CertificateLoadException(isKey, "file not found: " + file);
        } catch (IOException e) {
            throw new CertificateLoadException(isKey, "cannot read " + file + ": " + e, e);
        }
    }

    private static List<X509Certificate> certificates(byte[] pem, String name) throws CertificateLoadException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(reader(pem))) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder) {
                    chain.add(converter.getCertificate((X509CertificateHolder) item));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new CertificateLoadException(false, name + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new CertificateLoadException(false, name + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey privateKey(byte[] pem, String name) throws CertificateLoadException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(reader(pem))) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair) {
                    return converter.getPrivateKey(((PEMKeyPair) item).getPrivateKeyInfo());
                }
                if (item instanceof PrivateKeyInfo) {
                    return converter.getPrivateKey((PrivateKeyInfo) item);
                }
                if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new CertificateLoadException(true, name + " holds an encrypted private key; give an "
                            + "unencrypted one (openssl pkey -in " + name + " -out key.pem)");
                }
            }
        } catch (CertificateLoadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CertificateLoadException(true, name + " is not a PEM private key: " + e.getMessage(), e);
        }
        throw new CertificateLoadException(true, name + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    /** Signs random bytes with {@code key} and verifies them with the certificate's public key. */
    private static void checkKeyMatches(PrivateKey key, PublicKey certificateKey, String certificateName, String keyName)
            throws CertificateLoadException {
        String algorithm = signatureAlgorithm(key);
        if (!key.getAlgorithm().equals(certificateKey.getAlgorithm())) {
            throw new CertificateLoadException(true, keyName + " is a " + key.getAlgorithm() + " key but the certificate in "
                    + certificateName + " has a " + certificateKey.getAlgorithm() + " key");
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new CertificateLoadException(true, keyName + " is not the private key of the first certificate in "
                        + certificateName);
            }
        } catch (GeneralSecurityException e) {
            throw new CertificateLoadException(true, keyName + " cannot sign for the certificate in " + certificateName
                    + ": " + e.getMessage(), e);
        }
    }

    private static String signatureAlgorithm(PrivateKey key) throws CertificateLoadException {
        switch (key.getAlgorithm()) {
            case "RSA":
                return "SHA256withRSA";
            case "EC":
                return "SHA256withECDSA";
            case "Ed25519":
            case "EdDSA":
                return "Ed25519";
            default:
                throw new CertificateLoadException(true, "unsupported key type " + key.getAlgorithm()
                        + "; use an RSA or EC (P-256, P-384) key");
        }
    }

    /** Whether the leaf is valid at {@code now}; an explanation when not. */
    public static Optional<String> validityProblem(ServerCertificate certificate, Instant now) {
        X509Certificate leaf = certificate.leaf();
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            return Optional.of("the certificate expired on " + leaf.getNotAfter().toInstant());
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            return Optional.of("the certificate is not valid before " + leaf.getNotBefore().toInstant());
        }
        return Optional.empty();
    }

    private static Reader reader(byte[] pem) {
        return new StringReader(new String(pem, StandardCharsets.US_ASCII));
    }
}
