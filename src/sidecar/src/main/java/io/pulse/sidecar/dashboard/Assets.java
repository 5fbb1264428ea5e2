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
    /** Served by {@link DashboardLogin} alone, when the dashboard has a token. */
    static final String LOGIN_PAGE = "login.html";

    static final String LOGIN_ERROR = "<!--error-->";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    private final Map<String, Asset> assets;
    private final byte[] loginPage;

    private Assets(Map<String, Asset> assets, byte[] loginPage) {
        this.assets = assets;
        this.loginPage = loginPage;
    }

    /** @throws IllegalStateException if a file is missing from the class path (a broken build) */
    static Assets load() {
        Map<String, Asset> loaded = new java.util.HashMap<>();
        FILES.forEach((path, file) ->
                loaded.put(path, new Asset(TYPES.get(file.substring(file.lastIndexOf('.') + 1)), read(file))));
        return new Assets(Map.copyOf(loaded), read(LOGIN_PAGE));
    }

    private static byte[] read(String file) {
        try (InputStream in = Assets.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("dashboard asset " + file + " missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard asset " + file, e);
        }
    }

    /** The login form ({@link DashboardLogin}), with {@value #LOGIN_ERROR} where a refusal says why. */
    byte[] loginPage() {
        return loginPage.clone();
    }

    boolean has(String path) {
        return assets.containsKey(path);
    }

    Asset get(String path) {
        return assets.get(path);
    }
}
