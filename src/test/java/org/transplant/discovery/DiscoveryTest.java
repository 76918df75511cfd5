package org.transplant.discovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;
import org.transplant.testing.Until;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class DiscoveryTest {

    @Test
    void webFingerDescribesALocalPersonWithTheirKey() {
        PodClient.createAccount("wendy");
        String publicKey = given().get("/.well-known/webfinger?resource=acct:wendy@localhost:8081")
                .then()
                .statusCode(200)
                .contentType("application/jrd+json")
                .header("Access-Control-Allow-Origin", "*")
                .body("subject", equalTo("acct:wendy@localhost:8081"))
                .body("links.rel", hasItem("http://webfinger.net/rel/profile-page"))
                .body(
                        "links.find { it.rel == 'http://openid.net/specs/connect/1.0/issuer' }.href",
                        equalTo("http://localhost:8081"))
                .body(
                        "links.find { it.rel == 'http://webfinger.net/rel/profile-page' }.href",
                        equalTo("http://localhost:8081/u/wendy"))
                .extract()
                .path("properties.'https://transplant.social/ns#publicKeyPem'");
        KeyPairs.parsePublicKey(publicKey);
        String legacy = given().get("/.well-known/webfinger?resource=acct:wendy@localhost:8081")
                .then()
                .extract()
                .path("links.find { it.rel == 'diaspora-public-key' }.href");
        Assertions.assertThat(new String(Base64.getDecoder().decode(legacy), StandardCharsets.UTF_8))
                .isEqualTo(publicKey);

        String hcard = given().get("/.well-known/webfinger?resource=http://localhost:8081/u/wendy")
                .then()
                .statusCode(200)
                .extract()
                .path("links.find { it.rel == 'http://microformats.org/profile/hcard' }.href");
        given().get(hcard.replace("http://localhost:8081", ""))
                .then()
                .statusCode(200)
                .body(containsString("BEGIN PUBLIC KEY"))
                .body(containsString("class=\"nickname\">wendy"));
        given().get(
                        "/.well-known/webfinger?resource=acct:wendy@localhost:8081&rel=http://webfinger.net/rel/profile-page")
                .then()
                .body("links.rel", equalTo(List.of("http://webfinger.net/rel/profile-page")));
    }

    @Test
    void webFingerRefusesUnknownForeignAndMalformedResources() {
        given().get("/.well-known/webfinger?resource=acct:nobody@localhost:8081")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().get("/.well-known/webfinger?resource=acct:wendy@elsewhere.example")
                .then()
                .statusCode(404);
        given().get("/.well-known/webfinger?resource=not-a-handle")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().get("/.well-known/webfinger").then().statusCode(400);
    }

    @Test
    void nodeInfoAndHostMetaPointTheWay() {
        String href = given().get("/.well-known/nodeinfo")
                .then()
                .statusCode(200)
                .body("links[0].rel", equalTo("http://nodeinfo.diaspora.software/ns/schema/2.1"))
                .extract()
                .path("links[0].href");
        String nodeInfo = href.replace("http://localhost:8081", "");
        int users = given().get(nodeInfo)
                .then()
                .statusCode(200)
                .body("version", equalTo("2.1"))
                .body("software.name", equalTo("transplant"))
                .body("protocols", hasItem("diaspora"))
                .extract()
                .path("usage.users.total");
        int posts = given().get(nodeInfo).then().extract().path("usage.localPosts");
        // One more person and one more post here: the counts follow (other test classes' rows come and go only
        // between classes, never during this one).
        PodClient.as(PodClient.signedIn("nina_nodeinfo"))
                .body(Map.of("text", "counted"))
                .post("/api/v1/posts")
                .then()
                .statusCode(201);
        given().get(nodeInfo)
                .then()
                .statusCode(200)
                .body("usage.users.total", equalTo(users + 1))
                .body("usage.localPosts", equalTo(posts + 1));
        given().get("/.well-known/host-meta")
                .then()
                .statusCode(200)
                .body(containsString("template=\"http://localhost:8081/.well-known/webfinger?resource={uri}\""));
        given().get("/.well-known/host-meta.json").then().statusCode(200).body("links[0].rel", equalTo("lrdd"));
    }

    @Test
    void healthAndMetricsAnswer() throws Exception {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body(containsString("Reactive PostgreSQL"));
        // Requests to /q/ are not counted: this test makes its own application request rather than count on one
        // made by a test that ran before it (methods and classes run in random order). The timer is recorded once
        // the response has ended, so the metric is awaited, not raced.
        given().get("/login").then().statusCode(200);
        String metrics = Until.seen(
                "the request timer in /q/metrics",
                () -> given().get("/q/metrics").then().statusCode(200).extract().asString(),
                body -> body.contains("http_server_requests"));
        Assertions.assertThat(metrics).contains("uri=\"/login\"");
    }
}
