package org.transplant.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.transplant.pod.crypto.KeyPairs;

/** The key of a diaspora* hCard (the anchors' real-shaped page), and pages that hold none. */
class HCardClientTest {

    @Test
    void theKeyOfADiasporaHCardIsRead() throws Exception {
        String page = Files.readString(Path.of("src/test/resources/diaspora/hcard.example.html"));
        String key = HCardClient.keyIn(page);
        assertThat(key)
                .startsWith("-----BEGIN PUBLIC KEY-----\nMIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEArxic3b0VuKA");
        assertThat(KeyPairs.parsePublicKey(key).getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void hostilePagesHoldNoKey() {
        // Pages that made the former pattern backtrack for minutes: a key element never closed, classes never closed.
        String page = "<a class=\"x\" ".repeat(20_000) + "<pre class=\"key\">" + "A".repeat(100_000);
        assertThat(HCardClient.keyIn(page)).isNull();
        assertThat(HCardClient.keyIn("<p class=\"".repeat(60_000))).isNull();
        // Beyond the part of a page that is read, a key is not looked for.
        assertThat(HCardClient.keyIn(
                        " ".repeat(HCardClient.MAX_PAGE) + "<pre class=\"key\">-----BEGIN PUBLIC KEY-----<"))
                .isNull();
    }

    @Test
    void aPageWithoutAKeyElementHoldsNone() {
        assertThat(HCardClient.keyIn("<html><body><span class=\"fn\">Alice</span></body></html>"))
                .isNull();
        assertThat(HCardClient.keyIn("<pre class=\"key\">not a key</pre>")).isNull();
        assertThat(HCardClient.keyIn("<pre class=\"keys\">-----BEGIN PUBLIC KEY-----</pre>"))
                .isNull();
        assertThat(HCardClient.keyIn(null)).isNull();
    }
}
