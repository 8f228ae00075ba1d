package io.switchboard.stun;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attribute type codes from the IANA "STUN Attributes" registry: RFC 8489, RFC 8656, RFC 6062, RFC 5780, RFC 8445,
 * and the RFC 3489 address attributes that classic servers still send.
 */
public final class AttributeType {
    // RFC 8489 §18.3 (comprehension-required)
    public static final int MAPPED_ADDRESS = 0x0001;
    /** RFC 3489 only; reserved since RFC 5389. */
    public static final int RESPONSE_ADDRESS = 0x0002;
    /** RFC 5780 §7.2. */
    public static final int CHANGE_REQUEST = 0x0003;
    /** RFC 3489 only; reserved since RFC 5389. */
    public static final int SOURCE_ADDRESS = 0x0004;
    /** RFC 3489 only; reserved since RFC 5389. */
    public static final int CHANGED_ADDRESS = 0x0005;
    public static final int USERNAME = 0x0006;
    /** RFC 3489 only; reserved since RFC 5389. */
    public static final int PASSWORD = 0x0007;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    /** RFC 3489 only; reserved since RFC 5389. */
    public static final int REFLECTED_FROM = 0x000B;
    public static final int CHANNEL_NUMBER = 0x000C;
    public static final int LIFETIME = 0x000D;
    /** RFC 5766 draft only; reserved. */
    public static final int BANDWIDTH = 0x0010;
    public static final int XOR_PEER_ADDRESS = 0x0012;
    public static final int DATA = 0x0013;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int XOR_RELAYED_ADDRESS = 0x0016;
    public static final int REQUESTED_ADDRESS_FAMILY = 0x0017;
    public static final int EVEN_PORT = 0x0018;
    public static final int REQUESTED_TRANSPORT = 0x0019;
    public static final int DONT_FRAGMENT = 0x001A;
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    public static final int PASSWORD_ALGORITHM = 0x001D;
    public static final int USERHASH = 0x001E;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    /** RFC 5766 draft only; reserved. */
    public static final int TIMER_VAL = 0x0021;
    public static final int RESERVATION_TOKEN = 0x0022;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int PADDING = 0x0026;
    public static final int RESPONSE_PORT = 0x0027;
    public static final int CONNECTION_ID = 0x002A;
    // comprehension-optional
    public static final int ADDITIONAL_ADDRESS_FAMILY = 0x8000;
    public static final int ADDRESS_ERROR_CODE = 0x8001;
    public static final int PASSWORD_ALGORITHMS = 0x8002;
    public static final int ALTERNATE_DOMAIN = 0x8003;
    public static final int ICMP = 0x8004;
    public static final int SOFTWARE = 0x8022;
    public static final int ALTERNATE_SERVER = 0x8023;
    public static final int CACHE_TIMEOUT = 0x8027;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;
    public static final int RESPONSE_ORIGIN = 0x802B;
    public static final int OTHER_ADDRESS = 0x802C;

    private static final Map<Integer, String> NAMES;

    static {
        Map<Integer, String> names = new TreeMap<>();
        names.put(MAPPED_ADDRESS, "MAPPED-ADDRESS");
        names.put(RESPONSE_ADDRESS, "RESPONSE-ADDRESS");
        names.put(CHANGE_REQUEST, "CHANGE-REQUEST");
        names.put(SOURCE_ADDRESS, "SOURCE-ADDRESS");
        names.put(CHANGED_ADDRESS, "CHANGED-ADDRESS");
        names.put(USERNAME, "USERNAME");
        names.put(PASSWORD, "PASSWORD");
        names.put(MESSAGE_INTEGRITY, "MESSAGE-INTEGRITY");
        names.put(ERROR_CODE, "ERROR-CODE");
        names.put(UNKNOWN_ATTRIBUTES, "UNKNOWN-ATTRIBUTES");
        names.put(REFLECTED_FROM, "REFLECTED-FROM");
        names.put(CHANNEL_NUMBER, "CHANNEL-NUMBER");
        names.put(LIFETIME, "LIFETIME");
        names.put(BANDWIDTH, "BANDWIDTH");
        names.put(XOR_PEER_ADDRESS, "XOR-PEER-ADDRESS");
        names.put(DATA, "DATA");
        names.put(REALM, "REALM");
        names.put(NONCE, "NONCE");
        names.put(XOR_RELAYED_ADDRESS, "XOR-RELAYED-ADDRESS");
        names.put(REQUESTED_ADDRESS_FAMILY, "REQUESTED-ADDRESS-FAMILY");
        names.put(EVEN_PORT, "EVEN-PORT");
        names.put(REQUESTED_TRANSPORT, "REQUESTED-TRANSPORT");
        names.put(DONT_FRAGMENT, "DONT-FRAGMENT");
        names.put(MESSAGE_INTEGRITY_SHA256, "MESSAGE-INTEGRITY-SHA256");
        names.put(PASSWORD_ALGORITHM, "PASSWORD-ALGORITHM");
        names.put(USERHASH, "USERHASH");
        names.put(XOR_MAPPED_ADDRESS, "XOR-MAPPED-ADDRESS");
        names.put(TIMER_VAL, "TIMER-VAL");
        names.put(RESERVATION_TOKEN, "RESERVATION-TOKEN");
        names.put(PRIORITY, "PRIORITY");
        names.put(USE_CANDIDATE, "USE-CANDIDATE");
        names.put(PADDING, "PADDING");
        names.put(RESPONSE_PORT, "RESPONSE-PORT");
        names.put(CONNECTION_ID, "CONNECTION-ID");
        names.put(ADDITIONAL_ADDRESS_FAMILY, "ADDITIONAL-ADDRESS-FAMILY");
        names.put(ADDRESS_ERROR_CODE, "ADDRESS-ERROR-CODE");
        names.put(PASSWORD_ALGORITHMS, "PASSWORD-ALGORITHMS");
        names.put(ALTERNATE_DOMAIN, "ALTERNATE-DOMAIN");
        names.put(ICMP, "ICMP");
        names.put(SOFTWARE, "SOFTWARE");
        names.put(ALTERNATE_SERVER, "ALTERNATE-SERVER");
        names.put(CACHE_TIMEOUT, "CACHE-TIMEOUT");
        names.put(FINGERPRINT, "FINGERPRINT");
        names.put(ICE_CONTROLLED, "ICE-CONTROLLED");
        names.put(ICE_CONTROLLING, "ICE-CONTROLLING");
        names.put(RESPONSE_ORIGIN, "RESPONSE-ORIGIN");
        names.put(OTHER_ADDRESS, "OTHER-ADDRESS");
        NAMES = Collections.unmodifiableMap(names);
    }

    private AttributeType() {
    }

    /** The registered name ("XOR-PEER-ADDRESS"), or the hex code ("0xC057") for types not listed here. */
    public static String name(int type) {
        String name = NAMES.get(type);
        return name != null ? name : String.format("0x%04X", type);
    }

    /** Every type with a name here, in code order. */
    public static Map<Integer, String> names() {
        return NAMES;
    }

    /** Types 0x0000-0x7FFF must be understood or the request refused with 420 (RFC 8489 §14). */
    public static boolean isComprehensionRequired(int type) {
        return type >= 0 && type < 0x8000;
    }
}
