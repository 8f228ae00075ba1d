package io.switchboard.e2e.fault;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Debian Chromium (through Debian's chromedriver) in a call on the Switchboard page, for fault tests:
 * joins a room with settings put in the page's storage (relay only over TURN UDP), and reads
 * {@code window.switchboardApp.snapshot()}.
 */
final class CallBrowser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ChromeDriver driver;
    private final Path profile;

    private CallBrowser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static CallBrowser launch() throws IOException {
        Path profile = Files.createTempDirectory("switchboard-fault-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(List.of("--headless=new", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-sandbox", "--no-first-run", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-extensions", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--window-size=1280,900", "--user-data-dir=" + profile));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new CallBrowser(driver, profile);
    }

    /** Opens the lobby of {@code room}, sets name and relay-only TURN/UDP, joins and waits for the call screen. */
    void joinRelayOnly(String baseUrl, String room, String name) {
        driver.get(baseUrl + "/?room=" + room);
        driver.executeScript("localStorage.setItem('switchboard.settings.v1', JSON.stringify({name: arguments[0],"
                + " quality: 'low', relayOnly: true, turnTransport: 'udp'}))", name);
        driver.navigate().refresh();
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            for (JsonNode track : snapshot().path("localTracks")) {
                if ("live".equals(track.path("readyState").asText())) {
                    return driver.findElement(By.cssSelector("[data-testid=\"join-button\"]")).isEnabled();
                }
            }
            return false;
        });
        driver.findElement(By.cssSelector("[data-testid=\"join-button\"]")).click();
        await().atMost(Duration.ofSeconds(40)).until(() -> "call".equals(snapshot().path("view").asText()));
    }

    /** The page state as JSON. */
    JsonNode snapshot() {
        Object json = driver.executeScript(
                "return window.switchboardApp ? JSON.stringify(window.switchboardApp.snapshot()) : '{}'");
        try {
            return JSON.readTree(String.valueOf(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the page is in a call with one peer, connected over a relay pair, and decoding video from it. */
    boolean inRelayedCallWithVideo() {
        JsonNode snapshot = snapshot();
        JsonNode peers = snapshot.path("call").path("peers");
        if (!"call".equals(snapshot.path("view").asText()) || peers.size() != 1) {
            return false;
        }
        JsonNode peer = peers.get(0);
        JsonNode pair = peer.path("stats").path("candidatePair");
        return "connected".equals(peer.path("connectionState").asText())
                && peer.path("stats").path("framesDecoded").asLong() > 0
                && "relay".equals(pair.path("local").path("type").asText());
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temporary profile is harmless
            }
        }
    }
}
