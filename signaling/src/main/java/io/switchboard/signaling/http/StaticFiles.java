package io.switchboard.signaling.http;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files served from one classpath prefix, e.g. {@code io/switchboard/web/}, read once and kept in memory with their
 * content type, a strong ETag and a modification time. A path with a {@code .} or {@code ..} segment, a backslash,
 * a colon or a NUL is refused, so nothing outside the prefix can be reached.
 */
public final class StaticFiles {
    private final ClassLoader classLoader;
    private final String prefix;
    private final String cacheControl;
    private final long fallbackModified;
    private final Map<String, StaticFile> cache = new ConcurrentHashMap<>();

    /** One file, ready to send. */
    public record StaticFile(byte[] body, String contentType, String etag, long lastModifiedMillis, String cacheControl) {
    }

    /** What a lookup found. */
    public sealed interface Lookup {
        /** The file to send. */
        record Found(StaticFile file) implements Lookup {
        }

        /** A directory with an index.html: redirect to {@code location} (the path with a trailing slash). */
        record Redirect(String location) implements Lookup {
        }

        /** Nothing there, or the path is not acceptable. */
        record Missing() implements Lookup {
        }
    }

    /**
     * Files under {@code prefix} (ending in {@code /}) of {@code classLoader}, sent with {@code cacheControl}.
     */
    public StaticFiles(ClassLoader classLoader, String prefix, String cacheControl) {
        if (!prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must end with '/': " + prefix);
        }
        this.classLoader = classLoader;
        this.prefix = prefix;
        this.cacheControl = cacheControl;
        this.fallbackModified = System.currentTimeMillis() / 1000 * 1000;
    }

    /** Looks up the decoded request path {@code relative} (after the mount point, no leading slash). */
    public Lookup lookup(String relative) {
        Optional<String> safe = safeName(relative);
        if (safe.isEmpty()) {
            return new Lookup.Missing();
        }
        String name = safe.get();
        if (name.isEmpty() || name.endsWith("/")) {
            name = name + "index.html";
        }
        StaticFile cached = cache.get(name);
        if (cached != null) {
            return new Lookup.Found(cached);
        }
        URL url = classLoader.getResource(prefix + name);
        if (url == null) {
            return new Lookup.Missing();
        }
        try {
            if (isDirectory(url)) {
                return classLoader.getResource(prefix + name + "/index.html") != null
                        ? new Lookup.Redirect(name.substring(name.lastIndexOf('/') + 1) + "/")
                        : new Lookup.Missing();
            }
            StaticFile file = read(name, url);
            cache.putIfAbsent(name, file);
            return new Lookup.Found(file);
        } catch (IOException | URISyntaxException e) {
            return new Lookup.Missing();
        }
    }

    /** The resource name below the prefix, or empty if the path could leave it. */
    static Optional<String> safeName(String relative) {
        if (relative.indexOf('\\') >= 0 || relative.indexOf('\0') >= 0 || relative.indexOf(':') >= 0
                || relative.startsWith("/")) {
            return Optional.empty();
        }
        String[] segments = relative.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.equals(".") || s.equals("..")) {
                return Optional.empty();
            }
            if (s.isEmpty() && i != segments.length - 1) {
                return Optional.empty();
            }
        }
        return Optional.of(relative);
    }

    private static boolean isDirectory(URL url) throws IOException, URISyntaxException {
        if ("file".equals(url.getProtocol())) {
            return new File(url.toURI()).isDirectory();
        }
        URLConnection connection = url.openConnection();
        if (connection instanceof JarURLConnection) {
            JarURLConnection jar = (JarURLConnection) connection;
            jar.setUseCaches(false);
            return jar.getJarEntry() != null && jar.getJarEntry().isDirectory();
        }
        return false;
    }

    private StaticFile read(String name, URL url) throws IOException {
        URLConnection connection = url.openConnection();
        connection.setUseCaches(false);
        byte[] body;
        try (InputStream in = connection.getInputStream()) {
            body = in.readAllBytes();
        }
        long modified = connection.getLastModified();
        modified = modified > 0 ? modified / 1000 * 1000 : fallbackModified;
        return new StaticFile(body, ContentTypes.of(name), etag(body), modified, cacheControl);
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return '"' + HexFormat.of().formatHex(digest, 0, 16) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
