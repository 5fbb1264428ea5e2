package io.pulse.sidecar.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The page's files, read once from the jar ({@code io/pulse/sidecar/dashboard/}); {@code /} is {@code index.html}. */
final class Assets {
    record Asset(String contentType, byte[] bytes) {}

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/app.js", "app.js",
            "/app.css", "app.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    private final Map<String, Asset> assets;

    private Assets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /** @throws IllegalStateException if a file is missing from the class path (a broken build) */
    static Assets load() {
        Map<String, Asset> loaded = new java.util.HashMap<>();
        FILES.forEach((path, file) -> {
            try (InputStream in = Assets.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("dashboard asset " + file + " missing from the class path");
                }
                loaded.put(path, new Asset(TYPES.get(file.substring(file.lastIndexOf('.') + 1)), in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read dashboard asset " + file, e);
            }
        });
        return new Assets(Map.copyOf(loaded));
    }

    boolean has(String path) {
        return assets.containsKey(path);
    }

    Asset get(String path) {
        return assets.get(path);
    }
}
