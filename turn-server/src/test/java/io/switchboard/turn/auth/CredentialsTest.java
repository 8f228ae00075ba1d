package io.switchboard.turn.auth;

import io.switchboard.stun.UserHash;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialsTest {
    private static final long NOW = 1_700_000_000L;

    @Test
    void staticUserResolvesToItsPassword() {
        Credentials credentials = new Credentials("example.org", List.of(LongTermUser.parse("alice:se:cret")), List.of());
        assertThat(credentials.lookup("alice", NOW))
                .isEqualTo(new Credentials.Found(List.of("se:cret"), "user:alice"));
        assertThat(credentials.lookup("bob", NOW)).isInstanceOf(Credentials.Unknown.class);
    }

    @Test
    void restUsernameResolvesToOnePasswordPerSecretForRotation() {
        Credentials credentials = new Credentials("example.org", List.of(), List.of("north", "south"));
        Credentials.Lookup lookup = credentials.lookup("1700000000:bob", NOW - 10);
        assertThat(lookup).isInstanceOf(Credentials.Found.class);
        Credentials.Found found = (Credentials.Found) lookup;
        assertThat(found.passwords()).containsExactly("7tNSWpJ3gOxGfEgOjt+kaWhBC20=",
                RestCredentials.password("south", "1700000000:bob"));
        assertThat(found.quotaKey()).isEqualTo("rest:bob");
    }

    @Test
    void expiredRestUsernameIsExpired() {
        Credentials credentials = new Credentials("example.org", List.of(), List.of("north"));
        assertThat(credentials.lookup("1700000000:bob", NOW + 1)).isEqualTo(new Credentials.Expired(1_700_000_000L));
    }

    @Test
    void restUsernameWithoutSecretsOrDigitsIsUnknown() {
        assertThat(new Credentials("r", List.of(), List.of()).lookup("1700000000:bob", NOW))
                .isInstanceOf(Credentials.Unknown.class);
        assertThat(new Credentials("r", List.of(), List.of("s")).lookup("tomorrow:bob", NOW))
                .isInstanceOf(Credentials.Unknown.class);
    }

    @Test
    void userHashResolvesStaticUsers() {
        Credentials credentials = new Credentials("example.org", List.of(LongTermUser.parse("alice:secret")), List.of());
        assertThat(credentials.usernameForHash(UserHash.of("alice", "example.org").hash())).isEqualTo("alice");
        assertThat(credentials.usernameForHash(UserHash.of("alice", "other.org").hash())).isNull();
    }

    @Test
    void toStringShowsNoPasswordOrSecret() {
        Credentials credentials = new Credentials("example.org", List.of(LongTermUser.parse("alice:hunter2")),
                List.of("topsecret"));
        assertThat(credentials.toString()).doesNotContain("hunter2").doesNotContain("topsecret").contains("alice");
        assertThat(LongTermUser.parse("alice:hunter2").toString()).doesNotContain("hunter2");
    }

    @Test
    void refusesMalformedUsersNamingTheOption() {
        assertThatThrownBy(() -> LongTermUser.parse("alice")).hasMessageStartingWith("--user:");
        assertThatThrownBy(() -> LongTermUser.parse(":secret")).hasMessageStartingWith("--user:");
        assertThatThrownBy(() -> LongTermUser.parse("alice:")).hasMessageStartingWith("--user:");
        assertThatThrownBy(() -> new Credentials("r", List.of(LongTermUser.parse("a:b"), LongTermUser.parse("a:c")), List.of()))
                .hasMessageContaining("given twice");
    }
}
