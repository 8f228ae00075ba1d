package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pages and modules only reference files that the jar (or a WebJar on its classpath) really contains, the way the
 * signaling server maps them: {@code /x} to {@code io/switchboard/web/x}, {@code /webjars/x} to
 * {@code META-INF/resources/webjars/x}.
 */
class WebResourcesTest {
    private static final String ROOT = "io/switchboard/web/";
    private static final List<String> PAGES = List.of("index.html", "diagnostics.html");
    private static final List<String> MODULES = List.of("js/switchboard.js", "js/sdk/errors.js", "js/sdk/signaling.js",
            "js/sdk/ice.js", "js/sdk/sse.js", "js/sdk/peer.js", "js/sdk/files.js", "js/sdk/stats.js", "js/sdk/media.js",
            "js/app/main.js", "js/app/diagnostics.js", "js/app/lobby.js", "js/app/call-view.js", "js/app/tiles.js",
            "js/app/chat-panel.js", "js/app/files-panel.js", "js/app/stats-panel.js", "js/app/ui.js",
            "js/app/icons.js", "js/app/settings.js");

    private static final Pattern ATTRIBUTE_URL = Pattern.compile("(?:src|href)=\"(/[^\"]*)\"");
    private static final Pattern IMPORT_MAP_URL = Pattern.compile("\"[a-zA-Z]+\"\\s*:\\s*\"(/[^\"]+)\"");
    private static final Pattern STATIC_IMPORT = Pattern.compile(
            "^\\s*(?:import|export)\\s[^;]*?from\\s+'([^']+)'", Pattern.MULTILINE | Pattern.DOTALL);

    @Test
    void everyAbsoluteUrlInThePagesResolvesToAResourceOrAWebJarFile() throws IOException {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (String page : PAGES) {
            String html = read(ROOT + page);
            for (Pattern pattern : List.of(ATTRIBUTE_URL, IMPORT_MAP_URL)) {
                Matcher m = pattern.matcher(html);
                while (m.find()) {
                    String path = URI.create(m.group(1)).getPath();
                    if (path.equals("/") || path.endsWith(".html")) {
                        path = path.equals("/") ? "/index.html" : path;
                    }
                    checked++;
                    if (resourceFor(path) == null) {
                        missing.add(page + " -> " + m.group(1));
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(8);
        assertThat(missing).isEmpty();
    }

    @Test
    void everyModuleImportResolvesAndOnlyImportMapNamesAreBare() throws IOException {
        Set<String> bare = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (String module : MODULES) {
            String js = read(ROOT + module);
            Matcher m = STATIC_IMPORT.matcher(js);
            while (m.find()) {
                String target = m.group(1);
                if (!target.startsWith(".") && !target.startsWith("/")) {
                    bare.add(target);
                    continue;
                }
                String resolved = URI.create("/" + module).resolve(target).getPath();
                if (resourceFor(resolved) == null) {
                    missing.add(module + " -> " + target);
                }
            }
        }
        assertThat(missing).isEmpty();
        assertThat(bare).containsOnly("uplot");
        assertThat(read(ROOT + "index.html")).contains("\"uplot\": \"/webjars/uplot/");
    }

    @Test
    void everyModuleOfTheSdkAndPagesIsInTheJar() {
        for (String module : MODULES) {
            assertThat(getClass().getClassLoader().getResource(ROOT + module)).as(module).isNotNull();
        }
    }

    private static String resourceFor(String path) {
        String name = path.startsWith("/webjars/")
                ? "META-INF/resources" + path
                : ROOT + path.substring(1);
        return WebResourcesTest.class.getClassLoader().getResource(name) == null ? null : name;
    }

    private static String read(String name) throws IOException {
        try (InputStream in = WebResourcesTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
