package org.transplant.backup;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transplant.testing.Chromium;

/**
 * The owner of a backup opens its index.html from the file system in Chromium, with no server: the posts show, a
 * photo in the folder loads under the page's content security policy, and the policy blocks nothing of the page's own.
 */
class OfflineViewerInBrowserTest {

    @TempDir
    Path folder;

    @Test
    void theIndexOpensFromTheFileSystemWithItsPhotos() throws Exception {
        ObjectNode withPhoto =
                OfflineViewerTest.post("post-browser-00001", "2026-02-01T10:00:00Z", "a day at the lake");
        withPhoto.putArray("photos").add("photo-browser-0001").add("photo-absent-00001");
        ObjectNode older = OfflineViewerTest.post("post-browser-00002", "2026-01-01T10:00:00Z", "<b>not bold</b>");
        Files.writeString(folder.resolve("posts.ndjson"), withPhoto + "\n" + older + "\n");
        Files.writeString(
                folder.resolve("photos.ndjson"),
                OfflineViewerTest.photo("photo-browser-0001", "the lake")
                                .put("width", 160)
                                .put("height", 90) + "\n");
        Files.createDirectories(folder.resolve("photos"));
        BufferedImage image = new BufferedImage(160, 90, BufferedImage.TYPE_INT_RGB);
        Graphics2D paint = image.createGraphics();
        paint.setColor(new Color(0x3a7bd5));
        paint.fillRect(0, 0, 160, 90);
        paint.dispose();
        ImageIO.write(image, "png", folder.resolve("photos/photo-browser-0001").toFile());

        Files.writeString(folder.resolve("account.json"), """
                {"handle": "ann@old.example", "profile": {"firstName": "Ann", "lastName": "Example", "bio": "Walks.\\nSwims."},
                 "snapshotAt": "2026-03-01T09:00:00Z"}
                """);

        Path index = OfflineViewer.write(folder);

        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            List<String> console = new CopyOnWriteArrayList<>();
            page.onConsoleMessage(message -> console.add(message.text()));
            page.navigate(index.toUri().toString());

            assertThat(page.locator("article.post")).hasCount(2);
            assertThat(page.locator("article.post").first()).containsText("a day at the lake");
            assertThat(page.locator("article.post").nth(1)).containsText("<b>not bold</b>");
            assertThat(page.locator(".photo-missing")).containsText("photo not in the backup");
            Locator photo = page.locator("img[alt='the lake']");
            photo.scrollIntoViewIfNeeded();
            page.waitForFunction("img => img.complete", photo.elementHandle());
            assertThat((Integer) photo.evaluate("img => img.naturalWidth")).isEqualTo(160);
            assertThat(console).noneMatch(text -> text.contains("Content Security Policy"));

            Path screenshot = Path.of("target", "screenshots", "offline-viewer.png");
            Files.createDirectories(screenshot.getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(screenshot).setFullPage(true));
        }
    }
}
