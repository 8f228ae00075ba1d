package io.switchboard.stun;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.zip.CRC32;
import javax.crypto.Mac;

/**
 * Encodes one STUN message at a time straight into a caller's {@link ByteBuffer}, computing MESSAGE-INTEGRITY,
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT over what was written so far (RFC 8489 §14.5-14.7). A writer is reusable and
 * keeps its MAC and CRC instances, so that an event loop can encode without allocating per message; it is not
 * thread-safe.
 *
 * <pre>{@code
 * int length = writer.begin(buffer, MessageType.BINDING_SUCCESS, id)
 *         .add(new XorMappedAddress(source))
 *         .addFingerprint()
 *         .finish();
 * }</pre>
 */
public final class StunMessageWriter {
    private final byte paddingByte;
    private final CRC32 crc = new CRC32();
    private KeyedMac hmacSha1;
    private KeyedMac hmacSha256;

    private ByteBuffer out;
    private ByteOrder savedOrder;
    private int start;
    private TransactionId transactionId;
    private boolean fingerprinted;

    public StunMessageWriter() {
        this((byte) 0);
    }

    /** A writer that pads attribute values with {@code paddingByte} (RFC 8489 §14 allows any value). */
    public StunMessageWriter(byte paddingByte) {
        this.paddingByte = paddingByte;
    }

    /** Starts a message at the buffer's position: the 20-byte header, its length patched by {@link #finish()}. */
    public StunMessageWriter begin(ByteBuffer buffer, MessageType type, TransactionId id) {
        this.out = Objects.requireNonNull(buffer, "buffer");
        this.transactionId = Objects.requireNonNull(id, "id");
        this.savedOrder = buffer.order();
        this.start = buffer.position();
        this.fingerprinted = false;
        buffer.order(ByteOrder.BIG_ENDIAN);
        buffer.putShort((short) type.code());
        buffer.putShort((short) 0);
        id.writeHeaderTail(buffer);
        return this;
    }

    /** Appends one attribute: header, value, padding. */
    public StunMessageWriter add(StunAttribute attribute) {
        int length = attribute.valueLength();
        int valueStart = header(attribute.type(), length);
        attribute.writeValue(out, transactionId);
        if (out.position() - valueStart != length) {
            throw new IllegalStateException(AttributeType.name(attribute.type()) + " wrote " + (out.position() - valueStart)
                    + " bytes but announced " + length);
        }
        pad(length);
        return this;
    }

    /** Appends a DATA attribute straight from the caller's bytes, without making a {@link Data} record. */
    public StunMessageWriter addData(byte[] source, int offset, int length) {
        header(AttributeType.DATA, length);
        out.put(source, offset, length);
        pad(length);
        return this;
    }

    /** Appends MESSAGE-INTEGRITY: HMAC-SHA1 over the message so far, its length counting this attribute (§14.5). */
    public StunMessageWriter addMessageIntegrity(byte[] key) {
        if (hmacSha1 == null) {
            hmacSha1 = new KeyedMac(IntegrityCodec.HMAC_SHA1);
        }
        return addHmac(AttributeType.MESSAGE_INTEGRITY, hmacSha1, key, MessageIntegrity.LENGTH);
    }

    /** Appends MESSAGE-INTEGRITY-SHA256 with the full 32-byte HMAC-SHA256 (§14.6). */
    public StunMessageWriter addMessageIntegritySha256(byte[] key) {
        if (hmacSha256 == null) {
            hmacSha256 = new KeyedMac(IntegrityCodec.HMAC_SHA256);
        }
        return addHmac(AttributeType.MESSAGE_INTEGRITY_SHA256, hmacSha256, key, MessageIntegritySha256.MAX_LENGTH);
    }

    private StunMessageWriter addHmac(int type, KeyedMac keyed, byte[] key, int length) {
        int attributeStart = out.position();
        patchLength(attributeStart - start - StunMessage.HEADER_LENGTH + 4 + length);
        Mac mac = keyed.keyed(key);
        if (out.hasArray()) {
            mac.update(out.array(), out.arrayOffset() + start, attributeStart - start);
        } else {
            mac.update(window(start, attributeStart));
        }
        header(type, length);
        out.put(keyed.finish(), 0, length);
        return this;
    }

    /** Appends FINGERPRINT, the CRC-32 of the message so far XOR 0x5354554e (§14.7); it must be last. */
    public StunMessageWriter addFingerprint() {
        int attributeStart = out.position();
        patchLength(attributeStart - start - StunMessage.HEADER_LENGTH + 4 + Fingerprint.LENGTH);
        crc.reset();
        if (out.hasArray()) {
            crc.update(out.array(), out.arrayOffset() + start, attributeStart - start);
        } else {
            crc.update(window(start, attributeStart));
        }
        header(AttributeType.FINGERPRINT, Fingerprint.LENGTH);
        out.putInt((int) crc.getValue() ^ Fingerprint.XOR);
        fingerprinted = true;
        return this;
    }

    /** Patches the length field and returns the message's total length; the buffer's position is after it. */
    public int finish() {
        if (out == null) {
            throw new IllegalStateException("begin() first");
        }
        int total = out.position() - start;
        patchLength(total - StunMessage.HEADER_LENGTH);
        out.order(savedOrder);
        ByteBuffer done = out;
        out = null;
        transactionId = null;
        done.position(start + total);
        return total;
    }

    private int header(int type, int length) {
        if (out == null) {
            throw new IllegalStateException("begin() first");
        }
        if (fingerprinted) {
            throw new IllegalStateException("FINGERPRINT must be the last attribute");
        }
        int body = out.position() - start - StunMessage.HEADER_LENGTH + 4 + Bytes.padded(length);
        if (length > 0xFFFF || body > StunMessage.MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("message body of " + body + " bytes exceeds the STUN maximum of "
                    + StunMessage.MAX_BODY_LENGTH);
        }
        out.putShort((short) type);
        out.putShort((short) length);
        return out.position();
    }

    private void pad(int length) {
        for (int i = length; i < Bytes.padded(length); i++) {
            out.put(paddingByte);
        }
    }

    private void patchLength(int bodyLength) {
        out.putShort(start + 2, (short) bodyLength);
    }

    private ByteBuffer window(int from, int to) {
        ByteBuffer view = out.duplicate();
        view.limit(to).position(from);
        return view;
    }
}
