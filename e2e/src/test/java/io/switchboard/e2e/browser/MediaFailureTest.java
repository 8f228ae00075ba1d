package io.switchboard.e2e.browser;

import static io.switchboard.e2e.browser.BrowserSession.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.e2e.SwitchboardProcess;
import io.switchboard.e2e.browser.BrowserSession.JoinOptions;
import io.switchboard.e2e.browser.BrowserSession.Media;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A person whose camera is blocked or missing is told so in words, is offered to join without it, and then takes part
 * in the call (sees and hears others, is shown with initials).
 */
class MediaFailureTest {
    private static SwitchboardProcess server;
    private static BrowserSession host;

    @BeforeAll
    static void start() {
        server = SwitchboardProcess.serve();
        host = BrowserSession.launch("host", Media.FAKE_GRANTED);
    }

    @AfterAll
    static void stop() {
        BrowserSession.closeAll(server, host);
    }

    @Test
    void blockedCameraShowsWhyAndHowToFixItAndThePersonCanJoinWithoutCameraAndStillSeeOthers() {
        try (BrowserSession guest = BrowserSession.launch("blocked", Media.FAKE_BY_PERMISSION)) {
            String origin = server.httpUrl();
            String room = "blocked-" + Long.toString(System.nanoTime() % 1_000_000, 36);
            guest.open(origin + "/img/favicon.svg");
            guest.setMediaPermission(origin, "denied");
            guest.openLobby(origin, room);

            WebElement alert = guest.byTestId("media-error");
            assertThat(alert.getAttribute("data-code")).isEqualTo("permission-denied");
            assertThat(alert.getText()).contains("Camera and microphone are blocked").contains("Try again")
                    .contains("join without them");
            assertThat(guest.byTestId("join-button").getText()).isEqualTo("Join without camera and microphone");
            assertThat(guest.snapshot().path("mediaMode").asText()).isEqualTo("none");
            guest.screenshot("media", "permission-denied");

            host.joinRoom(origin, room, "Host", JoinOptions.defaults());
            guest.fillLobbyAndJoin("Watcher", JoinOptions.defaults());
            waitFor("guest in the call", () -> "call".equals(guest.snapshot().path("view").asText()), guest, host);

            // The guest sends nothing but sees the host; the host sees the guest's initials instead of video.
            waitFor("guest sees the host", () -> guest.seesVideoFrom(1), guest, host);
            waitFor("host connected to the guest", () -> host.peers().size() == 1
                    && "connected".equals(host.peers().get(0).path("connectionState").asText()), guest, host);
            JsonNode guestMedia = host.peers().get(0).path("media");
            assertThat(guestMedia.path("video").asBoolean()).isFalse();
            assertThat(guestMedia.path("audio").asBoolean()).isFalse();
            WebElement tile = host.byTestId("peer-tile");
            assertThat(tile.getAttribute("data-peer-name")).isEqualTo("Watcher");
            WebElement avatar = tile.findElement(By.cssSelector(".avatar"));
            waitFor("initials shown for the guest", () -> avatar.isDisplayed(), host);
            assertThat(avatar.getText()).isEqualTo("W");
            assertThat(guest.byTestId("mic-button").isEnabled()).isFalse();
            assertThat(guest.byTestId("camera-button").isEnabled()).isFalse();
            guest.screenshot("media", "joined-without-camera");
            host.screenshot("media", "sees-guest-initials");

            // Allowing access again and retrying brings the camera back in the lobby.
            guest.hangUpIfInCall();
            guest.byTestId("lobby-button").click();
            guest.awaitMediaSettled();
            guest.setMediaPermission(origin, "granted");
            guest.byTestId("media-retry").click();
            guest.awaitMediaSettled();
            assertThat(guest.snapshot().path("mediaMode").asText()).isEqualTo("full");
            assertThat(guest.allByTestId("media-error")).isEmpty();
        } finally {
            host.hangUpIfInCall();
        }
    }

    @Test
    void missingCameraAndMicrophoneAreReportedAndTheLobbyOffersToJoinWithoutThem() {
        try (BrowserSession bare = BrowserSession.launch("no-devices", Media.NONE)) {
            bare.openLobby(server.httpUrl(), "bare-" + Long.toString(System.nanoTime() % 1_000_000, 36));
            WebElement alert = bare.byTestId("media-error");
            assertThat(alert.getAttribute("data-code")).isEqualTo("no-device");
            assertThat(alert.getText()).contains("No camera or microphone found");
            assertThat(bare.byTestId("join-button").getText()).isEqualTo("Join without camera and microphone");
            assertThat(bare.byTestId("camera-select").getText()).contains("No camera found");
            bare.screenshot("media", "no-devices");
        }
    }
}
