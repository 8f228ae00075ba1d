package io.switchboard.e2e.browser;

import static io.switchboard.e2e.browser.BrowserSession.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.e2e.SwitchboardProcess;
import io.switchboard.e2e.browser.BrowserSession.Media;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The diagnostics page checks the real server's signaling, STUN and TURN over UDP, TCP and TLS, lists the candidates,
 * and says plainly what works and what does not.
 */
class DiagnosticsPageTest {
    private static SwitchboardProcess server;

    @BeforeAll
    static void start() {
        server = SwitchboardProcess.serve();
    }

    @AfterAll
    static void stop() {
        BrowserSession.closeAll(server);
    }

    @Test
    void reportsSignalingStunAndTurnOverUdpTcpAndTlsAsWorkingWithTheirCandidates() {
        // A browser that trusts the server's certificate, as it would trust one from a public CA.
        try (BrowserSession browser = BrowserSession.launch("trusting", Media.FAKE_GRANTED,
                List.of("--ignore-certificate-errors"))) {
            runDiagnostics(browser);
            for (String check : List.of("browser", "signaling", "ice-servers", "stun-udp", "turn-udp", "turn-tcp",
                    "turns-tls")) {
                WebElement card = browser.byTestId("check-" + check);
                assertThat(card.getAttribute("data-status")).as(check + ": " + card.getText()).isEqualTo("ok");
            }
            assertThat(browser.byTestId("check-signaling").getText()).contains("a ping came back");
            for (String turn : List.of("turn-udp", "turn-tcp", "turns-tls")) {
                WebElement card = browser.byTestId("check-" + turn);
                List<WebElement> relays = card.findElements(By.cssSelector("[data-testid=candidate][data-type=relay]"));
                assertThat(relays).as(turn + " relay candidates").isNotEmpty();
                String transport = turn.substring(turn.indexOf('-') + 1);
                assertThat(relays.get(0).getAttribute("data-relay-protocol")).isEqualTo(transport);
                assertThat(card.getText()).contains("data went through the relay").contains("127.0.0.1:");
            }
            assertThat(browser.byTestId("check-stun-udp")
                    .findElements(By.cssSelector("[data-testid=candidate]"))).isNotEmpty();
            WebElement verdict = browser.byTestId("verdict");
            assertThat(verdict.getAttribute("data-kind")).isEqualTo("ok");
            assertThat(verdict.getText()).contains("Everything works");
            browser.screenshot("diagnostics", "all-working");
        }
    }

    @Test
    void saysPlainlyThatTurnOverTlsFailsWhenTheBrowserDoesNotTrustTheSelfSignedCertificate() {
        try (BrowserSession browser = BrowserSession.launch("default", Media.FAKE_GRANTED)) {
            runDiagnostics(browser);
            WebElement tls = browser.byTestId("check-turns-tls");
            assertThat(tls.getAttribute("data-status")).isEqualTo("fail");
            assertThat(tls.getText()).contains("Does not work").contains("self-signed certificate")
                    .contains("--tls-cert");
            assertThat(tls.findElements(By.cssSelector("[data-testid=candidate-error]"))).isNotEmpty();
            for (String check : List.of("turn-udp", "turn-tcp")) {
                assertThat(browser.byTestId("check-" + check).getAttribute("data-status")).isEqualTo("ok");
            }
            WebElement verdict = browser.byTestId("verdict");
            assertThat(verdict.getAttribute("data-kind")).isEqualTo("warn");
            assertThat(verdict.getText()).contains("Calls will work").contains("not over TLS");
            browser.screenshot("diagnostics", "tls-untrusted");
        }
    }

    private void runDiagnostics(BrowserSession browser) {
        browser.open(server.httpUrl() + "/diagnostics.html");
        waitFor("diagnostics finished",
                () -> "done".equals(browser.js("return document.body.dataset.diagnostics")), browser);
    }
}
