package io.turnout.controlplane.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless chromium driven through its chromedriver, both at fixed paths (system
 * properties {@code turnout.chromium} and {@code turnout.chromedriver} override), so Selenium
 * Manager never looks for or downloads a browser. A missing browser fails the test, loudly: CI
 * installs it ({@code .ci/run}). Screenshots go to {@code target/screenshots/}.
 */
final class Browser implements AutoCloseable {

  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriverService service, ChromeDriver driver, Path profile) {
    this.service = service;
    this.driver = driver;
    this.profile = profile;
  }

  static Browser start() {
    File chromium = new File(System.getProperty("turnout.chromium", "/usr/bin/chromium"));
    File chromedriver = new File(System.getProperty("turnout.chromedriver", "/usr/bin/chromedriver"));
    assertTrue(chromium.canExecute() && chromedriver.canExecute(), "the console's browser tests need Debian's "
        + "chromium and chromium-driver at " + chromium + " and " + chromedriver
        + ": apt-get install -y chromium chromium-driver (.ci/run does)");
    try {
      Path profile = Files.createTempDirectory("turnout-chromium");
      ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
          .usingAnyFreePort().build();
      ChromeOptions options = new ChromeOptions();
      options.setBinary(chromium);
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
          "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1366,820");
      return new Browser(service, new ChromeDriver(service, options), profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  WebDriverWait waiting() {
    // The pages re-render on every pushed event: an element found a moment ago may be replaced.
    return (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(15))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
  }

  WebElement visible(By by) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  /** Writes {@code target/screenshots/<name>.png} and returns its path. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
    service.stop();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary profile left behind is harmless
    }
  }
}
