package io.switchboard.app.tls;

import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLEngine;

/**
 * The TLS context of the TURNS listener: like its delegate, but every write goes out as its own TLS record, so each
 * STUN message or ChannelData frame is one record, as coturn sends them. Clients that read one TURN message per TLS
 * record (coturn's {@code turnutils_uclient -S}) would otherwise lose every message after the first of a batch.
 */
public final class RecordPerWriteSslContext extends DelegatingSslContext {

    public RecordPerWriteSslContext(SslContext delegate) {
        super(delegate);
    }

    @Override
    protected void initEngine(SSLEngine engine) {
        // the delegate's settings apply unchanged
    }

    @Override
    protected void initHandler(SslHandler handler) {
        handler.setWrapDataSize(0);
    }
}
