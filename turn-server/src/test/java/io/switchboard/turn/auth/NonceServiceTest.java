package io.switchboard.turn.auth;

import io.switchboard.turn.FakeClock;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class NonceServiceTest {
    private final FakeClock clock = new FakeClock();
    private final NonceService nonces = new NonceService(Duration.ofMinutes(10), clock);
    private final InetAddress client = InetAddress.getLoopbackAddress();

    @Test
    void nonceIsValidForItsLifetimeThenStale() {
        String nonce = nonces.issue(client);
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(nonces.check(nonce, client)).isEqualTo(NonceService.Validity.VALID);
        clock.advance(Duration.ofSeconds(1));
        assertThat(nonces.check(nonce, client)).isEqualTo(NonceService.Validity.STALE);
    }

    @Test
    void nonceIssuedToAnotherAddressIsStale() throws Exception {
        String nonce = nonces.issue(client);
        assertThat(nonces.check(nonce, InetAddress.getByName("127.0.0.2"))).isEqualTo(NonceService.Validity.STALE);
    }

    @Test
    void forgedOrTamperedNonceIsStale() {
        String nonce = nonces.issue(client);
        String tampered = nonce.substring(0, NonceService.PREFIX.length()) + "00000000" + nonce.substring(NonceService.PREFIX.length() + 8);
        assertThat(nonces.check(tampered, client)).isEqualTo(NonceService.Validity.STALE);
        assertThat(nonces.check("", client)).isEqualTo(NonceService.Validity.STALE);
        assertThat(nonces.check("obMatJos2gAAAzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", client)).isEqualTo(NonceService.Validity.STALE);
    }

    @Test
    void nonceFromAnotherServerInstanceIsStale() {
        NonceService other = new NonceService(Duration.ofMinutes(10), clock);
        assertThat(nonces.check(other.issue(client), client)).isEqualTo(NonceService.Validity.STALE);
    }

    @Test
    void nonceCarriesTheRfc8489CookieWithThePasswordAlgorithmsBit() {
        assertThat(nonces.issue(client)).startsWith("obMatJos2gAAA");
        assertThat(new io.switchboard.stun.Nonce(nonces.issue(client)).hasNonceCookie()).isTrue();
    }
}
