package io.switchboard.e2e.browser;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * One headless Debian Chromium driven by Selenium through Debian's chromedriver (Selenium Manager never runs), with
 * helpers that use the Switchboard pages the way a person does and read {@code window.switchboardApp.snapshot()}.
 */
final class BrowserSession implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Path DOC_IMAGES = Path.of("..", "docs", "images");

    /** What the browser has for a camera and microphone. */
    enum Media {
        /** Chromium's fake camera and microphone, access granted without asking. */
        FAKE_GRANTED,
        /** Fake devices, but access follows the site permission (set with {@link #setMediaPermission}). */
        FAKE_BY_PERMISSION,
        /** No camera or microphone at all (a machine without devices). */
        NONE
    }

    /** Choices made in the lobby before joining. */
    record JoinOptions(String quality, boolean relayOnly, String turnTransport) {
        static JoinOptions defaults() {
            return new JoinOptions("low", false, "any");
        }

        static JoinOptions relayOnly(String turnTransport) {
            return new JoinOptions("low", true, turnTransport);
        }
    }

    private final String label;
    private final ChromeDriver driver;
    private final Path profile;

    private BrowserSession(String label, ChromeDriver driver, Path profile) {
        this.label = label;
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a fresh Chromium (new profile) named {@code label} in screenshots. */
    static BrowserSession launch(String label, Media media) {
        return launch(label, media, List.of());
    }

    /** Starts a fresh Chromium with extra command-line switches. */
    static BrowserSession launch(String label, Media media, List<String> extraSwitches) {
        Path profile;
        try {
            profile = Files.createTempDirectory("switchboard-chromium-" + label + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        List<String> args = new ArrayList<>(List.of("--headless=new", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-sandbox", "--no-first-run", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-default-apps", "--disable-extensions",
                "--window-size=1366,960", "--user-data-dir=" + profile));
        if (media != Media.NONE) {
            args.add("--use-fake-device-for-media-stream");
        }
        if (media != Media.FAKE_BY_PERMISSION) {
            args.add("--use-fake-ui-for-media-stream");
        }
        args.addAll(extraSwitches);
        options.addArguments(args);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1366, 960));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new BrowserSession(label, driver, profile);
    }

    ChromeDriver driver() {
        return driver;
    }

    String label() {
        return label;
    }

    void open(String url) {
        driver.get(url);
    }

    /** Opens the lobby for {@code room} and waits until the camera/microphone question has been answered. */
    void openLobby(String baseUrl, String room) {
        open(baseUrl + "/?room=" + room);
        awaitMediaSettled();
    }

    /** Goes through the lobby like a person: name, quality, connection options, Join; waits for the call screen. */
    void joinRoom(String baseUrl, String room, String name, JoinOptions options) {
        openLobby(baseUrl, room);
        fillLobbyAndJoin(name, options);
        await().atMost(PATIENCE).until(() -> "call".equals(snapshot().path("view").asText()));
    }

    /** Fills the lobby form of the current page and clicks Join, without waiting for the outcome. */
    void fillLobbyAndJoin(String name, JoinOptions options) {
        WebElement nameInput = byTestId("name-input");
        nameInput.clear();
        nameInput.sendKeys(name);
        Select quality = new Select(byTestId("quality-select"));
        if (!options.quality().equals(quality.getFirstSelectedOption().getAttribute("value"))) {
            openAdvanced();
            quality.selectByValue(options.quality());
            awaitMediaSettled();
        }
        if (byTestId("relay-only").isSelected() != options.relayOnly()) {
            openAdvanced();
            driver.findElement(By.cssSelector("label.switch:has([data-testid=relay-only])")).click();
        }
        Select transport = new Select(byTestId("turn-transport"));
        if (!options.turnTransport().equals(transport.getFirstSelectedOption().getAttribute("value"))) {
            openAdvanced();
            transport.selectByValue(options.turnTransport());
        }
        byTestId("join-button").click();
    }

    private void openAdvanced() {
        WebElement details = driver.findElement(By.id("advanced"));
        if (details.getAttribute("open") == null) {
            details.findElement(By.tagName("summary")).click();
        }
    }

    /** Waits until the lobby either has local media or has shown why not. */
    void awaitMediaSettled() {
        await().atMost(PATIENCE).until(() -> {
            JsonNode s = snapshot();
            boolean live = false;
            for (JsonNode track : s.path("localTracks")) {
                live |= "live".equals(track.path("readyState").asText());
            }
            return live || !s.path("mediaError").isNull() && !s.path("mediaError").isMissingNode();
        });
        await().atMost(PATIENCE).until(() -> byTestId("join-button").isEnabled());
    }

    /** Clicks the hang-up button when in a call. */
    void hangUpIfInCall() {
        if ("call".equals(snapshot().path("view").asText())) {
            byTestId("hangup-button").click();
            await().atMost(PATIENCE).until(() -> "ended".equals(snapshot().path("view").asText()));
        }
    }

    /** {@code window.switchboardApp.snapshot()} as JSON (an empty object on pages without it). */
    JsonNode snapshot() {
        Object json = driver.executeScript(
                "return window.switchboardApp ? JSON.stringify(window.switchboardApp.snapshot()) : '{}'");
        try {
            return JSON.readTree(String.valueOf(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The call's peers from the snapshot. */
    List<JsonNode> peers() {
        List<JsonNode> peers = new ArrayList<>();
        snapshot().path("call").path("peers").forEach(peers::add);
        return peers;
    }

    /** True when every remote peer is connected and decoding video, and there are {@code count} of them. */
    boolean seesVideoFrom(int count) {
        List<JsonNode> peers = peers();
        return peers.size() == count && peers.stream().allMatch(p ->
                "connected".equals(p.path("connectionState").asText())
                        && p.path("stats").path("framesDecoded").asLong() > 0);
    }

    /** Whether every peer's selected candidate pair satisfies {@code test}. */
    boolean allPairs(Predicate<JsonNode> test) {
        List<JsonNode> peers = peers();
        return !peers.isEmpty() && peers.stream().allMatch(p -> {
            JsonNode pair = p.path("stats").path("candidatePair");
            return !pair.isMissingNode() && !pair.isNull() && test.test(pair);
        });
    }

    WebElement byTestId(String testId) {
        return driver.findElement(By.cssSelector("[data-testid=\"" + testId + "\"]"));
    }

    List<WebElement> allByTestId(String testId) {
        return driver.findElements(By.cssSelector("[data-testid=\"" + testId + "\"]"));
    }

    Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** Sets the site permission for {@code camera} or {@code microphone} of {@code origin} through DevTools. */
    void setMediaPermission(String origin, String setting) {
        for (String name : List.of("camera", "microphone")) {
            driver.executeCdpCommand("Browser.setPermission", Map.of(
                    "permission", Map.of("name", name), "setting", setting, "origin", origin));
        }
    }

    /**
     * Waits up to {@link #PATIENCE} for {@code condition}; when it does not come, saves a screenshot of every browser
     * involved and fails with their page snapshots, so the failure explains itself.
     */
    static void waitFor(String what, Callable<Boolean> condition, BrowserSession... involved) {
        try {
            await(what).atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).until(condition);
        } catch (ConditionTimeoutException timeout) {
            StringBuilder message = new StringBuilder("timed out waiting for: ").append(what);
            String slug = what.replaceAll("[^A-Za-z0-9]+", "-");
            for (BrowserSession browser : involved) {
                try {
                    browser.screenshot("timeout", slug.length() > 60 ? slug.substring(0, 60) : slug);
                    String snapshot = browser.snapshot().toString();
                    message.append("\n--- ").append(browser.label).append(": ")
                            .append(snapshot, 0, Math.min(snapshot.length(), 12_000));
                } catch (RuntimeException e) {
                    message.append("\n--- ").append(browser.label).append(": unavailable (").append(e).append(')');
                }
            }
            throw new AssertionError(message.toString(), timeout);
        }
    }

    /** Lets transient overlays (toasts, hover tooltips) go before a screenshot meant for people. */
    void settleForScreenshot() {
        new Actions(driver).moveToLocation(1, 1).perform();
        js("document.activeElement?.blur?.()");
        await().atMost(Duration.ofSeconds(10)).until(() -> allByTestId("toast").isEmpty()
                && driver.findElements(By.cssSelector("#toasts > *")).isEmpty());
    }

    /** Saves a screenshot as {@code target/screenshots/<test>-<label>-<name>.png} and returns its path. */
    Path screenshot(String test, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(test + "-" + label + "-" + name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a screenshot to {@code docs/images/<name>} for the README. */
    static void publish(Path screenshot, String name) {
        try {
            Files.createDirectories(DOC_IMAGES);
            Files.copy(screenshot, DOC_IMAGES.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes each resource (nulls skipped), last first, even when one fails; rethrows the first failure. */
    static void closeAll(AutoCloseable... resources) {
        RuntimeException failure = null;
        for (int i = resources.length - 1; i >= 0; i--) {
            if (resources[i] == null) {
                continue;
            }
            try {
                resources[i].close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("cannot close " + resources[i], e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
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
