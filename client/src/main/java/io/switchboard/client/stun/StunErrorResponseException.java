package io.switchboard.client.stun;

import io.switchboard.stun.ErrorCode;
import java.net.InetSocketAddress;

/** The server answered with an error response, e.g. 420 to a CHANGE-REQUEST it does not support. */
public final class StunErrorResponseException extends StunClientException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode errorCode;

    StunErrorResponseException(InetSocketAddress server, ErrorCode errorCode) {
        super("STUN server " + StunServerAddress.format(server) + " answered " + errorCode.code() + " " + errorCode.reason());
        this.errorCode = errorCode;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }
}
