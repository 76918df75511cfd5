package org.transplant.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PostgresResource;

/**
 * A request may read less than the pod's cap: an answer that is small when it is what it should be (an hCard page)
 * is cut off at its own cap, so that many look-ups at once cannot hold the heap with large answers.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class PodRequestCapTest {

    @Inject
    PodHttp http;

    @Test
    void anAnswerOverTheRequestsOwnCapIsRefused() throws Exception {
        try (FakeServer server = new FakeServer(
                "127.0.0.1", exchange -> FakeServer.answer(exchange, 200, "text/html", "x".repeat(5000)))) {
            assertThat(http.request(HttpMethod.GET, server.url() + "/page")
                            .send()
                            .await()
                            .atMost(Duration.ofSeconds(30))
                            .body()
                            .length())
                    .isEqualTo(5000);
            assertThatThrownBy(() -> http.request(HttpMethod.GET, server.url() + "/page")
                            .send(1000)
                            .await()
                            .atMost(Duration.ofSeconds(30)))
                    .isInstanceOf(OutboundRefused.TooLarge.class);
        }
    }
}
