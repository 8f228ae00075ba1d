package io.switchboard.signaling;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.RegisteredClaims;
import io.switchboard.signaling.protocol.MessageDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Access tokens for {@code join}: HS256 JSON Web Tokens (RFC 7519) with a {@code room} claim and an {@code exp}
 * claim, signed with the signaling secret.
 */
public final class SignalingTokens {
    /** The claim naming the one room a token admits to. */
    public static final String ROOM_CLAIM = "room";

    private final JWTVerifier verifier;

    private SignalingTokens(String secret, Clock clock) {
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm(secret))
                .withClaimPresence(RegisteredClaims.EXPIRES_AT)
                .withClaimPresence(ROOM_CLAIM))
                .build(clock);
    }

    /** A verifier of tokens signed with {@code secret}, judging expiry by {@code clock}. */
    public static SignalingTokens verifier(String secret, Clock clock) {
        return new SignalingTokens(secret, clock);
    }

    /**
     * Mints a token for {@code room} valid for {@code ttl} from {@code clock}'s now, signed with {@code secret}
     * (what {@code bin/switchboard token --room R} prints).
     */
    public static String mint(String secret, String room, Duration ttl, Clock clock) {
        if (!MessageDecoder.isValidRoom(room)) {
            throw new IllegalArgumentException("--room: must be 1-64 characters of A-Z a-z 0-9 _ -, got '" + room + "'");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("--ttl: must be positive, got " + ttl.toSeconds() + "s");
        }
        Instant now = clock.instant();
        return JWT.create()
                .withClaim(ROOM_CLAIM, room)
                .withIssuedAt(now)
                .withExpiresAt(now.plus(ttl))
                .sign(algorithm(secret));
    }

    /** Why {@code token} does not admit to {@code room}, or empty when it does. Never echoes the token. */
    public Optional<String> problem(String token, String room) {
        try {
            String claimed = verifier.verify(token).getClaim(ROOM_CLAIM).asString();
            if (!room.equals(claimed)) {
                return Optional.of("the access token is for another room");
            }
            return Optional.empty();
        } catch (TokenExpiredException e) {
            return Optional.of("the access token has expired");
        } catch (SignatureVerificationException | AlgorithmMismatchException e) {
            return Optional.of("the access token is not signed with this server's secret");
        } catch (MissingClaimException e) {
            return Optional.of("the access token lacks the '" + e.getClaimName() + "' claim");
        } catch (IncorrectClaimException e) {
            return Optional.of("the access token has an invalid '" + e.getClaimName() + "' claim");
        } catch (JWTVerificationException e) {
            return Optional.of("the access token is not a valid JWT");
        }
    }

    private static Algorithm algorithm(String secret) {
        return Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8));
    }
}
