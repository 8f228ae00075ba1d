package io.switchboard.stun;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A STUN message (RFC 8489 §5): type, transaction id and attributes, together with its exact encoding so that
 * MESSAGE-INTEGRITY and FINGERPRINT can be verified over the bytes that were sent.
 *
 * <p>Decode with {@link #decode(byte[])} or a {@link StunDecoder}; build with {@link #builder(MessageType)}.
 * Attributes that RFC 8489 §14.5-14.7 say to ignore (after MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 or FINGERPRINT)
 * are not part of {@link #attributes()}.
 */
public final class StunMessage {
    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** The length field is 16 bits and always a multiple of 4. */
    public static final int MAX_BODY_LENGTH = 0xFFFC;
    public static final int MAX_LENGTH = HEADER_LENGTH + MAX_BODY_LENGTH;

    private final MessageType type;
    private final TransactionId transactionId;
    private final List<StunAttribute> attributes;
    private final byte[] raw;
    private final int[] offsets;

    /** {@code offsets[i]} is where attribute {@code i}'s header starts in {@code raw}. */
    StunMessage(MessageType type, TransactionId transactionId, List<StunAttribute> attributes, byte[] raw, int[] offsets) {
        this.type = type;
        this.transactionId = transactionId;
        this.attributes = Collections.unmodifiableList(attributes);
        this.raw = raw;
        this.offsets = offsets;
    }

    /** Decodes one whole datagram with the default limits of {@link StunDecoder#DEFAULT}. */
    public static StunMessage decode(byte[] data) throws StunDecodeException {
        return StunDecoder.DEFAULT.decode(data, 0, data.length);
    }

    public static StunMessage decode(byte[] data, int offset, int length) throws StunDecodeException {
        return StunDecoder.DEFAULT.decode(data, offset, length);
    }

    /** A message with exactly these attributes, encoded as they are (integrity and fingerprint values included). */
    public static StunMessage of(MessageType type, TransactionId transactionId, List<? extends StunAttribute> attributes) {
        Builder builder = new Builder(type, transactionId);
        for (StunAttribute a : attributes) {
            builder.add(a);
        }
        return builder.build();
    }

    /** A builder for a new message with a fresh random transaction id. */
    public static Builder builder(MessageType type) {
        return new Builder(type, TransactionId.random());
    }

    public static Builder builder(MessageType type, TransactionId transactionId) {
        return new Builder(type, transactionId);
    }

    /** A builder for the success response to {@code request}: same method and transaction id (RFC 8489 §6.3.1.1). */
    public static Builder successResponseTo(StunMessage request) {
        return new Builder(request.method().successResponse(), request.transactionId());
    }

    /** A builder for the error response to {@code request}, carrying {@code error} (RFC 8489 §6.3.1.1). */
    public static Builder errorResponseTo(StunMessage request, ErrorCode error) {
        return new Builder(request.method().errorResponse(), request.transactionId()).add(error);
    }

    public MessageType type() {
        return type;
    }

    public StunMethod method() {
        return type.method();
    }

    public MessageClass messageClass() {
        return type.messageClass();
    }

    public TransactionId transactionId() {
        return transactionId;
    }

    /** Whether this is a classic RFC 3489 message, without the magic cookie. */
    public boolean isClassic() {
        return transactionId.isClassic();
    }

    /** The attributes in wire order, without those the RFC says to ignore. */
    public List<StunAttribute> attributes() {
        return attributes;
    }

    /** The first attribute of this kind. */
    public <T extends StunAttribute> Optional<T> attribute(Class<T> kind) {
        for (StunAttribute a : attributes) {
            if (kind.isInstance(a)) {
                return Optional.of(kind.cast(a));
            }
        }
        return Optional.empty();
    }

    /** Every attribute of this kind, in wire order (several XOR-PEER-ADDRESS in a CreatePermission). */
    public <T extends StunAttribute> List<T> attributes(Class<T> kind) {
        List<T> found = new ArrayList<>();
        for (StunAttribute a : attributes) {
            if (kind.isInstance(a)) {
                found.add(kind.cast(a));
            }
        }
        return found;
    }

    public boolean contains(int attributeType) {
        return indexOf(attributeType) >= 0;
    }

    /**
     * The types of comprehension-required attributes (below 0x8000) this library did not understand, in wire order
     * and without repeats: what a 420 response lists in UNKNOWN-ATTRIBUTES (RFC 8489 §6.3.1).
     */
    public List<Integer> unknownComprehensionRequired() {
        List<Integer> unknown = new ArrayList<>();
        for (StunAttribute a : attributes) {
            if (a instanceof UnknownAttribute && a.isComprehensionRequired() && !unknown.contains(a.type())) {
                unknown.add(a.type());
            }
        }
        return unknown;
    }

    /** The encoded length in bytes, header included. */
    public int encodedLength() {
        return raw.length;
    }

    /** A copy of the encoding. */
    public byte[] toBytes() {
        return raw.clone();
    }

    /** Writes the encoding at the buffer's position. */
    public void writeTo(ByteBuffer out) {
        out.put(raw);
    }

    byte[] raw() {
        return raw;
    }

    int indexOf(int attributeType) {
        for (int i = 0; i < attributes.size(); i++) {
            if (attributes.get(i).type() == attributeType) {
                return i;
            }
        }
        return -1;
    }

    /** Where the header of the first attribute of this type starts in the encoding, or -1. */
    int offsetOf(int attributeType) {
        int index = indexOf(attributeType);
        return index < 0 ? -1 : offsets[index];
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StunMessage)) {
            return false;
        }
        StunMessage other = (StunMessage) o;
        return type.equals(other.type) && transactionId.equals(other.transactionId) && attributes.equals(other.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, transactionId, attributes);
    }

    @Override
    public String toString() {
        return type + (isClassic() ? " (RFC 3489)" : "") + " " + transactionId + " " + attributes;
    }

    /**
     * Builds a message in wire order. MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are computed while
     * encoding, over the attributes added before them (RFC 8489 §14.5-14.7).
     */
    public static final class Builder {
        /** One writer per thread, so that building keeps its MAC and CRC instances instead of looking them up. */
        private static final ThreadLocal<StunMessageWriter> WRITERS = ThreadLocal.withInitial(StunMessageWriter::new);

        private final MessageType type;
        private final TransactionId transactionId;
        private final List<Object> items = new ArrayList<>();
        private byte paddingByte;
        private boolean fingerprinted;

        private Builder(MessageType type, TransactionId transactionId) {
            this.type = Objects.requireNonNull(type, "type");
            this.transactionId = Objects.requireNonNull(transactionId, "transactionId");
        }

        public Builder add(StunAttribute attribute) {
            Objects.requireNonNull(attribute, "attribute");
            if (fingerprinted) {
                throw new IllegalStateException("FINGERPRINT must be the last attribute");
            }
            items.add(attribute);
            return this;
        }

        public Builder addAll(List<? extends StunAttribute> attributes) {
            for (StunAttribute a : attributes) {
                add(a);
            }
            return this;
        }

        /** Appends MESSAGE-INTEGRITY, HMAC-SHA1 with this key over everything added so far (RFC 8489 §14.5). */
        public Builder messageIntegrity(byte[] key) {
            items.add(new IntegrityItem(AttributeType.MESSAGE_INTEGRITY, key.clone()));
            return this;
        }

        /** Appends MESSAGE-INTEGRITY-SHA256, the full 32-byte HMAC-SHA256 (RFC 8489 §14.6). */
        public Builder messageIntegritySha256(byte[] key) {
            items.add(new IntegrityItem(AttributeType.MESSAGE_INTEGRITY_SHA256, key.clone()));
            return this;
        }

        /** Appends FINGERPRINT; nothing may follow it (RFC 8489 §14.7). */
        public Builder fingerprint() {
            items.add(new IntegrityItem(AttributeType.FINGERPRINT, null));
            fingerprinted = true;
            return this;
        }

        /** The byte used to pad attribute values (RFC 8489 §14: any value; RFC 5769 uses 0x20). Default 0. */
        public Builder paddingByte(byte padding) {
            this.paddingByte = padding;
            return this;
        }

        public StunMessage build() {
            int length = HEADER_LENGTH;
            for (Object item : items) {
                length += 4 + Bytes.padded(item instanceof StunAttribute
                        ? ((StunAttribute) item).valueLength() : ((IntegrityItem) item).valueLength());
            }
            if (length > MAX_LENGTH) {
                throw new IllegalArgumentException("message of " + length + " bytes exceeds the STUN maximum of " + MAX_LENGTH);
            }
            byte[] raw = new byte[length];
            ByteBuffer out = ByteBuffer.wrap(raw);
            StunMessageWriter writer = (paddingByte == 0 ? WRITERS.get() : new StunMessageWriter(paddingByte))
                    .begin(out, type, transactionId);
            List<StunAttribute> attributes = new ArrayList<>(items.size());
            int[] offsets = new int[items.size()];
            for (int i = 0; i < items.size(); i++) {
                Object item = items.get(i);
                offsets[i] = out.position();
                if (item instanceof StunAttribute) {
                    writer.add((StunAttribute) item);
                    attributes.add((StunAttribute) item);
                } else {
                    IntegrityItem integrity = (IntegrityItem) item;
                    if (integrity.type == AttributeType.MESSAGE_INTEGRITY) {
                        writer.addMessageIntegrity(integrity.key);
                        attributes.add(new MessageIntegrity(copy(raw, offsets[i] + 4, MessageIntegrity.LENGTH)));
                    } else if (integrity.type == AttributeType.MESSAGE_INTEGRITY_SHA256) {
                        writer.addMessageIntegritySha256(integrity.key);
                        attributes.add(new MessageIntegritySha256(copy(raw, offsets[i] + 4, MessageIntegritySha256.MAX_LENGTH)));
                    } else {
                        writer.addFingerprint();
                        attributes.add(new Fingerprint(Bytes.getInt(raw, offsets[i] + 4)));
                    }
                }
            }
            writer.finish();
            return new StunMessage(type, transactionId, attributes, raw, offsets);
        }

        private static byte[] copy(byte[] b, int offset, int length) {
            byte[] out = new byte[length];
            System.arraycopy(b, offset, out, 0, length);
            return out;
        }

        private static final class IntegrityItem {
            final int type;
            final byte[] key;

            IntegrityItem(int type, byte[] key) {
                this.type = type;
                this.key = key;
            }

            int valueLength() {
                switch (type) {
                    case AttributeType.MESSAGE_INTEGRITY: return MessageIntegrity.LENGTH;
                    case AttributeType.MESSAGE_INTEGRITY_SHA256: return MessageIntegritySha256.MAX_LENGTH;
                    default: return Fingerprint.LENGTH;
                }
            }
        }
    }
}
