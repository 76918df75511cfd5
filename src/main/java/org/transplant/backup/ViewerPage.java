package org.transplant.backup;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * One page of the offline viewer: the head (no script may run, nothing is fetched from the network, the style is
 * inline), the nav, then the body the caller writes. The page is written beside its name and moved over it, so a
 * reader never sees half a page, and a link planted under that name is replaced, not followed.
 */
final class ViewerPage {

    interface Body {
        void write(ViewerHtml html) throws IOException;
    }

    // The photos are files beside the page: 'self' covers them in Chromium; file: is for browsers that give a page
    // from the file system an opaque origin, which 'self' never matches.
    private static final String POLICY =
            "default-src 'none'; img-src 'self' file:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 1rem; color: #222; }
            nav { display: flex; gap: 1rem; padding: .5rem 0; border-bottom: 1px solid #ccc; margin-bottom: 1rem; }
            .text { white-space: pre-wrap; overflow-wrap: anywhere; }
            .meta { color: #666; font-size: .9rem; margin: .25rem 0; }
            article { border-bottom: 1px solid #ddd; padding: .75rem 0; }
            article.deleted, li.deleted { background: #fff4f4; }
            .deleted-mark { color: #a00; font-weight: bold; }
            .photo-missing { border: 1px dashed #999; padding: 1rem; color: #666; display: inline-block; }
            figure { margin: .5rem 0; }
            img { max-width: 100%; height: auto; }
            .comments { margin: .5rem 0 0 1rem; padding-left: .75rem; border-left: 3px solid #eee; list-style: none; }
            .paging { display: flex; justify-content: space-between; margin: 1rem 0; }
            table { border-collapse: collapse; width: 100%; }
            td, th { border-bottom: 1px solid #ddd; padding: .3rem; text-align: left; vertical-align: top; }
            """;

    private ViewerPage() {}

    static void write(Path file, String title, Body body) throws IOException {
        Path draft = Files.createTempFile(file.toAbsolutePath().getParent(), ".viewer-", ".html");
        try {
            try (BufferedWriter out =
                    new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(draft), StandardCharsets.UTF_8))) {
                ViewerHtml html = new ViewerHtml(out);
                html.markup("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                        .markup("<meta http-equiv=\"Content-Security-Policy\" content=\"" + POLICY + "\">\n")
                        .markup("<meta name=\"referrer\" content=\"no-referrer\">\n")
                        .markup("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                        .markup("<title>")
                        .text(title)
                        .markup("</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n")
                        .markup("<nav><a href=\"index.html\">Posts</a> <a href=\"conversations.html\">Conversations</a>"
                                + " <a href=\"contacts.html\">Contacts</a></nav>\n<main>\n");
                body.write(html);
                html.markup("</main>\n</body>\n</html>\n");
            }
            Files.move(draft, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(draft);
        }
    }
}
