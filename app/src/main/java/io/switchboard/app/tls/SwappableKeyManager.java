package io.switchboard.app.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A server key manager whose certificate can be replaced while the server runs: each new TLS handshake presents the
 * certificate in force when it starts; connections already established keep theirs.
 *
 * <p>Every certificate gets its own alias, and the previous one stays reachable, so a handshake that chose its alias
 * just before a swap still gets the matching key and chain.
 */
public final class SwappableKeyManager extends X509ExtendedKeyManager {

    /** One certificate and the alias handshakes know it by. */
    private record Entry(String alias, ServerCertificate certificate, Entry previous) {
    }

    private final AtomicReference<Entry> current;
    private long generation;

    public SwappableKeyManager(ServerCertificate initial) {
        current = new AtomicReference<>(new Entry("switchboard-0", Objects.requireNonNull(initial), null));
    }

    /** Makes {@code next} the certificate of new handshakes. */
    public synchronized void swap(ServerCertificate next) {
        Entry old = current.get();
        generation++;
        current.set(new Entry("switchboard-" + generation, Objects.requireNonNull(next),
                new Entry(old.alias, old.certificate, null)));
    }

    /** The certificate new handshakes present. */
    public ServerCertificate certificate() {
        return current.get().certificate;
    }

    private String aliasFor(String keyType) {
        Entry entry = current.get();
        return keyType != null && matches(keyType, entry.certificate.key()) ? entry.alias : null;
    }

    /** Key types come as "RSA", "EC", "RSASSA-PSS", or for TLS 1.2 key exchange "EC_EC", "EC_RSA". */
    private static boolean matches(String keyType, PrivateKey key) {
        int underscore = keyType.indexOf('_');
        String wanted = underscore < 0 ? keyType : keyType.substring(0, underscore);
        String algorithm = key.getAlgorithm();
        return wanted.equals(algorithm) || wanted.equals("EdDSA") && algorithm.equals("Ed25519");
    }

    private ServerCertificate lookup(String alias) {
        Entry entry = current.get();
        if (entry.alias.equals(alias)) {
            return entry.certificate;
        }
        if (entry.previous != null && entry.previous.alias.equals(alias)) {
            return entry.previous.certificate;
        }
        return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        ServerCertificate certificate = lookup(alias);
        return certificate == null ? null : certificate.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        ServerCertificate certificate = lookup(alias);
        return certificate == null ? null : certificate.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
