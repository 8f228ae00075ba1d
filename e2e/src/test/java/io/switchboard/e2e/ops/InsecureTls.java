package io.switchboard.e2e.ops;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS clients that accept any server certificate (the server's is self-signed or made by the test); the tests look at
 * the certificate they got themselves.
 */
final class InsecureTls {
    private InsecureTls() {
    }

    static SSLContext context() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustAll()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Netty client context for {@link io.switchboard.client.turn.TurnClient} over TLS. */
    static SslContext nettyClient() {
        try {
            return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpClient httpClient() {
        return HttpClient.newBuilder().sslContext(context()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Connects to {@code address} and completes a TLS handshake. */
    static SSLSocket connect(InetSocketAddress address) {
        try {
            SSLSocket socket = (SSLSocket) context().getSocketFactory().createSocket(address.getAddress(), address.getPort());
            socket.setSoTimeout(5000);
            socket.startHandshake();
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("TLS handshake with " + address + " failed", e);
        }
    }

    /** The leaf certificate a new TLS connection to {@code address} gets. */
    static X509Certificate certificateOf(InetSocketAddress address) {
        try (SSLSocket socket = connect(address)) {
            return leaf(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static X509Certificate leaf(SSLSocket socket) {
        try {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trusts every server. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
