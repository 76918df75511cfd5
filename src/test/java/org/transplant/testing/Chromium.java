package org.transplant.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's Chromium, headless, driven by Playwright (which never downloads a browser here:
 * PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1). {@code scripts/ensure-test-tools.sh} installs it before the tests run.
 */
public final class Chromium implements AutoCloseable {

    private static final Path EXECUTABLE = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static Chromium launch() {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException(EXECUTABLE + " is missing: run scripts/ensure-test-tools.sh");
        }
        PlaywrightAssertions.setDefaultAssertionTimeout(Until.PATIENCE.toMillis());
        Playwright playwright = Playwright.create();
        Browser browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(EXECUTABLE)
                        .setHeadless(true)
                        .setArgs(List.of(
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--disable-dev-shm-usage")));
        return new Chromium(playwright, browser);
    }

    public Browser browser() {
        return browser;
    }

    /**
     * A fresh context whose waits (clicks, navigations, selectors, assertions) last {@link Until#PATIENCE}: on a
     * loaded machine a page is slow, not broken, and Playwright's 30 s would fail the test for the machine's speed.
     */
    public BrowserContext newContext() {
        BrowserContext context = browser.newContext();
        context.setDefaultTimeout(Until.PATIENCE.toMillis());
        context.setDefaultNavigationTimeout(Until.PATIENCE.toMillis());
        return context;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
