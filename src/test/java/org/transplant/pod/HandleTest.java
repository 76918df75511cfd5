package org.transplant.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.transplant.web.ProblemException;

/** The hand-written checks of handles and guids accept exactly what the regular expressions they replace accept. */
class HandleTest {

    private static final Pattern USER = Pattern.compile("[a-z0-9_.\\-]{1,64}");
    private static final Pattern HOST = Pattern.compile(
            "(?=.{1,253}(:|$))[a-z0-9]([a-z0-9\\-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9\\-]{0,61}[a-z0-9])?)*(:\\d{1,5})?");
    private static final Pattern GUID = Pattern.compile("[0-9a-zA-Z_\\-]{16,64}");

    @Test
    void edgesAgreeWithTheExpressions() {
        String label63 = "a".repeat(63);
        List<String> hosts = List.of(
                "pod.example",
                "localhost:8080",
                "a",
                "a-b.c",
                "-a.b",
                "a-.b",
                "a..b",
                "a.b.",
                ".a",
                "a:",
                "a:123456",
                "a:12345",
                "a:1x",
                ":80",
                label63 + ".b",
                label63 + "a.b",
                (label63 + ".").repeat(3) + "a".repeat(61),
                (label63 + ".").repeat(3) + "a".repeat(62),
                (label63 + ".").repeat(3) + "a".repeat(61) + ":443",
                "xn--bcher-kva.example",
                "1.2.3.4",
                "a_b.c",
                "a b",
                "a\n",
                "");
        for (String host : hosts) {
            assertThat(Handle.isHost(host))
                    .as(host)
                    .isEqualTo(HOST.matcher(host).matches());
        }
        for (String user : List.of("alice", "a.b-c_d", "", "a".repeat(64), "a".repeat(65), "al ice", "al+ice")) {
            assertThat(Handle.isUser(user))
                    .as(user)
                    .isEqualTo(USER.matcher(user).matches());
        }
    }

    @Test
    void randomTextsAgreeWithTheExpressions() {
        Random random = new Random(17);
        String alphabet = "ab9-._:Z \u00e9";
        for (int n = 0; n < 200_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(random.nextInt(10) == 0 ? 300 : 24);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = text.toString();
            assertThat(Handle.isHost(s)).as(s).isEqualTo(HOST.matcher(s).matches());
            assertThat(Handle.isUser(s)).as(s).isEqualTo(USER.matcher(s).matches());
            assertThat(Guids.isValid(s)).as(s).isEqualTo(GUID.matcher(s).matches());
        }
    }

    @Test
    void parseNormalisesAndRefuses() {
        assertThat(Handle.parse("h", " acct:Alice@Pod.Example:8443 ").toString())
                .isEqualTo("alice@pod.example:8443");
        assertThatThrownBy(() -> Handle.parse("h", "alice@-pod.example")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> Handle.parse("h", "a@b@c")).isInstanceOf(ProblemException.class);
    }
}
