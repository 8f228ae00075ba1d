package io.switchboard.e2e.browser;

import static io.switchboard.e2e.browser.BrowserSession.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.e2e.SwitchboardProcess;
import io.switchboard.e2e.browser.BrowserSession.JoinOptions;
import io.switchboard.e2e.browser.BrowserSession.Media;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Two headless Chromium sessions call each other through the real pages served by {@code switchboard serve}: video,
 * chat and file transfer, the live stats panel, and relay-only calls through the built-in TURN server over UDP and TCP.
 */
class TwoPartyCallTest {
    private static final AtomicInteger ROOMS = new AtomicInteger();
    private static SwitchboardProcess server;
    private static BrowserSession alice;
    private static BrowserSession bob;

    @BeforeAll
    static void start() {
        server = SwitchboardProcess.serve();
        alice = BrowserSession.launch("alice", Media.FAKE_GRANTED);
        bob = BrowserSession.launch("bob", Media.FAKE_GRANTED);
    }

    @AfterAll
    static void stop() {
        BrowserSession.closeAll(server, alice, bob);
    }

    @AfterEach
    void leave() {
        alice.hangUpIfInCall();
        bob.hangUpIfInCall();
    }

    private static String newRoom(String purpose) {
        return purpose + "-" + ROOMS.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    private static void call(String room, JoinOptions options) {
        alice.joinRoom(server.httpUrl(), room, "Alice", options);
        bob.joinRoom(server.httpUrl(), room, "Bob", options);
        waitFor("both see each other's video", () -> alice.seesVideoFrom(1) && bob.seesVideoFrom(1), alice, bob);
    }

    @Test
    void twoBrowsersSeeEachOthersVideoExchangeChatBothWaysAndTransferAFiveMegabyteFileWithMatchingSha256()
            throws Exception {
        call(newRoom("pair"), JoinOptions.defaults());

        // Each page shows both tiles and the other's video is decoding.
        for (BrowserSession browser : List.of(alice, bob)) {
            assertThat(browser.allByTestId("peer-tile")).hasSize(1);
            assertThat(browser.byTestId("video-grid").getAttribute("data-count")).isEqualTo("2");
            assertThat(browser.peers().get(0).path("stats").path("framesDecoded").asLong()).isPositive();
            Object playing = browser.js("const v = document.querySelector('[data-testid=peer-tile] video');"
                    + "return v.videoWidth > 0 && !v.paused && v.readyState >= 2;");
            assertThat(playing).isEqualTo(true);
        }

        alice.byTestId("chat-input").sendKeys("Hello Bob, can you see me?\n");
        waitFor("Bob receives Alice's chat",
                () -> chatTexts(bob, false).contains("Hello Bob, can you see me?"), alice, bob);
        bob.byTestId("chat-input").sendKeys("Loud and clear, Alice.\n");
        waitFor("Alice receives Bob's chat",
                () -> chatTexts(alice, false).contains("Loud and clear, Alice."), alice, bob);
        assertThat(chatTexts(alice, true)).containsExactly("Hello Bob, can you see me?");
        assertThat(bob.byTestId("chat-messages").findElement(By.cssSelector("[data-self=false] .meta")).getText())
                .startsWith("Alice");
        bob.settleForScreenshot();
        Path chatShot = bob.screenshot("call", "chat");

        byte[] content = new byte[5 * 1024 * 1024];
        new Random(20240917L).nextBytes(content);
        Path file = Files.createDirectories(Path.of("target", "browser-files")).resolve("holiday-video.bin");
        Files.write(file, content);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));

        alice.byTestId("tab-files").click();
        bob.byTestId("tab-files").click();
        alice.byTestId("file-input").sendKeys(file.toAbsolutePath().toString());

        waitFor("the file arrives verified",
                () -> transferDone(bob, "receive") && transferDone(alice, "send"), alice, bob);
        JsonNode received = onlyTransfer(bob);
        assertThat(received.path("name").asText()).isEqualTo("holiday-video.bin");
        assertThat(received.path("size").asLong()).isEqualTo(content.length);
        assertThat(received.path("sha256").asText()).isEqualTo(sha256);
        assertThat(received.path("actualSha256").asText()).isEqualTo(sha256);
        assertThat(received.path("verified").asBoolean()).isTrue();
        assertThat(onlyTransfer(alice).path("verified").asBoolean()).isTrue();
        for (BrowserSession browser : List.of(alice, bob)) {
            WebElement row = browser.byTestId("transfer");
            assertThat(row.getAttribute("data-progress")).isEqualTo("100");
            assertThat(row.findElement(By.cssSelector("[data-testid=transfer-progress]")).getAttribute("value"))
                    .isEqualTo("100");
            assertThat(row.findElement(By.cssSelector("[data-testid=transfer-verdict]")).getText())
                    .contains("SHA-256 verified");
        }
        assertThat(bob.byTestId("transfer-hash").getText()).contains(sha256);
        alice.screenshot("call", "file-sent");
        bob.screenshot("call", "file-received");
        BrowserSession.publish(chatShot, "call.png");
    }

    @Test
    void statsPanelShowsLiveNonZeroNumbersAndDrawsChartsOfBitrateLossRttAndFrameRate() {
        call(newRoom("stats"), JoinOptions.defaults());
        alice.byTestId("stats-button").click();
        waitFor("four charts drawn", () -> {
            JsonNode charts = alice.snapshot().path("charts");
            if (charts.size() != 4) {
                return false;
            }
            for (JsonNode chart : charts) {
                if (!chart.path("drawn").asBoolean() || chart.path("points").asInt() < 3) {
                    return false;
                }
            }
            return true;
        }, alice);
        waitFor("non-zero bitrate and frame rate", () -> number(alice.byTestId("kpi-bitrateIn")) > 0
                && number(alice.byTestId("kpi-bitrateOut")) > 0 && number(alice.byTestId("kpi-fps")) > 0, alice);

        WebElement card = alice.byTestId("stats-card");
        assertThat(card.findElement(By.tagName("h3")).getText()).isEqualTo("Bob");
        for (String kpi : List.of("kpi-bitrateIn", "kpi-bitrateOut", "kpi-rtt", "kpi-fps", "kpi-resolution",
                "kpi-codec")) {
            assertThat(alice.byTestId(kpi).getText()).as(kpi).isNotBlank().isNotEqualTo("—");
        }
        assertThat(alice.byTestId("kpi-codec").getText()).containsIgnoringCase("VP8");
        WebElement path = alice.byTestId("stats-path");
        assertThat(path.getAttribute("data-local-type")).isIn("host", "srflx", "prflx", "relay");
        assertThat(path.getAttribute("data-remote-type")).isIn("host", "srflx", "prflx", "relay");
        for (String chart : List.of("bitrate", "loss", "rtt", "fps")) {
            Object inkedPixels = alice.js(
                    "const c = document.querySelector('[data-testid=chart-' + arguments[0] + '] canvas');"
                    + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                    + "for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;", chart);
            assertThat(((Number) inkedPixels).longValue()).as("pixels drawn in chart " + chart).isPositive();
        }
        assertThat(alice.byTestId("stats-download").isEnabled()).isTrue();
        // Ten seconds of history make a picture worth showing in the README.
        waitFor("ten samples per chart", () -> alice.snapshot().path("charts").get(0).path("points").asInt() >= 10,
                alice);
        alice.settleForScreenshot();
        BrowserSession.publish(alice.screenshot("stats", "panel"), "stats.png");
    }

    @Test
    void relayOnlyCallOverTurnUdpConnectsThroughRelayCandidatesOnBothSidesAndTheServerCountsTheAllocations() {
        ServerMetrics before = ServerMetrics.scrape(server);
        call(newRoom("relay-udp"), JoinOptions.relayOnly("udp"));
        for (BrowserSession browser : List.of(alice, bob)) {
            waitFor("relay pairs over TURN UDP", () -> browser.allPairs(pair ->
                    "relay".equals(pair.path("local").path("type").asText())
                            && "relay".equals(pair.path("remote").path("type").asText())
                            && "udp".equals(pair.path("local").path("relayProtocol").asText())), browser);
            assertThat(browser.byTestId("path-badge").getText()).isEqualToIgnoringCase("Relay · UDP");
            assertThat(browser.byTestId("relay-chip").isDisplayed()).isTrue();
        }
        waitFor("UDP allocations counted", () -> {
            ServerMetrics now = ServerMetrics.scrape(server);
            return now.allocationsStarted() >= before.allocationsStarted() + 2 && now.allocationsHeld() >= 2
                    && now.packetsRelayed() > before.packetsRelayed() + 100;
        }, alice, bob);
        alice.screenshot("relay-udp", "call");
    }

    @Test
    void relayOnlyCallOverTurnTcpConnectsThroughRelayCandidatesOnBothSidesAndTheServerCountsTheAllocations() {
        ServerMetrics before = ServerMetrics.scrape(server);
        call(newRoom("relay-tcp"), JoinOptions.relayOnly("tcp"));
        for (BrowserSession browser : List.of(alice, bob)) {
            waitFor("relay pairs over TURN TCP", () -> browser.allPairs(pair ->
                    "relay".equals(pair.path("local").path("type").asText())
                            && "relay".equals(pair.path("remote").path("type").asText())
                            && "tcp".equals(pair.path("local").path("relayProtocol").asText())), browser);
            assertThat(browser.byTestId("path-badge").getText()).isEqualToIgnoringCase("Relay · TCP");
        }
        waitFor("TCP allocations counted", () -> {
            ServerMetrics now = ServerMetrics.scrape(server);
            return now.allocationsStarted() >= before.allocationsStarted() + 2 && now.allocationsHeld() >= 2
                    && now.packetsRelayed() > before.packetsRelayed() + 100;
        }, alice, bob);
        bob.screenshot("relay-tcp", "call");
    }

    private static List<String> chatTexts(BrowserSession browser, boolean self) {
        return browser.driver().findElements(By.cssSelector(
                "[data-testid=chat-message][data-self=" + self + "] .bubble"))
                .stream().map(WebElement::getText).toList();
    }

    private static boolean transferDone(BrowserSession browser, String direction) {
        for (JsonNode transfer : browser.snapshot().path("call").path("transfers")) {
            if (direction.equals(transfer.path("direction").asText()) && "done".equals(transfer.path("state").asText())
                    && transfer.path("progress").asDouble() == 1.0) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode onlyTransfer(BrowserSession browser) {
        JsonNode transfers = browser.snapshot().path("call").path("transfers");
        assertThat(transfers).hasSize(1);
        return transfers.get(0);
    }

    private static double number(WebElement kpi) {
        String value = kpi.getAttribute("data-value");
        return value == null || value.isBlank() ? 0 : Double.parseDouble(value);
    }
}
