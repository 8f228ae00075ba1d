package io.switchboard.signaling.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decodes one client message (a UTF-8 JSON object) of signaling protocol v1 with a streaming parser.
 *
 * <p>The {@code data} of a signal is never materialized: its byte range is kept so the relay can copy it verbatim.
 * Nesting depth, number length and string length are capped by Jackson's {@link StreamReadConstraints}, so hostile
 * input costs at most one linear pass. Field names are canonicalized (the byte-level parser needs that to report byte
 * offsets) but not interned. Unknown fields (including a client-supplied {@code from}) are ignored.
 * Instances are immutable and thread-safe.
 */
public final class MessageDecoder {
    /** Longest room name, in characters of {@code [A-Za-z0-9_-]}. */
    public static final int MAX_ROOM_CHARS = 64;
    /** Longest display name, in Unicode code points. */
    public static final int MAX_NAME_CHARS = 64;
    /** Longest string {@code id} of a message, in characters. */
    public static final int MAX_REQUEST_ID_CHARS = 64;
    /** Longest access token, in characters. */
    public static final int MAX_TOKEN_CHARS = 4096;
    /** Longest resume token, in characters. */
    public static final int MAX_RESUME_CHARS = 128;
    /** Longest peer id accepted in {@code to}, in characters. */
    public static final int MAX_PEER_ID_CHARS = 64;
    /** Deepest nesting of arrays and objects accepted anywhere in a message. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Longest number literal accepted anywhere in a message, in characters. */
    public static final int MAX_NUMBER_CHARS = 64;

    private static final int MAX_ECHOED_CHARS = 32;

    private final JsonFactory factory;

    /** A decoder for messages of at most {@code maxMessageBytes} bytes. */
    public MessageDecoder(int maxMessageBytes) {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_CHARS)
                .maxStringLength(maxMessageBytes)
                .maxNameLength(Math.min(maxMessageBytes, 1024))
                .maxDocumentLength(maxMessageBytes)
                .build();
        this.factory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .build();
    }

    /** Decodes {@code json}, a complete UTF-8 message; the array is kept by a returned {@link ClientMessage.Signal}. */
    public ClientMessage decode(byte[] json) throws ProtocolException {
        Fields f = new Fields();
        try (JsonParser p = factory.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw f.bad("a message must be a JSON object");
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                f.endDataBefore(json, p);
                String field = p.currentName();
                p.nextToken();
                readField(field, p, f);
            }
            if (token != JsonToken.END_OBJECT) {
                throw f.bad("a message must be a JSON object");
            }
            f.endDataBefore(json, p);
            if (p.nextToken() != null) {
                throw f.bad("unexpected content after the JSON object");
            }
        } catch (StreamConstraintsException e) {
            throw f.bad("message exceeds a parser limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw f.bad("invalid JSON: " + shorten(e.getOriginalMessage(), 160));
        } catch (IOException e) {
            throw f.bad("unreadable message: " + shorten(String.valueOf(e.getMessage()), 160));
        }
        return build(json, f);
    }

    private static void readField(String field, JsonParser p, Fields f) throws IOException {
        switch (field) {
            case "type":
                f.type = string(p, f, "type", MAX_ECHOED_CHARS * 4);
                break;
            case "id":
                f.requestId = requestId(p, f);
                break;
            case "room":
                f.room = string(p, f, "room", MAX_ROOM_CHARS * 4);
                break;
            case "name":
                f.name = string(p, f, "name", MAX_NAME_CHARS * 2);
                break;
            case "token":
                f.token = string(p, f, "token", MAX_TOKEN_CHARS);
                break;
            case "resume":
                f.resume = string(p, f, "resume", MAX_RESUME_CHARS);
                break;
            case "to":
                f.to = string(p, f, "to", MAX_PEER_ID_CHARS);
                break;
            case "received":
                f.received = nonNegativeLong(p, f, "received");
                break;
            case "data":
                f.dataStart = (int) p.currentTokenLocation().getByteOffset();
                f.dataPending = true;
                p.skipChildren();
                break;
            default:
                p.skipChildren();
        }
    }

    private static ClientMessage build(byte[] json, Fields f) throws ProtocolException {
        if (f.problem != null) {
            throw f.bad(f.problem);
        }
        if (f.type == null) {
            throw f.bad("missing field 'type'");
        }
        switch (f.type) {
            case "join":
                return join(f);
            case "signal":
                if (f.to == null) {
                    throw f.bad("signal: missing field 'to'");
                }
                if (f.dataStart < 0) {
                    throw f.bad("signal: missing field 'data'");
                }
                return new ClientMessage.Signal(f.requestId, f.to, json, f.dataStart, f.dataEnd);
            case "leave":
                return new ClientMessage.Leave(f.requestId);
            case "ping":
                return new ClientMessage.Ping(f.requestId);
            default:
                throw new ProtocolException(ErrorCode.UNKNOWN_TYPE,
                        "unknown message type '" + shorten(f.type, MAX_ECHOED_CHARS) + "'", f.requestId);
        }
    }

    private static ClientMessage join(Fields f) throws ProtocolException {
        if (f.room == null) {
            throw f.bad("join: missing field 'room'");
        }
        if (!isValidRoom(f.room)) {
            throw new ProtocolException(ErrorCode.INVALID_ROOM,
                    "room must be 1-64 characters of A-Z a-z 0-9 _ -", f.requestId);
        }
        Optional<String> name = Optional.empty();
        if (f.name != null) {
            if (f.name.codePointCount(0, f.name.length()) > MAX_NAME_CHARS) {
                throw f.bad("join: field 'name' is longer than " + MAX_NAME_CHARS + " characters");
            }
            for (int i = 0; i < f.name.length(); i++) {
                if (Character.isISOControl(f.name.charAt(i))) {
                    throw f.bad("join: field 'name' contains a control character");
                }
            }
            name = Optional.of(f.name);
        }
        return new ClientMessage.Join(f.requestId, f.room, name, Optional.ofNullable(f.token),
                Optional.ofNullable(f.resume), f.received);
    }

    /** Whether {@code room} is 1-64 characters of {@code [A-Za-z0-9_-]}. */
    public static boolean isValidRoom(String room) {
        int n = room.length();
        if (n < 1 || n > MAX_ROOM_CHARS) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = room.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String string(JsonParser p, Fields f, String field, int maxChars) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            f.problem("field '" + field + "' must be a string, got " + describe(p.currentToken()));
            p.skipChildren();
            return null;
        }
        String value = p.getText();
        if (value.length() > maxChars) {
            f.problem("field '" + field + "' is longer than " + maxChars + " characters");
            return null;
        }
        return value;
    }

    private static Optional<String> requestId(JsonParser p, Fields f) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            String value = p.getText();
            if (value.length() <= MAX_REQUEST_ID_CHARS) {
                return Optional.of('"' + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + '"');
            }
            f.problem("field 'id' is longer than " + MAX_REQUEST_ID_CHARS + " characters");
            return Optional.empty();
        }
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return Optional.of(Long.toString(p.getLongValue()));
        }
        f.problem("field 'id' must be a string or an integer, got " + describe(t));
        p.skipChildren();
        return Optional.empty();
    }

    private static OptionalLong nonNegativeLong(JsonParser p, Fields f, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            f.problem("field '" + field + "' must be a non-negative integer, got " + describe(t));
            p.skipChildren();
            return OptionalLong.empty();
        }
        long value = p.getLongValue();
        if (value < 0) {
            f.problem("field '" + field + "' must be a non-negative integer, got " + value);
            return OptionalLong.empty();
        }
        return OptionalLong.of(value);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
                return "an integer";
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.asString() == null ? t.name() : t.asString();
        }
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    /** Fields read so far from one message. */
    private static final class Fields {
        Optional<String> requestId = Optional.empty();
        String type;
        String room;
        String name;
        String token;
        String resume;
        String to;
        OptionalLong received = OptionalLong.empty();
        int dataStart = -1;
        int dataEnd = -1;
        boolean dataPending;
        /** The first problem found in a well-formed message; reported once the whole object (and its id) is read. */
        String problem;

        void problem(String message) {
            if (problem == null) {
                problem = message;
            }
        }

        ProtocolException bad(String message) {
            return new ProtocolException(ErrorCode.BAD_MESSAGE, message, requestId);
        }

        /** Closes the pending {@code data} range just before the current token (a field name or the closing brace). */
        void endDataBefore(byte[] json, JsonParser p) {
            if (!dataPending) {
                return;
            }
            int end = (int) p.currentTokenLocation().getByteOffset();
            end = skipBackWhitespace(json, end);
            if (end > dataStart && json[end - 1] == ',') {
                end = skipBackWhitespace(json, end - 1);
            }
            dataEnd = end;
            dataPending = false;
        }

        private int skipBackWhitespace(byte[] json, int end) {
            while (end > dataStart) {
                byte b = json[end - 1];
                if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                    break;
                }
                end--;
            }
            return end;
        }
    }
}
