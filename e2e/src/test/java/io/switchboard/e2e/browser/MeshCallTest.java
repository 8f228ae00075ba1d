package io.switchboard.e2e.browser;

import static io.switchboard.e2e.browser.BrowserSession.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.e2e.SwitchboardProcess;
import io.switchboard.e2e.browser.BrowserSession.JoinOptions;
import io.switchboard.e2e.browser.BrowserSession.Media;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

/**
 * Three browsers in one room of capacity 3 form a full mesh; a fourth is told the room is full; when one hangs up
 * the others' grids shrink.
 */
class MeshCallTest {
    private static SwitchboardProcess server;
    private static BrowserSession ann;
    private static BrowserSession ben;
    private static BrowserSession cat;

    @BeforeAll
    static void start() {
        server = SwitchboardProcess.serve("--room-capacity", "3");
        ann = BrowserSession.launch("ann", Media.FAKE_GRANTED);
        ben = BrowserSession.launch("ben", Media.FAKE_GRANTED);
        cat = BrowserSession.launch("cat", Media.FAKE_GRANTED);
    }

    @AfterAll
    static void stop() {
        BrowserSession.closeAll(server, ann, ben, cat);
    }

    @Test
    void threePeersSeeEachOtherAFourthIsToldTheRoomIsFullAndTheGridsShrinkWhenOneHangsUp() {
        String room = "mesh-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        ann.joinRoom(server.httpUrl(), room, "Ann", JoinOptions.defaults());
        ben.joinRoom(server.httpUrl(), room, "Ben", JoinOptions.defaults());
        cat.joinRoom(server.httpUrl(), room, "Cat", JoinOptions.defaults());
        List<BrowserSession> all = List.of(ann, ben, cat);
        waitFor("full mesh of three", () -> all.stream().allMatch(b -> b.seesVideoFrom(2)), ann, ben, cat);
        for (BrowserSession browser : all) {
            assertThat(browser.allByTestId("peer-tile")).hasSize(2);
            assertThat(browser.byTestId("video-grid").getAttribute("data-count")).isEqualTo("3");
            assertThat(browser.byTestId("participant-count").getText()).isEqualTo("3 people");
        }
        assertThat(ann.allByTestId("peer-tile")).extracting(t -> t.getAttribute("data-peer-name"))
                .containsExactlyInAnyOrder("Ben", "Cat");
        ann.screenshot("mesh", "three");

        // A fourth person: Ann opens the room again in a new tab.
        String callTab = ann.driver().getWindowHandle();
        ann.driver().switchTo().newWindow(WindowType.TAB);
        try {
            ann.openLobby(server.httpUrl(), room);
            ann.fillLobbyAndJoin("Dan", JoinOptions.defaults());
            waitFor("room full dialog", () -> !ann.driver().findElements(
                    By.cssSelector("dialog[open][data-testid=room-full-dialog]")).isEmpty(), ann);
            assertThat(ann.byTestId("room-full-dialog").getText()).contains("This room is full").contains(room);
            assertThat(ann.snapshot().path("view").asText()).isEqualTo("lobby");
            assertThat(ann.snapshot().path("errors").findValuesAsText("code")).contains("room-full");
            ann.screenshot("mesh", "room-full");
        } finally {
            ann.driver().close();
            ann.driver().switchTo().window(callTab);
        }

        cat.byTestId("hangup-button").click();
        waitFor("Cat sees the ended view", () -> "ended".equals(cat.snapshot().path("view").asText()), cat);
        assertThat(cat.byTestId("ended-title").getText()).isEqualTo("You left the room");
        for (BrowserSession browser : List.of(ann, ben)) {
            waitFor("grid shrinks after Cat leaves",
                    () -> browser.allByTestId("peer-tile").size() == 1 && browser.seesVideoFrom(1), browser);
            assertThat(browser.byTestId("video-grid").getAttribute("data-count")).isEqualTo("2");
            assertThat(browser.byTestId("participant-count").getText()).isEqualTo("2 people");
            assertThat(browser.byTestId("chat-messages").getText()).contains("Cat left");
        }
        ann.screenshot("mesh", "after-hangup");
        cat.screenshot("mesh", "left");
    }
}
