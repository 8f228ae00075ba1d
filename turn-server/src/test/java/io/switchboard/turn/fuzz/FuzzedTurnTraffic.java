package io.switchboard.turn.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.switchboard.stun.AttributeType;
import io.switchboard.stun.IntegrityKeys;
import io.switchboard.stun.MessageClass;
import io.switchboard.stun.MessageType;
import io.switchboard.stun.StunMethod;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * Turns fuzzer bytes into what a TURN client sends: raw bytes, STUN requests and indications of every method with
 * well-formed or broken attributes, signed with valid long-term credentials (so the fuzzer reaches the handlers behind
 * authentication) or not, ChannelData and Send indications. Peer addresses come from a list that mixes the one peer
 * the test server may reach (a sink on 127.0.0.1) with every denied spelling and arbitrary bytes.
 */
final class FuzzedTurnTraffic {
    static final String REALM = "fuzz.test";
    static final String USER = "fuzzer";
    static final String PASSWORD = "fuzz-password";
    static final byte[] MD5_KEY = IntegrityKeys.longTermMd5(USER, REALM, PASSWORD);
    static final byte[] SHA256_KEY = IntegrityKeys.longTermSha256(USER, REALM, PASSWORD);

    private static final StunMethod[] METHODS = {StunMethod.BINDING, StunMethod.ALLOCATE, StunMethod.REFRESH,
            StunMethod.SEND, StunMethod.DATA, StunMethod.CREATE_PERMISSION, StunMethod.CHANNEL_BIND, StunMethod.CONNECT,
            StunMethod.CONNECTION_BIND, StunMethod.SHARED_SECRET};
    private static final int[] ATTRIBUTES = {AttributeType.REQUESTED_TRANSPORT, AttributeType.LIFETIME,
            AttributeType.XOR_PEER_ADDRESS, AttributeType.CHANNEL_NUMBER, AttributeType.DATA, AttributeType.EVEN_PORT,
            AttributeType.RESERVATION_TOKEN, AttributeType.REQUESTED_ADDRESS_FAMILY,
            AttributeType.ADDITIONAL_ADDRESS_FAMILY, AttributeType.DONT_FRAGMENT, AttributeType.SOFTWARE,
            AttributeType.CHANGE_REQUEST, AttributeType.RESPONSE_PORT, AttributeType.PADDING,
            AttributeType.CONNECTION_ID, AttributeType.PRIORITY, AttributeType.USE_CANDIDATE,
            AttributeType.ICE_CONTROLLING, AttributeType.MAPPED_ADDRESS, AttributeType.UNKNOWN_ATTRIBUTES,
            AttributeType.ERROR_CODE, AttributeType.ALTERNATE_SERVER, 0x0030, 0x7FFF, 0xC001};

    private final FuzzedDataProvider data;
    private final InetSocketAddress sink;

    FuzzedTurnTraffic(FuzzedDataProvider data, InetSocketAddress sink) {
        this.data = data;
        this.sink = sink;
    }

    /** The next packet a client sends; {@code nonces} gives a valid nonce for the client. */
    byte[] next(Function<Boolean, String> nonces) {
        switch (data.consumeInt(0, 5)) {
            case 0:
                return data.consumeBytes(data.consumeInt(0, 600));
            case 1:
                return channelData();
            case 2:
                return sendIndication();
            default:
                return stunMessage(nonces);
        }
    }

    /** A ChannelData message of a channel 0x4000-0x4007 or any number, padded or not, maybe with a lying length. */
    byte[] channelData() {
        int channel = data.consumeBoolean() ? 0x4000 + data.consumeInt(0, 7) : data.consumeInt(0x4000, 0x7FFF);
        byte[] payload = data.consumeBytes(data.consumeInt(0, 300));
        int length = data.consumeBoolean() ? payload.length : data.consumeInt(0, 0xFFFF);
        int padding = data.consumeBoolean() ? (4 - (payload.length & 3)) & 3 : data.consumeInt(0, 5);
        return ByteBuffer.allocate(4 + payload.length + padding).putShort((short) channel).putShort((short) length)
                .put(payload).array();
    }

    byte[] sendIndication() {
        RawStun message = new RawStun(StunMethod.SEND.indication().code(), transactionId());
        boolean peerFirst = data.consumeBoolean();
        if (peerFirst) {
            peerAttribute(message);
        }
        if (data.consumeBoolean()) {
            message.attribute(AttributeType.DATA, data.consumeBytes(data.consumeInt(0, 300)));
        }
        if (!peerFirst) {
            peerAttribute(message);
        }
        if (data.consumeBoolean()) {
            extraAttributes(message);
        }
        return message.bytes();
    }

    /** An XOR-PEER-ADDRESS: well-formed, missing, or of any length (the relay reads it in place). */
    private void peerAttribute(RawStun message) {
        switch (data.consumeInt(0, 3)) {
            case 0:
                break;
            case 1:
                message.attribute(AttributeType.XOR_PEER_ADDRESS, data.consumeBytes(data.consumeInt(0, 24)));
                break;
            default:
                message.xorAddress(AttributeType.XOR_PEER_ADDRESS, peer());
        }
    }

    private byte[] stunMessage(Function<Boolean, String> nonces) {
        int type;
        if (data.consumeInt(0, 9) == 0) {
            type = data.consumeInt(0, 0x3FFF);
        } else {
            StunMethod method = METHODS[data.consumeInt(0, METHODS.length - 1)];
            MessageClass messageClass = data.consumeInt(0, 7) == 0
                    ? MessageClass.values()[data.consumeInt(0, MessageClass.values().length - 1)] : MessageClass.REQUEST;
            type = new MessageType(method, messageClass).code();
        }
        RawStun message = new RawStun(type, transactionId());
        int count = data.consumeInt(0, 5);
        for (int i = 0; i < count; i++) {
            attribute(message);
        }
        if (data.consumeInt(0, 9) == 0) {
            message.raw(data.consumeBytes(data.consumeInt(0, 7)));
        }
        int auth = data.consumeInt(0, 4);
        if (auth > 0) {
            boolean sha256 = auth == 2;
            message.attribute(AttributeType.USERNAME, auth == 4 ? data.consumeString(20) : USER);
            message.attribute(AttributeType.REALM, auth == 4 ? data.consumeString(20) : REALM);
            message.attribute(AttributeType.NONCE, auth == 3 ? data.consumeString(40) : nonces.apply(Boolean.TRUE));
            if (sha256) {
                message.attribute(AttributeType.PASSWORD_ALGORITHMS, new byte[] {0, 2, 0, 0, 0, 1, 0, 0});
                message.attribute(AttributeType.PASSWORD_ALGORITHM, new byte[] {0, 2, 0, 0});
                message.messageIntegritySha256(SHA256_KEY);
            } else {
                message.messageIntegrity(MD5_KEY);
            }
        }
        if (data.consumeBoolean()) {
            message.fingerprint();
        }
        return message.bytes();
    }

    private void attribute(RawStun message) {
        int type = ATTRIBUTES[data.consumeInt(0, ATTRIBUTES.length - 1)];
        if (!data.consumeBoolean()) {
            message.attribute(type, data.consumeBytes(data.consumeInt(0, 40)));
            return;
        }
        switch (type) {
            case AttributeType.REQUESTED_TRANSPORT:
                message.attribute(type, new byte[] {data.consumeBoolean() ? 17 : data.consumeByte(), 0, 0, 0});
                break;
            case AttributeType.LIFETIME:
            case AttributeType.PRIORITY:
                message.attribute(type, ByteBuffer.allocate(4).putInt(data.consumeInt(0, 7200)).array());
                break;
            case AttributeType.XOR_PEER_ADDRESS:
            case AttributeType.ALTERNATE_SERVER:
                message.xorAddress(type, peer());
                break;
            case AttributeType.CHANNEL_NUMBER:
                message.attribute(type, ByteBuffer.allocate(4).putShort((short) (data.consumeBoolean()
                        ? 0x4000 + data.consumeInt(0, 7) : data.consumeInt(0, 0xFFFF))).array());
                break;
            case AttributeType.REQUESTED_ADDRESS_FAMILY:
            case AttributeType.ADDITIONAL_ADDRESS_FAMILY:
                message.attribute(type, new byte[] {(byte) data.consumeInt(0, 3), 0, 0, 0});
                break;
            case AttributeType.EVEN_PORT:
                message.attribute(type, new byte[] {(byte) (data.consumeBoolean() ? 0x80 : 0)});
                break;
            case AttributeType.RESERVATION_TOKEN:
                message.attribute(type, ByteBuffer.allocate(8).putLong(data.consumeLong()).array());
                break;
            case AttributeType.CHANGE_REQUEST:
                message.attribute(type, new byte[] {0, 0, 0, (byte) (data.consumeInt(0, 3) << 1)});
                break;
            case AttributeType.RESPONSE_PORT:
                message.attribute(type, new byte[] {(byte) data.consumeInt(0, 255), (byte) data.consumeInt(0, 255), 0, 0});
                break;
            case AttributeType.UNKNOWN_ATTRIBUTES:
                message.attribute(type, data.consumeBytes(2 * data.consumeInt(0, 4)));
                break;
            default:
                message.attribute(type, data.consumeBytes(data.consumeInt(0, 40)));
        }
    }

    private void extraAttributes(RawStun message) {
        int count = data.consumeInt(1, 3);
        for (int i = 0; i < count; i++) {
            attribute(message);
        }
    }

    private byte[] transactionId() {
        byte[] id = data.consumeBytes(12);
        return id.length == 12 ? id : java.util.Arrays.copyOf(id, 12);
    }

    /** A peer: the sink, a denied address in one of its spellings, or arbitrary bytes. */
    InetSocketAddress peer() {
        int choice = data.consumeInt(0, 12);
        try {
            switch (choice) {
                case 0:
                case 1:
                case 2:
                    return sink;
                case 3:
                    return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), data.consumeInt(1, 65535));
                case 4:
                    return new InetSocketAddress(InetAddress.getByName("10.0.0.1"), data.consumeInt(0, 65535));
                default:
                    String[] denied = {"::1", "::", "::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::",
                            "169.254.169.254", "224.0.0.1", "fe80::1"};
                    int index = data.consumeInt(0, denied.length);
                    if (index == denied.length) {
                        byte[] bytes = data.consumeBytes(data.consumeBoolean() ? 4 : 16);
                        return new InetSocketAddress(InetAddress.getByAddress(bytes.length == 4 || bytes.length == 16
                                ? bytes : new byte[4]), data.consumeInt(0, 65535));
                    }
                    return new InetSocketAddress(InetAddress.getByName(denied[index]), data.consumeInt(0, 65535));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
