package io.switchboard.e2e.browser;

import static io.switchboard.e2e.browser.BrowserSession.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.e2e.RedisProcess;
import io.switchboard.e2e.SwitchboardProcess;
import io.switchboard.e2e.browser.BrowserSession.JoinOptions;
import io.switchboard.e2e.browser.BrowserSession.Media;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A page that joins while its node has lost Redis is refused with {@code unavailable}; the web client takes that as
 * "not now", keeps trying, and joins the call by itself once Redis is back, with no error shown to the person.
 */
class RedisOutageJoinTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RedisProcess redis;
    private static SwitchboardProcess node;
    private static BrowserSession alice;
    private static BrowserSession bob;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start();
        node = SwitchboardProcess.serve("--redis", redis.url(), "--node-id", "outage");
        alice = BrowserSession.launch("alice-outage", Media.FAKE_GRANTED);
        bob = BrowserSession.launch("bob-outage", Media.FAKE_GRANTED);
    }

    @AfterAll
    static void stop() {
        BrowserSession.closeAll(alice, bob, node, redis);
    }

    @Test
    void aJoinRefusedDuringARedisOutageIsRetriedUntilTheNodeRecoversAndTheCallThenConnects() {
        String room = "outage-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        redis.stop();
        await("the node reports the outage in /readyz").atMost(Duration.ofSeconds(30))
                .until(() -> readyz() == 503);

        alice.openLobby(node.httpUrl(), room);
        alice.fillLobbyAndJoin("Alice", JoinOptions.defaults());
        waitFor("the page says it waits for the server, naming the refusal", () -> alice.allByTestId("join-waiting")
                .stream().anyMatch(banner -> "unavailable".equals(banner.getAttribute("data-code"))), alice);
        await("and keeps trying").atMost(Duration.ofSeconds(30)).until(() -> waitingAttempt() >= 2);
        assertThat(alice.snapshot().path("view").asText()).as("Alice is not in the call yet").isNotEqualTo("call");
        assertThat(alice.allByTestId("join-error")).as("no error offered to the person for a transient refusal")
                .isEmpty();
        alice.screenshot("redis-outage", "waiting-for-the-server");

        redis.restart();
        await("the node is ready again").atMost(Duration.ofSeconds(30)).until(() -> readyz() == 200);
        await("Alice's page joins by itself").atMost(Duration.ofSeconds(60))
                .until(() -> "call".equals(alice.snapshot().path("view").asText()));

        bob.joinRoom(node.httpUrl(), room, "Bob", JoinOptions.defaults());
        waitFor("both see each other's video", () -> alice.seesVideoFrom(1) && bob.seesVideoFrom(1), alice, bob);
        assertThat(alice.allByTestId("join-error")).isEmpty();
        assertThat(alice.allByTestId("join-waiting")).as("the waiting banner is gone once joined").isEmpty();
        alice.settleForScreenshot();
        alice.screenshot("redis-outage", "call-after-recovery");
    }

    /** The attempt number of the latest refusal the page recorded. */
    private static int waitingAttempt() {
        int attempt = 0;
        for (com.fasterxml.jackson.databind.JsonNode error : alice.snapshot().path("errors")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("attempt (\\d+)")
                    .matcher(error.path("message").asText());
            if ("unavailable".equals(error.path("code").asText()) && m.find()) {
                attempt = Math.max(attempt, Integer.parseInt(m.group(1)));
            }
        }
        return attempt;
    }

    private static int readyz() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(node.adminUrl() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
