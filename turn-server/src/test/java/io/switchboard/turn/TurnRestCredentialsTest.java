package io.switchboard.turn;

import io.switchboard.turn.auth.Credentials;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TurnRestCredentialsTest {
    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

    @Test
    void usernameIsExpiryColonUserAndPasswordIsBase64HmacSha1() {
        TurnRestCredentials credentials = TurnRestCredentials.issue("s3cret", "alice", Duration.ofDays(1), clock);
        assertThat(credentials.username()).isEqualTo("1700086400:alice");
        // echo -n "1700086400:alice" | openssl dgst -sha1 -hmac "s3cret" -binary | base64
        assertThat(credentials.password()).isEqualTo("HJX0XIkrCiQCuU88Z0oeXj+QW60=");
        assertThat(credentials.expiresAt()).isEqualTo(Instant.ofEpochSecond(1_700_086_400L));
        assertThat(credentials.toString()).doesNotContain(credentials.password());
    }

    @Test
    void issuedCredentialsAreAcceptedUntilTheyExpire() {
        TurnRestCredentials issued = TurnRestCredentials.issue("s3cret", "alice", Duration.ofSeconds(60), clock);
        Credentials server = new Credentials("example.org", List.of(), List.of("old", "s3cret"));
        Credentials.Lookup lookup = server.lookup(issued.username(), 1_700_000_059L);
        assertThat(((Credentials.Found) lookup).passwords()).contains(issued.password());
        assertThat(server.lookup(issued.username(), 1_700_000_061L)).isInstanceOf(Credentials.Expired.class);
    }

    @Test
    void refusesBadInputNamingTheOption() {
        assertThatThrownBy(() -> TurnRestCredentials.issue("", "alice", Duration.ofSeconds(1), clock))
                .hasMessageStartingWith("--secret:");
        assertThatThrownBy(() -> TurnRestCredentials.issue("s", "a:b", Duration.ofSeconds(1), clock))
                .hasMessageStartingWith("--user:");
        assertThatThrownBy(() -> TurnRestCredentials.issue("s", "a", Duration.ZERO, clock))
                .hasMessageStartingWith("--ttl:");
    }
}
