package io.pulse.sidecar.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium with the machine's chromedriver (Debian packages {@code chromium},
 * {@code chromium-driver}), for the dashboard's browser tests and benchmark.
 *
 * <pre>{@code
 * Assumptions.assumeTrue(Browser.available(), Browser.MISSING);
 * try (Browser browser = Browser.start()) { browser.driver().get(url); }
 * }</pre>
 */
final class Browser implements AutoCloseable {
    static final String MISSING = "chromium and chromedriver are not installed (apt-get install -y chromium "
            + "chromium-driver; .ci/run does it): the dashboard's browser test is skipped";

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    static boolean available() {
        return find("chromium", "chromium-browser", "google-chrome").isPresent()
                && find("chromedriver").isPresent();
    }

    static Browser start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(find("chromium", "chromium-browser", "google-chrome")
                .orElseThrow()
                .toString());
        // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1440,1000",
                "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(find("chromedriver").orElseThrow().toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new Browser(driver);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Saves what the page shows as a PNG, for a reviewer. */
    Path screenshot(Path file) throws java.io.IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    private static Optional<Path> find(String... names) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(names)
                .flatMap(name ->
                        Stream.of(path.split(java.io.File.pathSeparator)).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
