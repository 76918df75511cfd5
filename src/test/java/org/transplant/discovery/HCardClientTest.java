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
    void aPageWithoutAKeyElementHoldsNone() {
        assertThat(HCardClient.keyIn("<html><body><span class=\"fn\">Alice</span></body></html>"))
                .isNull();
        assertThat(HCardClient.keyIn("<pre class=\"key\">not a key</pre>")).isNull();
        assertThat(HCardClient.keyIn("<pre class=\"keys\">-----BEGIN PUBLIC KEY-----</pre>"))
                .isNull();
        assertThat(HCardClient.keyIn(null)).isNull();
    }
}
