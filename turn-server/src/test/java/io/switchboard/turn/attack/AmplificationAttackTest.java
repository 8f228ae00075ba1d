package io.switchboard.turn.attack;

import io.switchboard.stun.AttributeType;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.IntegrityKeys;
import io.switchboard.stun.MessageClass;
import io.switchboard.stun.MessageType;
import io.switchboard.stun.StunDecodeException;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.turn.TestServers;
import io.switchboard.turn.TurnServer;
import io.switchboard.turn.fuzz.RawStun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reflection and amplification over UDP, where a source address can be forged: measured over a corpus of every kind
 * of request an unauthenticated sender can make, no answer is larger than twice its request, except the 401 and 438
 * challenges whose REALM and NONCE RFC 8489 §9.2.4 requires (those are rate-limited per source IP, see
 * {@link ChallengeFloodAttackTest}). Two findings of the fuzzer are kept here as named regressions.
 */
class AmplificationAttackTest {
    private static TurnServer server;
    private static final byte[] KEY = IntegrityKeys.longTermMd5(TestServers.USER, TestServers.REALM, TestServers.PASSWORD);

    @BeforeAll
    static void start() {
        server = TestServers.start(b -> b);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void noUnauthenticatedAnswerIsLargerThanTwiceItsRequestExceptTheChallenges() throws Exception {
        Map<String, byte[]> corpus = corpus();
        List<String> table = new ArrayList<>();
        int answered = 0;
        for (Map.Entry<String, byte[]> request : corpus.entrySet()) {
            // A fresh source each time: the per-source challenge budget is not what is measured here.
            try (RawUdp attacker = new RawUdp(source(), server.udpAddress())) {
                attacker.send(request.getValue());
                List<byte[]> answers = attacker.drain(200);
                int requestSize = request.getValue().length;
                for (byte[] answer : answers) {
                    int code = errorCode(answer);
                    table.add(String.format("%-48s %4d -> %4d bytes (x%.2f) code %d", request.getKey(), requestSize,
                            answer.length, answer.length / (double) requestSize, code));
                    if (code != ErrorCode.UNAUTHENTICATED && code != ErrorCode.STALE_NONCE) {
                        assertThat(answer.length).as(request.getKey()).isLessThanOrEqualTo(2 * requestSize);
                    }
                }
                if (answers.isEmpty()) {
                    table.add(String.format("%-48s %4d -> none", request.getKey(), requestSize));
                }
                answered += answers.size();
            }
        }
        System.out.println("amplification corpus (" + corpus.size() + " request kinds):\n" + String.join("\n", table));
        assertThat(answered).as("the corpus exercises answers").isGreaterThan(corpus.size() / 2);
    }

    @Test
    void anUnknownMethodGetsA400NoLargerThanTwiceTheRequest() throws Exception {
        // Fuzzer finding TurnDatagramFuzzTestInputs/datagrams/amplification-unknown-method-answer: a 20-byte request of
        // method 0x000 drew a 64-byte 400 with SOFTWARE and a reason phrase.
        try (RawUdp attacker = new RawUdp(server.udpAddress())) {
            byte[] request = new RawStun(new MessageType(new StunMethod(0x000), MessageClass.REQUEST).code(), id()).bytes();
            byte[] answer = attacker.exchangeBytes(request);
            assertThat(errorCode(answer)).isEqualTo(400);
            assertThat(answer.length).isLessThanOrEqualTo(40);
        }
    }

    @Test
    void aMalformedRequestGetsA400NoLargerThanTwiceTheRequest() throws Exception {
        // Fuzzer finding amplification-bad-request-answer: the 400 for a body that does not decode had a 60-byte reason.
        try (RawUdp attacker = new RawUdp(server.udpAddress())) {
            byte[] request = new RawStun(StunMethod.ALLOCATE.request().code(), id())
                    .attribute(AttributeType.LIFETIME, new byte[] {1}).bytes();
            byte[] answer = attacker.exchangeBytes(request);
            assertThat(errorCode(answer)).isEqualTo(400);
            assertThat(answer.length).isLessThanOrEqualTo(2 * request.length);
        }
    }

    @Test
    void aReplayedUnauthenticatedRequestIsNotAnsweredFromTheResponseCache() throws Exception {
        // Fuzzer finding amplification-cached-answer-replayed: the answer to a large request was cached by transaction
        // id and sent again, without size or rate limit, to a small request with the same id. Now only authenticated
        // answers are cached, so repeating one unauthenticated Allocate 300 times gets no more 401s than the budget.
        try (TurnServer limited = TestServers.start(b -> b.challengeRate(5, 10));
             RawUdp attacker = new RawUdp(source(), limited.udpAddress())) {
            byte[] request = new RawStun(StunMethod.ALLOCATE.request().code(), id())
                    .attribute(AttributeType.REQUESTED_TRANSPORT, new byte[] {17, 0, 0, 0}).bytes();
            long start = System.nanoTime();
            for (int i = 0; i < 300; i++) {
                attacker.send(request);
            }
            List<byte[]> answers = attacker.drain(300);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(answers).allSatisfy(a -> assertThat(errorCode(a)).isEqualTo(401));
            assertThat(answers.size()).isBetween(1, 10 + (int) Math.ceil(5 * seconds) + 1);
        }
    }

    /** Every kind of request an unauthenticated sender can make, named. */
    private static Map<String, byte[]> corpus() {
        Map<String, byte[]> corpus = new LinkedHashMap<>();
        int binding = StunMethod.BINDING.request().code();
        corpus.put("Binding", new RawStun(binding, id()).bytes());
        corpus.put("Binding with FINGERPRINT", new RawStun(binding, id()).fingerprint().bytes());
        byte[] classic = new RawStun(binding, id()).bytes();
        classic[4] = 0x01;
        corpus.put("classic RFC 3489 Binding", classic);
        corpus.put("Binding with unknown required attribute", new RawStun(binding, id()).attribute(0x0030, new byte[0]).bytes());
        corpus.put("Binding with 4 unknown required attributes", new RawStun(binding, id()).attribute(0x0030, new byte[0])
                .attribute(0x0031, new byte[0]).attribute(0x0032, new byte[0]).attribute(0x0033, new byte[0]).bytes());
        corpus.put("Binding with CHANGE-REQUEST", new RawStun(binding, id())
                .attribute(AttributeType.CHANGE_REQUEST, new byte[] {0, 0, 0, 6}).bytes());
        corpus.put("Binding with RESPONSE-PORT", new RawStun(binding, id())
                .attribute(AttributeType.RESPONSE_PORT, new byte[] {0x30, 0x39, 0, 0}).bytes());
        corpus.put("Binding with PADDING", new RawStun(binding, id()).attribute(AttributeType.PADDING, new byte[400]).bytes());
        corpus.put("Binding indication", new RawStun(StunMethod.BINDING.indication().code(), id()).bytes());
        corpus.put("Binding success response", new RawStun(StunMethod.BINDING.successResponse().code(), id()).bytes());
        for (StunMethod method : List.of(StunMethod.ALLOCATE, StunMethod.REFRESH, StunMethod.CREATE_PERMISSION,
                StunMethod.CHANNEL_BIND)) {
            corpus.put(method + " without credentials", new RawStun(method.request().code(), id()).bytes());
        }
        corpus.put("Allocate with REQUESTED-TRANSPORT", new RawStun(StunMethod.ALLOCATE.request().code(), id())
                .attribute(AttributeType.REQUESTED_TRANSPORT, new byte[] {17, 0, 0, 0}).bytes());
        for (int method : new int[] {0x000, 0x002, 0x005, 0x00A, 0x00B, 0x0FF, 0xFFF}) {
            corpus.put(String.format("method 0x%03X", method),
                    new RawStun(new MessageType(new StunMethod(method), MessageClass.REQUEST).code(), id()).bytes());
        }
        corpus.put("Allocate with a truncated attribute", new RawStun(StunMethod.ALLOCATE.request().code(), id())
                .attribute(AttributeType.REQUESTED_TRANSPORT, new byte[] {17}).bytes());
        corpus.put("Allocate with a lying attribute length", new RawStun(StunMethod.ALLOCATE.request().code(), id())
                .raw(new byte[] {0, 0x19, 0, 40, 17, 0, 0, 0}).bytes());
        corpus.put("Allocate with MESSAGE-INTEGRITY only", new RawStun(StunMethod.ALLOCATE.request().code(), id())
                .messageIntegrity(KEY).bytes());
        corpus.put("Allocate with a forged NONCE", signed(new RawStun(StunMethod.ALLOCATE.request().code(), id()), "forged"));
        corpus.put("Allocate with bad PASSWORD-ALGORITHMS", new RawStun(StunMethod.ALLOCATE.request().code(), id())
                .attribute(AttributeType.USERNAME, TestServers.USER).attribute(AttributeType.REALM, TestServers.REALM)
                .attribute(AttributeType.NONCE, "n").attribute(AttributeType.PASSWORD_ALGORITHMS, new byte[] {0, 9, 0, 0})
                .attribute(AttributeType.PASSWORD_ALGORITHM, new byte[] {0, 9, 0, 0}).messageIntegrity(KEY).bytes());
        corpus.put("Send indication", new RawStun(StunMethod.SEND.indication().code(), id())
                .attribute(AttributeType.DATA, new byte[8]).bytes());
        corpus.put("ChannelData", new byte[] {0x40, 0, 0, 4, 1, 2, 3, 4});
        corpus.put("header only, length too long", new byte[] {0, 1, 0, 8, 0x21, 0x12, (byte) 0xA4, 0x42, 1, 2, 3, 4,
                5, 6, 7, 8, 9, 10, 11, 12});
        byte[] garbage = new byte[64];
        ThreadLocalRandom.current().nextBytes(garbage);
        garbage[0] = (byte) 0xC0;
        corpus.put("garbage", garbage);
        return corpus;
    }

    private static byte[] signed(RawStun message, String nonce) {
        return message.attribute(AttributeType.USERNAME, TestServers.USER).attribute(AttributeType.REALM, TestServers.REALM)
                .attribute(AttributeType.NONCE, nonce).messageIntegrity(KEY).bytes();
    }

    private static int errorCode(byte[] answer) {
        try {
            return StunMessage.decode(answer).attribute(ErrorCode.class).map(ErrorCode::code).orElse(0);
        } catch (StunDecodeException e) {
            throw new AssertionError("undecodable answer", e);
        }
    }

    private static byte[] id() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return id;
    }

    /** A loopback source address of its own (127.0.10.x), so that each request starts with a full challenge budget. */
    private static InetAddress source() throws Exception {
        int n = ThreadLocalRandom.current().nextInt(1, 250);
        return InetAddress.getByAddress(new byte[] {127, 0, (byte) ThreadLocalRandom.current().nextInt(10, 250), (byte) n});
    }
}
