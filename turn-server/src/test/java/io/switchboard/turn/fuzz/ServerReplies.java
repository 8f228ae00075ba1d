package io.switchboard.turn.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.MessageClass;
import io.switchboard.stun.MessageIntegrity;
import io.switchboard.stun.MessageIntegritySha256;
import io.switchboard.stun.StunDecodeException;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;

import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What every message the server sends to a client must satisfy, whatever the client sent: it decodes; a STUN response
 * re-encodes to exactly the bytes sent, so no padding or unused byte carries stale buffer content (the class of bug
 * behind leaked memory in TURN responses); ChannelData padding is zero; and an answer to an unauthenticated request
 * over UDP is at most twice the size of the request, except the 401 and 438 challenges RFC 8489 §9.2.4 requires (which
 * are rate-limited instead).
 */
public final class ServerReplies {
    private ServerReplies() {
    }

    /** Checks one datagram or stream frame from the server; returns the STUN message, if it is one. */
    public static Optional<StunMessage> check(ByteBuf content, byte[] request, boolean udp) {
        byte[] bytes = ByteBufUtil.getBytes(content);
        assertThat(bytes.length).as("empty message").isGreaterThanOrEqualTo(4);
        int first = bytes[0] & 0xFF;
        if ((first & 0xC0) == 0x40) {
            int length = ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
            assertThat(bytes.length - 4).as("ChannelData length").isBetween(length, length + 3);
            for (int i = 4 + length; i < bytes.length; i++) {
                assertThat(bytes[i]).as("ChannelData padding byte %d", i).isZero();
            }
            return Optional.empty();
        }
        StunMessage message;
        try {
            message = StunMessage.decode(bytes);
        } catch (StunDecodeException e) {
            throw new AssertionError("the server sent bytes that do not decode: " + e.getMessage() + " "
                    + ByteBufUtil.hexDump(bytes), e);
        }
        byte[] again = StunMessage.of(message.type(), message.transactionId(), message.attributes()).toBytes();
        if (!Arrays.equals(again, bytes)) {
            fail("the server's message differs from its re-encoding (stale bytes?):%n sent %s%n want %s",
                    ByteBufUtil.hexDump(bytes), ByteBufUtil.hexDump(again));
        }
        if (message.messageClass() == MessageClass.INDICATION) {
            assertThat(message.method()).isIn(StunMethod.DATA, StunMethod.CONNECTION_ATTEMPT);
            return Optional.of(message);
        }
        assertThat(message.messageClass()).isIn(MessageClass.SUCCESS_RESPONSE, MessageClass.ERROR_RESPONSE);
        if (request != null && request.length >= 20) {
            assertThat(Arrays.copyOfRange(bytes, 8, 20)).as("transaction id").isEqualTo(Arrays.copyOfRange(request, 8, 20));
        }
        if (udp && request != null && !signed(message)) {
            int code = message.attribute(ErrorCode.class).map(ErrorCode::code).orElse(0);
            if (code != ErrorCode.UNAUTHENTICATED && code != ErrorCode.STALE_NONCE) {
                assertThat(bytes.length).as("unauthenticated %s (code %d) to a %d-byte request: amplification",
                        message.type(), code, request.length).isLessThanOrEqualTo(2 * request.length);
            }
        }
        return Optional.of(message);
    }

    private static boolean signed(StunMessage message) {
        return message.attribute(MessageIntegrity.class).isPresent()
                || message.attribute(MessageIntegritySha256.class).isPresent();
    }
}
