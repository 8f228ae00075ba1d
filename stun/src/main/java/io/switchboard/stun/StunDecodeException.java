package io.switchboard.stun;

import java.util.Optional;

/**
 * Bytes that do not decode as STUN, TURN ChannelData or an attribute; the message says where and what
 * ("attribute XOR-PEER-ADDRESS: got 6 bytes, expected 8 or 20").
 *
 * <p>When the 20-byte header itself was readable, the exception carries the message type and transaction id so that
 * a server can still answer a request with 400 Bad Request (RFC 8489 §6.3.1).
 */
public final class StunDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient MessageType messageType;
    private final transient TransactionId transactionId;

    public StunDecodeException(String message) {
        this(message, null, null);
    }

    StunDecodeException(String message, MessageType messageType, TransactionId transactionId) {
        super(message, null, false, false);
        this.messageType = messageType;
        this.transactionId = transactionId;
    }

    /** The same error, now knowing the header it happened in. */
    StunDecodeException inMessage(MessageType type, TransactionId id) {
        return new StunDecodeException(getMessage(), type, id);
    }

    /** The type of the message that failed, when its header was readable. */
    public Optional<MessageType> messageType() {
        return Optional.ofNullable(messageType);
    }

    /** The transaction id of the message that failed, when its header was readable. */
    public Optional<TransactionId> transactionId() {
        return Optional.ofNullable(transactionId);
    }
}
