package io.switchboard.e2e.browser;

import static io.switchboard.e2e.browser.BrowserSession.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.e2e.RedisProcess;
import io.switchboard.e2e.SwitchboardProcess;
import io.switchboard.e2e.browser.BrowserSession.JoinOptions;
import io.switchboard.e2e.browser.BrowserSession.Media;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** Two Chromium sessions on two Switchboard nodes that share one Redis call each other through the real pages. */
class ClusterCallTest {
    private static RedisProcess redis;
    private static SwitchboardProcess nodeOne;
    private static SwitchboardProcess nodeTwo;
    private static BrowserSession alice;
    private static BrowserSession bob;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start();
        nodeOne = SwitchboardProcess.serve("--redis", redis.url(), "--node-id", "n1");
        nodeTwo = SwitchboardProcess.serve("--redis", redis.url(), "--node-id", "n2");
        alice = BrowserSession.launch("alice-n1", Media.FAKE_GRANTED);
        bob = BrowserSession.launch("bob-n2", Media.FAKE_GRANTED);
    }

    @AfterAll
    static void stop() {
        BrowserSession.closeAll(alice, bob, nodeOne, nodeTwo, redis);
    }

    @Test
    void browsersConnectedToDifferentNodesSeeEachOthersVideoAndChat() {
        String room = "cluster-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        alice.joinRoom(nodeOne.httpUrl(), room, "Alice", JoinOptions.defaults());
        bob.joinRoom(nodeTwo.httpUrl(), room, "Bob", JoinOptions.defaults());
        waitFor("both see each other's video across nodes", () -> alice.seesVideoFrom(1) && bob.seesVideoFrom(1),
                alice, bob);
        assertThat(alice.peers().get(0).path("stats").path("framesDecoded").asLong()).isPositive();
        assertThat(bob.peers().get(0).path("stats").path("framesDecoded").asLong()).isPositive();

        alice.byTestId("chat-input").sendKeys("hello from node one\n");
        waitFor("Bob on node two receives Alice's chat", () -> bob.driver().findElements(
                By.cssSelector("[data-testid=chat-message][data-self=false] .bubble")).stream()
                .anyMatch(bubble -> bubble.getText().equals("hello from node one")), alice, bob);
        bob.settleForScreenshot();
        bob.screenshot("cluster", "call");
    }
}
