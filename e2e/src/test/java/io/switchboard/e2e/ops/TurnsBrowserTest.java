package io.switchboard.e2e.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.e2e.SwitchboardProcess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium relaying a data channel through the server's TURN over TLS ({@code turns:}).
 *
 * <p>Chromium checks the TURNS certificate like any TLS certificate and, unlike an HTTPS page, offers no way to accept
 * an untrusted one: with the self-signed certificate the TLS candidates silently fail. A real deployment uses a
 * certificate from a public CA; here Chromium is told to trust this one certificate by the SHA-256 of its public key
 * ({@code --ignore-certificate-errors-spki-list}), which the server logs at start.
 */
class TurnsBrowserTest {

    /** Two peer connections in one page, relay only, through the turns: URI of /api/ice-servers. */
    private static final String RELAY_THROUGH_TURNS = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const ice = await (await fetch('/api/ice-servers?user=browser')).json();
              const turns = ice.iceServers.flatMap(s => s.urls.filter(u => u.startsWith('turns:'))
                  .map(u => ({urls: [u], username: s.username, credential: s.credential})));
              const config = {iceServers: turns, iceTransportPolicy: 'relay'};
              const a = new RTCPeerConnection(config), b = new RTCPeerConnection(config);
              const errors = [];
              a.onicecandidate = e => e.candidate && b.addIceCandidate(e.candidate);
              b.onicecandidate = e => e.candidate && a.addIceCandidate(e.candidate);
              a.onicecandidateerror = e => errors.push(e.url + ' ' + e.errorCode + ' ' + e.errorText);
              const channel = a.createDataChannel('ops');
              const received = new Promise(resolve => b.ondatachannel = e => e.channel.onmessage = m => resolve(m.data));
              const opened = new Promise(resolve => channel.onopen = resolve);
              await a.setLocalDescription();
              await b.setRemoteDescription(a.localDescription);
              await b.setLocalDescription();
              await a.setRemoteDescription(b.localDescription);
              const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 20000));
              await Promise.race([opened, timeout]);
              channel.send('through turns');
              const message = await Promise.race([received, timeout]);
              let relayProtocol = null;
              (await a.getStats()).forEach(r => {
                if (r.type === 'local-candidate' && r.candidateType === 'relay') relayProtocol = r.relayProtocol;
              });
              done({message, relayProtocol, uris: turns.map(t => t.urls[0]), errors});
            })().catch(e => done({error: String(e), errors: []}));
            """;

    @Test
    void chromiumRelaysADataChannelThroughTurns() throws Exception {
        try (SwitchboardProcess server = SwitchboardProcess.serve()) {
            X509Certificate certificate = InsecureTls.certificateOf(server.listener("turns"));
            String spki = Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
            assertThat(server.output()).contains("spki-sha256=" + spki);
            ChromeDriver driver = chromium(List.of("--ignore-certificate-errors-spki-list=" + spki));
            try {
                driver.get(server.httpUrl() + "/");
                @SuppressWarnings("unchecked")
                Map<String, Object> result = (Map<String, Object>) driver.executeAsyncScript(RELAY_THROUGH_TURNS);
                assertThat(result).as(result + "\n" + server.output())
                        .containsEntry("message", "through turns").containsEntry("relayProtocol", "tls");
                assertThat(server.output()).contains("allocation started tls");
            } finally {
                driver.quit();
            }
        }
    }

    private static ChromeDriver chromium(List<String> extra) throws Exception {
        Path profile = Files.createTempDirectory("switchboard-chromium-ops-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        List<String> args = new ArrayList<>(List.of("--headless=new", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-sandbox", "--no-first-run", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile));
        args.addAll(extra);
        options.addArguments(args);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(40));
        return driver;
    }
}
