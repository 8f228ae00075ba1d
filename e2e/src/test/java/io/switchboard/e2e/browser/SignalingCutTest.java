package io.switchboard.e2e.browser;

import static io.switchboard.e2e.browser.BrowserSession.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.e2e.SwitchboardProcess;
import io.switchboard.e2e.browser.BrowserSession.JoinOptions;
import io.switchboard.e2e.browser.BrowserSession.Media;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The signaling connection of a call in progress is cut from the network side (every TCP connection between the
 * browsers and the server is reset by a proxy standing in for the network): both pages reconnect, resume their
 * sessions with the resume token, keep their peer ids, and the call carries on — media, data channels and new
 * negotiations through signaling. A page on a network that blocks WebSockets signals over the HTTP fallback instead.
 */
class SignalingCutTest {
    private static SwitchboardProcess server;
    private static CuttableTcpProxy network;
    private static BrowserSession alice;
    private static BrowserSession bob;

    @BeforeAll
    static void start() throws Exception {
        server = SwitchboardProcess.serve();
        network = CuttableTcpProxy.start(server.listener("http"));
        alice = BrowserSession.launch("alice", Media.FAKE_GRANTED);
        bob = BrowserSession.launch("bob", Media.FAKE_GRANTED);
    }

    @AfterAll
    static void stop() {
        BrowserSession.closeAll(server, network, alice, bob);
    }

    @AfterEach
    void leave() {
        alice.hangUpIfInCall();
        bob.hangUpIfInCall();
    }

    @Test
    void callSurvivesWhenTheSignalingConnectionIsCutAndBothPagesResumeTheirSessions() {
        String room = "resume-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        alice.joinRoom(network.url(), room, "Alice", JoinOptions.defaults());
        bob.joinRoom(network.url(), room, "Bob", JoinOptions.defaults());
        waitFor("both see each other's video", () -> alice.seesVideoFrom(1) && bob.seesVideoFrom(1), alice, bob);
        String aliceId = alice.snapshot().path("call").path("id").asText();
        String bobId = bob.snapshot().path("call").path("id").asText();
        long framesBefore = framesDecoded(alice);

        assertThat(network.cutAll()).as("connections cut").isGreaterThanOrEqualTo(4);

        for (BrowserSession browser : List.of(alice, bob)) {
            waitFor("session resumed", () -> {
                JsonNode s = browser.snapshot();
                return s.path("counters").path("resumed").asInt() >= 1
                        && "open".equals(s.path("call").path("signalingState").asText())
                        && "joined".equals(s.path("call").path("state").asText());
            }, browser);
            JsonNode s = browser.snapshot();
            assertThat(s.path("counters").path("rejoined").asInt()).as("new sessions").isZero();
            assertThat(s.path("view").asText()).isEqualTo("call");
            assertThat(browser.byTestId("signaling-chip").getAttribute("data-state")).isEqualTo("joined");
        }
        assertThat(alice.snapshot().path("call").path("id").asText()).isEqualTo(aliceId);
        assertThat(bob.snapshot().path("call").path("id").asText()).isEqualTo(bobId);
        assertThat(alice.peers()).extracting(p -> p.path("id").asText()).containsExactly(bobId);
        assertThat(bob.peers()).extracting(p -> p.path("id").asText()).containsExactly(aliceId);
        alice.screenshot("resume", "after-cut");

        // Media kept flowing and the data channel still carries chat.
        waitFor("video keeps flowing after the cut",
                () -> framesDecoded(alice) > framesBefore + 10 && bob.seesVideoFrom(1), alice, bob);
        bob.byTestId("chat-input").sendKeys("Still here after the cut\n");
        waitFor("chat after the cut", () -> alice.driver().findElements(
                By.cssSelector("[data-testid=chat-message][data-self=false] .bubble")).stream()
                .anyMatch(e -> e.getText().equals("Still here after the cut")), alice, bob);

        // Signaling works again end to end: switching Alice to relay only rebuilds both ends of the connection,
        // negotiated from scratch through the resumed sessions.
        alice.byTestId("settings-button").click();
        alice.driver().findElement(By.cssSelector("label.switch:has([data-testid=settings-relay-only])")).click();
        alice.byTestId("settings-apply").click();
        waitFor("relay pair after renegotiation", () -> alice.allPairs(pair ->
                "relay".equals(pair.path("local").path("type").asText()))
                && bob.allPairs(pair -> "relay".equals(pair.path("remote").path("type").asText()))
                && alice.seesVideoFrom(1) && bob.seesVideoFrom(1), alice, bob);
        assertThat(alice.byTestId("relay-chip").isDisplayed()).isTrue();
        alice.screenshot("resume", "relay-after-resume");
    }

    @Test
    void callConnectsOverTheHttpFallbackWhenTheNetworkBlocksWebSockets() throws Exception {
        String room = "fallback-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        try (CuttableTcpProxy noWebSockets = CuttableTcpProxy.startBlockingWebSockets(server.listener("http"))) {
            alice.joinRoom(noWebSockets.url(), room, "Alice", JoinOptions.defaults());
            bob.joinRoom(network.url(), room, "Bob", JoinOptions.defaults());
            waitFor("both see each other's video", () -> alice.seesVideoFrom(1) && bob.seesVideoFrom(1), alice, bob);
            assertThat(alice.snapshot().path("call").path("signalingTransport").asText()).isEqualTo("sse");
            assertThat(bob.snapshot().path("call").path("signalingTransport").asText()).isEqualTo("ws");
            assertThat(alice.byTestId("signaling-chip").getText()).isEqualTo("Connected · HTTP");
            alice.byTestId("chat-input").sendKeys("Hello over Server-Sent Events\n");
            waitFor("chat from the fallback side", () -> bob.driver().findElements(
                    By.cssSelector("[data-testid=chat-message][data-self=false] .bubble")).stream()
                    .anyMatch(e -> e.getText().equals("Hello over Server-Sent Events")), alice, bob);
            alice.screenshot("fallback", "call");
            alice.hangUpIfInCall();
            waitFor("Bob sees Alice leave", () -> bob.peers().isEmpty(), alice, bob);
        }
    }

    private static long framesDecoded(BrowserSession browser) {
        List<JsonNode> peers = browser.peers();
        return peers.isEmpty() ? 0 : peers.get(0).path("stats").path("framesDecoded").asLong();
    }
}
