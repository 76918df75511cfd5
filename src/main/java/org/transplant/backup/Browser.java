package org.transplant.backup;

import java.io.IOException;
import java.util.List;

/** Opens a URL in the person's browser where there is one; where there is none the printed URL is enough. */
final class Browser {

    private Browser() {}

    static void open(String url) {
        String os = System.getProperty("os.name", "").toLowerCase();
        List<String> command;
        if (os.contains("mac")) {
            command = List.of("open", url);
        } else if (os.contains("win")) {
            command = List.of("rundll32", "url.dll,FileProtocolHandler", url);
        } else if (System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null) {
            command = List.of("xdg-open", url);
        } else {
            return;
        }
        try {
            new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            // No opener: the person opens the printed URL.
        }
    }
}
