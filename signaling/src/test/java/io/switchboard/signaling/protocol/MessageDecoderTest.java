package io.switchboard.signaling.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageDecoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MessageDecoder decoder = new MessageDecoder(64 * 1024);

    private ClientMessage decode(String json) throws ProtocolException {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private ProtocolException refusal(String json) {
        try {
            decode(json);
        } catch (ProtocolException e) {
            return e;
        }
        throw new AssertionError("accepted: " + json);
    }

    private static String rawData(ClientMessage.Signal signal) {
        return new String(signal.source(), signal.dataStart(), signal.dataEnd() - signal.dataStart(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":1}", "[1, 2 ,3]", "\"text with \\\" quote, and } brace\"", "12345", "-1.5e10", "true", "null",
        "{\"nested\":{\"deeper\":[{\"x\":\"\u00e9\u6f22\"}]}}", "\"\"", "[]", "{}"})
    void keepsTheExactBytesOfDataWhereverItStands(String data) throws Exception {
        for (String json : new String[] {
            "{\"type\":\"signal\",\"to\":\"p\",\"data\":" + data + "}",
            "{\"data\":" + data + ",\"type\":\"signal\",\"to\":\"p\"}",
            "{ \"type\" : \"signal\" , \"data\" :\n " + data + " \r\n , \"to\":\"p\" }",
            "{\"type\":\"signal\",\"to\":\"p\",\"data\":\t" + data + "\n}"}) {
            ClientMessage.Signal signal = (ClientMessage.Signal) decode(json);
            assertThat(rawData(signal)).as(json).isEqualTo(data);
            assertThat(signal.to()).isEqualTo("p");
        }
    }

    @Test
    void relayedFrameCarriesTheDataUnchangedAndWithoutLineBreaks() throws Exception {
        String data = "{\n  \"sdp\": \"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\",\n  \"type\": \"offer\"\n}";
        ClientMessage.Signal signal = (ClientMessage.Signal) decode("{\"type\":\"signal\",\"to\":\"p\",\"data\":" + data + "}");
        byte[] frame = ServerMessages.signal("sender", signal.source(), signal.dataStart(), signal.dataEnd());
        String text = new String(frame, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\n").doesNotContain("\r");
        JsonNode parsed = JSON.readTree(frame);
        assertThat(parsed.path("type").asText()).isEqualTo("signal");
        assertThat(parsed.path("from").asText()).isEqualTo("sender");
        assertThat(parsed.path("data")).isEqualTo(JSON.readTree(data));
    }

    @Test
    void ignoresUnknownFieldsIncludingFrom() throws Exception {
        ClientMessage message = decode("{\"type\":\"ping\",\"from\":\"someone\",\"extra\":{\"a\":[1,2]}}");
        assertThat(message).isInstanceOf(ClientMessage.Ping.class);
    }

    @Test
    void readsJoinWithEveryOptionalField() throws Exception {
        ClientMessage.Join join = (ClientMessage.Join) decode(
                "{\"type\":\"join\",\"room\":\"r_1-A\",\"name\":\"Zo\u00eb\",\"token\":\"t\",\"resume\":\"a.b\",\"received\":12,\"id\":\"x\"}");
        assertThat(join.room()).isEqualTo("r_1-A");
        assertThat(join.name()).contains("Zo\u00eb");
        assertThat(join.token()).contains("t");
        assertThat(join.resume()).contains("a.b");
        assertThat(join.received().getAsLong()).isEqualTo(12);
        assertThat(join.requestId()).contains("\"x\"");
    }

    @Test
    void keepsTheRequestIdAsJsonForEcho() throws Exception {
        assertThat(decode("{\"type\":\"ping\",\"id\":7}").requestId()).contains("7");
        assertThat(decode("{\"type\":\"ping\",\"id\":\"a\\\"b\"}").requestId()).contains("\"a\\\"b\"");
        assertThat(decode("{\"type\":\"ping\"}").requestId()).isEmpty();
    }

    @Test
    void namesTheProblemOfBadMessages() {
        assertThat(refusal("not json").getMessage()).startsWith("invalid JSON");
        assertThat(refusal("[1,2]").getMessage()).isEqualTo("a message must be a JSON object");
        assertThat(refusal("{\"room\":\"x\"}").getMessage()).isEqualTo("missing field 'type'");
        assertThat(refusal("{\"type\":1}").getMessage()).isEqualTo("field 'type' must be a string, got an integer");
        assertThat(refusal("{\"type\":\"join\"}").getMessage()).isEqualTo("join: missing field 'room'");
        assertThat(refusal("{\"type\":\"join\",\"room\":[]}").getMessage()).isEqualTo("field 'room' must be a string, got an array");
        assertThat(refusal("{\"type\":\"signal\",\"data\":1}").getMessage()).isEqualTo("signal: missing field 'to'");
        assertThat(refusal("{\"type\":\"signal\",\"to\":\"p\"}").getMessage()).isEqualTo("signal: missing field 'data'");
        assertThat(refusal("{\"type\":\"ping\",\"id\":1.5}").getMessage()).isEqualTo("field 'id' must be a string or an integer, got a number");
        assertThat(refusal("{\"type\":\"join\",\"room\":\"r\",\"received\":-1}").getMessage()).contains("non-negative");
        assertThat(refusal("{\"type\":\"ping\"} {}").getMessage()).isEqualTo("unexpected content after the JSON object");
        assertThat(refusal("{\"type\":\"ping\",\"type\":\"leave\"}").getMessage()).contains("Duplicate field 'type'");
    }

    @Test
    void errorsCarryTheRequestIdWhenItWasRead() {
        ProtocolException e = refusal("{\"id\":\"q\",\"type\":\"signal\",\"to\":\"p\"}");
        assertThat(e.requestId()).contains("\"q\"");
        assertThat(refusal("{\"type\":\"join\",\"room\":{\"a\":1},\"id\":\"late\"}").requestId()).contains("\"late\"");
        assertThat(refusal("{\"type\":\"signal\"").requestId()).isEqualTo(Optional.empty());
    }

    @Test
    void unknownTypeIsItsOwnCode() {
        ProtocolException e = refusal("{\"type\":\"dance\",\"id\":1}");
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
        assertThat(e.getMessage()).isEqualTo("unknown message type 'dance'");
        assertThat(e.requestId()).contains("1");
    }

    @Test
    void deeplyNestedDataIsRefusedWithoutHarm() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        MessageDecoder big = new MessageDecoder(1 << 20);
        ProtocolException e;
        try {
            big.decode(("{\"type\":\"signal\",\"to\":\"p\",\"data\":" + deep + "}").getBytes(StandardCharsets.UTF_8));
            throw new AssertionError("accepted");
        } catch (ProtocolException refused) {
            e = refused;
        }
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_MESSAGE);
        assertThat(e.getMessage()).contains("nesting depth");
    }

    @Test
    void hugeNumbersAreRefusedWithoutParsingThem() {
        String huge = "9".repeat(5000);
        assertThat(refusal("{\"type\":\"signal\",\"to\":\"p\",\"data\":" + huge + "}").getMessage()).contains("Number value length");
        assertThat(refusal("{\"type\":\"ping\",\"id\":" + "9".repeat(30) + "}").getMessage())
                .isEqualTo("field 'id' must be a string or an integer, got an integer");
    }

    @Test
    void invalidUtf8IsABadMessage() {
        byte[] bytes = "{\"type\":\"signal\",\"to\":\"p\",\"data\":\"\u00ff\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> decoder.decode(bytes)).isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.BAD_MESSAGE);
    }

    @Test
    void roomNamesAreOneToSixtyFourOfTheAllowedCharacters() {
        assertThat(MessageDecoder.isValidRoom("a")).isTrue();
        assertThat(MessageDecoder.isValidRoom("A-z_0".repeat(12) + "1234")).isTrue();
        assertThat(MessageDecoder.isValidRoom("")).isFalse();
        assertThat(MessageDecoder.isValidRoom("x".repeat(65))).isFalse();
        assertThat(MessageDecoder.isValidRoom("a.b")).isFalse();
        assertThat(MessageDecoder.isValidRoom("a/b")).isFalse();
    }
}
