package io.switchboard.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With a signaling secret configured, join needs an HS256 token for the room that has not expired. */
class AccessTokenTest {
    private static final String SECRET = "correct horse battery staple";
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(TestServer.config().signalingSecret(SECRET));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode joinWith(String room, String tokenField) {
        TestSocket socket = server.connect();
        socket.sendText("{\"type\":\"join\",\"room\":\"" + room + "\"" + tokenField + ",\"id\":\"j\"}");
        return socket.next();
    }

    @Test
    void aMintedTokenForTheRoomJoins() {
        String token = SignalingTokens.mint(SECRET, "vip", Duration.ofMinutes(5), Clock.systemUTC());
        assertThat(joinWith("vip", ",\"token\":\"" + token + "\"").path("type").asText()).isEqualTo("joined");
    }

    @Test
    void aJoinWithoutTokenIsUnauthorized() {
        JsonNode error = joinWith("vip", "");
        assertThat(error.path("code").asText()).isEqualTo("unauthorized");
        assertThat(error.path("id").asText()).isEqualTo("j");
        assertThat(error.path("message").asText()).contains("needs an access token");
    }

    @Test
    void aTokenForAnotherRoomIsUnauthorized() {
        String token = SignalingTokens.mint(SECRET, "other", Duration.ofMinutes(5), Clock.systemUTC());
        JsonNode error = joinWith("vip", ",\"token\":\"" + token + "\"");
        assertThat(error.path("code").asText()).isEqualTo("unauthorized");
        assertThat(error.path("message").asText()).contains("another room");
    }

    @Test
    void anExpiredTokenIsUnauthorized() {
        Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        String token = SignalingTokens.mint(SECRET, "vip", Duration.ofMinutes(5), anHourAgo);
        JsonNode error = joinWith("vip", ",\"token\":\"" + token + "\"");
        assertThat(error.path("code").asText()).isEqualTo("unauthorized");
        assertThat(error.path("message").asText()).contains("expired");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsUnauthorized() {
        String token = SignalingTokens.mint("some other secret value", "vip", Duration.ofMinutes(5), Clock.systemUTC());
        JsonNode error = joinWith("vip", ",\"token\":\"" + token + "\"");
        assertThat(error.path("code").asText()).isEqualTo("unauthorized");
        assertThat(error.path("message").asText()).contains("not signed");
    }

    @Test
    void aTokenWithoutExpiryOrWithAnotherAlgorithmIsUnauthorized() {
        String noExp = JWT.create().withClaim("room", "vip").sign(Algorithm.HMAC256(SECRET.getBytes(StandardCharsets.UTF_8)));
        assertThat(joinWith("vip", ",\"token\":\"" + noExp + "\"").path("code").asText()).isEqualTo("unauthorized");
        String hs512 = JWT.create().withClaim("room", "vip").withExpiresAt(Instant.now().plusSeconds(60))
                .sign(Algorithm.HMAC512(SECRET.getBytes(StandardCharsets.UTF_8)));
        assertThat(joinWith("vip", ",\"token\":\"" + hs512 + "\"").path("code").asText()).isEqualTo("unauthorized");
        String unsigned = JWT.create().withClaim("room", "vip").withExpiresAt(Instant.now().plusSeconds(60))
                .sign(Algorithm.none());
        assertThat(joinWith("vip", ",\"token\":\"" + unsigned + "\"").path("code").asText()).isEqualTo("unauthorized");
        assertThat(joinWith("vip", ",\"token\":\"garbage\"").path("code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void mintedTokensCarryRoomAndExpiryClaims() {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        String token = SignalingTokens.mint(SECRET, "vip", Duration.ofSeconds(90), Clock.fixed(now, ZoneOffset.UTC));
        var decoded = JWT.decode(token);
        assertThat(decoded.getAlgorithm()).isEqualTo("HS256");
        assertThat(decoded.getClaim("room").asString()).isEqualTo("vip");
        assertThat(decoded.getExpiresAtAsInstant()).isEqualTo(now.plusSeconds(90));
        assertThat(SignalingTokens.verifier(SECRET, Clock.fixed(now.plusSeconds(89), ZoneOffset.UTC)).problem(token, "vip")).isEmpty();
        assertThat(SignalingTokens.verifier(SECRET, Clock.fixed(now.plusSeconds(91), ZoneOffset.UTC)).problem(token, "vip"))
                .hasValueSatisfying(p -> assertThat(p).contains("expired"));
    }

    @Test
    void mintingValidatesRoomAndTtl() {
        assertThatThrownBy(() -> SignalingTokens.mint(SECRET, "no spaces", Duration.ofMinutes(1), Clock.systemUTC()))
                .hasMessageStartingWith("--room:");
        assertThatThrownBy(() -> SignalingTokens.mint(SECRET, "ok", Duration.ZERO, Clock.systemUTC()))
                .hasMessageStartingWith("--ttl:");
    }
}
