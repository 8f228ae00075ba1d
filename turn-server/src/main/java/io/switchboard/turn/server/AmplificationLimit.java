package io.switchboard.turn.server;

import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.Fingerprint;
import io.switchboard.stun.Software;
import io.switchboard.stun.StunAttribute;
import io.switchboard.stun.StunMessage;

import java.nio.charset.StandardCharsets;

/**
 * Keeps the answer to an unauthenticated request over UDP, whose source address may be forged, at most twice the size
 * of the request, so that the server cannot amplify traffic at a victim (RFC 8489 §16.1.2, RFC 8656 §21.1.3): an
 * answer that is larger loses SOFTWARE and as much of its reason phrase as needed. What RFC 8489 requires stays even
 * when it does not fit (the UNKNOWN-ATTRIBUTES of a 420); the 401 and 438 challenges are rate-limited instead.
 */
final class AmplificationLimit {
    /** An answer may be this many times the size of the request. */
    static final int FACTOR = 2;

    private AmplificationLimit() {
    }

    /** {@code response} as bytes, shortened when it is larger than {@link #FACTOR} times {@code requestLength}. */
    static byte[] fit(StunMessage response, int requestLength) {
        byte[] bytes = response.toBytes();
        int budget = FACTOR * requestLength;
        if (bytes.length <= budget) {
            return bytes;
        }
        StunMessage.Builder shorter = StunMessage.builder(response.type(), response.transactionId());
        ErrorCode error = null;
        boolean fingerprint = false;
        for (StunAttribute attribute : response.attributes()) {
            if (attribute instanceof ErrorCode) {
                error = (ErrorCode) attribute;
                shorter.add(new ErrorCode(error.code(), ""));
            } else if (attribute instanceof Fingerprint) {
                fingerprint = true;
            } else if (!(attribute instanceof Software)) {
                shorter.add(attribute);
            }
        }
        if (fingerprint) {
            shorter.fingerprint();
        }
        byte[] minimal = shorter.build().toBytes();
        if (error == null || minimal.length >= budget) {
            return minimal;
        }
        int room = (budget - minimal.length) & ~3;
        String reason = prefix(error.reason(), room);
        if (reason.isEmpty()) {
            return minimal;
        }
        StunMessage.Builder fitted = StunMessage.builder(response.type(), response.transactionId());
        for (StunAttribute attribute : response.attributes()) {
            if (attribute instanceof ErrorCode) {
                fitted.add(new ErrorCode(error.code(), reason));
            } else if (!(attribute instanceof Fingerprint) && !(attribute instanceof Software)) {
                fitted.add(attribute);
            }
        }
        if (fingerprint) {
            fitted.fingerprint();
        }
        return fitted.build().toBytes();
    }

    /** The longest prefix of {@code text} of at most {@code maxBytes} UTF-8 bytes, cut between characters. */
    private static String prefix(String text, int maxBytes) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return text;
        }
        int end = 0;
        int bytes = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }
}
