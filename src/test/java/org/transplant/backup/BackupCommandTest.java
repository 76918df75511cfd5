package org.transplant.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What the command line refuses before anything is sent, and how Retry-After is read. */
class BackupCommandTest {

    @Test
    void aPodIsReachedOverHttpsAndOverPlainHttpOnlyOnThisMachine() {
        assertThat(BackupCommand.podUrl("pod.example").toString()).isEqualTo("https://pod.example");
        assertThat(BackupCommand.podUrl("https://pod.example/some/page").toString())
                .isEqualTo("https://pod.example");
        assertThat(BackupCommand.podUrl("http://127.0.0.1:8080").toString()).isEqualTo("http://127.0.0.1:8080");
        assertThat(BackupCommand.podUrl("http://localhost:8080").toString()).isEqualTo("http://localhost:8080");
        assertThatThrownBy(() -> BackupCommand.podUrl("http://pod.example"))
                .isInstanceOf(BackupFailure.class)
                .hasMessageContaining("https");
        // A name that merely starts like a loopback address is not one.
        assertThatThrownBy(() -> BackupCommand.podUrl("http://127.0.0.1.pod.example"))
                .isInstanceOf(BackupFailure.class);
        assertThatThrownBy(() -> BackupCommand.podUrl("ftp://pod.example")).isInstanceOf(BackupFailure.class);
    }

    @Test
    void optionsAreCheckedBeforeAnythingHappens() {
        assertThatThrownBy(
                        () -> BackupCommand.run(new String[] {"init", "https://pod.example", "--since", "2024-13-01"}))
                .isInstanceOf(BackupFailure.class)
                .hasMessageContaining("YYYY-MM-DD")
                .extracting(e -> ((BackupFailure) e).kind())
                .isEqualTo(BackupFailure.Kind.USAGE);
        assertThatThrownBy(() -> BackupCommand.run(
                        new String[] {"init", "https://pod.example", "--since", "2025-01-02", "--until", "2025-01-01"}))
                .hasMessageContaining("--since must not be after --until");
        assertThatThrownBy(() -> BackupCommand.run(new String[] {"pull", "--page-size", "5000"}))
                .hasMessageContaining("1 to 1000");
        assertThatThrownBy(() -> BackupCommand.run(new String[] {"pull", "https://pod.example"}))
                .hasMessageContaining("Unknown option");
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        assertThat(PodApi.retryAfterSeconds("7")).isEqualTo(7);
        assertThat(PodApi.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT")).isZero();
        assertThat(PodApi.retryAfterSeconds("soon")).isNull();
    }

    @Test
    void whatAPodSaysCannotRewriteTheTerminal() {
        assertThat(Words.cut("bad\u001b[2Jnews\r\n", 100)).isEqualTo("bad?[2Jnews??");
        assertThat(Words.cut("x".repeat(300), 10)).hasSize(11);
        assertThat(Words.cut("osc\u009d8;;x\u009c and \u202eevil", 100)).isEqualTo("osc?8;;x? and ?evil");
    }
}
