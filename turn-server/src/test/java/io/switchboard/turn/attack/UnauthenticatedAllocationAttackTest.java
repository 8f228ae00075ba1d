package io.switchboard.turn.attack;

import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.client.turn.TurnClientException;
import io.switchboard.stun.AttributeType;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.IntegrityKeys;
import io.switchboard.stun.Nonce;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.turn.TestServers;
import io.switchboard.turn.TurnRestCredentials;
import io.switchboard.turn.TurnServer;
import io.switchboard.turn.fuzz.RawStun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * No anonymous TURN: an Allocate gets a relay only with valid long-term credentials and a nonce this server issued to
 * this very IP. Every way around it that an attacker can try over the wire is answered with 401 or 438, and no
 * allocation (and no relay port) is created.
 */
class UnauthenticatedAllocationAttackTest {
    private static final String SECRET = "rest-secret-for-attack-tests";
    private static final byte[] KEY = IntegrityKeys.longTermMd5(TestServers.USER, TestServers.REALM, TestServers.PASSWORD);
    private TurnServer server;

    @BeforeEach
    void start() {
        server = TestServers.start(b -> b.authSecret(SECRET));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void allocateWithoutCredentialsIsChallengedAndCreatesNoAllocation() throws Exception {
        try (RawUdp attacker = new RawUdp(server.udpAddress())) {
            StunMessage answer = attacker.exchange(allocate().bytes(), 2000);
            assertThat(code(answer)).isEqualTo(401);
            assertThat(answer.attribute(Nonce.class)).isPresent();
        }
        assertThat(server.allocationCount()).isZero();
    }

    @Test
    void allocateWithAWrongPasswordAnUnknownUserOrAForeignRealmGets401() throws Exception {
        for (String[] credentials : new String[][] {{TestServers.USER, "wrong"}, {"mallory", "secret"}}) {
            try (TurnClient client = TurnClient.connect(TurnClientConfig.udp(server.udpAddress(), credentials[0],
                    credentials[1]))) {
                assertThatThrownBy(client::allocate).as(credentials[0])
                        .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(401));
            }
        }
        try (RawUdp attacker = new RawUdp(server.udpAddress())) {
            String nonce = attacker.exchange(allocate().bytes(), 2000).attribute(Nonce.class).orElseThrow().nonce();
            byte[] foreignRealm = allocate().attribute(AttributeType.USERNAME, TestServers.USER)
                    .attribute(AttributeType.REALM, "other.realm").attribute(AttributeType.NONCE, nonce)
                    .messageIntegrity(IntegrityKeys.longTermMd5(TestServers.USER, "other.realm", TestServers.PASSWORD)).bytes();
            assertThat(code(attacker.exchange(foreignRealm, 2000))).isEqualTo(401);
        }
        assertThat(server.allocationCount()).isZero();
    }

    @Test
    void allocateWithExpiredTurnRestCredentialsGets401() {
        Clock yesterday = Clock.fixed(Instant.now().minus(Duration.ofDays(1)), ZoneOffset.UTC);
        TurnRestCredentials expired = TurnRestCredentials.issue(SECRET, "mallory", Duration.ofHours(1), yesterday);
        try (TurnClient client = TurnClient.connect(TurnClientConfig.udp(server.udpAddress(), expired.username(),
                expired.password()))) {
            assertThatThrownBy(client::allocate)
                    .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(401));
        }
        assertThat(server.allocationCount()).isZero();
    }

    @Test
    void allocateWithAForgedNonceOrOneIssuedToAnotherAddressGets438() throws Exception {
        try (RawUdp victim = new RawUdp(InetAddress.getByName("127.0.0.3"), server.udpAddress());
             RawUdp attacker = new RawUdp(InetAddress.getByName("127.0.0.4"), server.udpAddress())) {
            String victimsNonce = victim.exchange(allocate().bytes(), 2000).attribute(Nonce.class).orElseThrow().nonce();
            for (String nonce : new String[] {victimsNonce, "forged-nonce", victimsNonce.substring(1) + "A"}) {
                byte[] request = signed(allocate(), nonce).messageIntegrity(KEY).bytes();
                assertThat(code(attacker.exchange(request, 2000))).as(nonce).isEqualTo(438);
            }
        }
        assertThat(server.allocationCount()).isZero();
    }

    @Test
    void aSignedAllocateTamperedWithAfterSigningGets401() throws Exception {
        try (RawUdp attacker = new RawUdp(server.udpAddress())) {
            String nonce = attacker.exchange(allocate().bytes(), 2000).attribute(Nonce.class).orElseThrow().nonce();
            byte[] request = signed(allocate(), nonce).messageIntegrity(KEY).bytes();
            request[27] ^= 0x01; // inside REQUESTED-TRANSPORT's reserved bytes, covered by MESSAGE-INTEGRITY
            assertThat(code(attacker.exchange(request, 2000))).isEqualTo(401);
            byte[] truncatedHmac = signed(allocate(), nonce).attribute(AttributeType.MESSAGE_INTEGRITY, new byte[20]).bytes();
            assertThat(code(attacker.exchange(truncatedHmac, 2000))).isEqualTo(401);
        }
        assertThat(server.allocationCount()).isZero();
    }

    @Test
    void aValidlySignedAllocateFromTheSameAddressDoesGetARelay() throws Exception {
        try (RawUdp client = new RawUdp(server.udpAddress())) {
            String nonce = client.exchange(allocate().bytes(), 2000).attribute(Nonce.class).orElseThrow().nonce();
            StunMessage answer = client.exchange(signed(allocate(), nonce).messageIntegrity(KEY).bytes(), 2000);
            assertThat(code(answer)).isZero();
        }
        assertThat(server.allocationCount()).isEqualTo(1);
    }

    private static RawStun allocate() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return new RawStun(StunMethod.ALLOCATE.request().code(), id)
                .attribute(AttributeType.REQUESTED_TRANSPORT, new byte[] {17, 0, 0, 0});
    }

    private static RawStun signed(RawStun message, String nonce) {
        return message.attribute(AttributeType.USERNAME, TestServers.USER).attribute(AttributeType.REALM, TestServers.REALM)
                .attribute(AttributeType.NONCE, nonce);
    }

    private static int code(StunMessage answer) {
        assertThat(answer).as("an answer").isNotNull();
        return answer.attribute(ErrorCode.class).map(ErrorCode::code).orElse(0);
    }
}
