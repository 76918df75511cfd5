package org.transplant.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodApi;
import org.transplant.testing.PodProcess;

/**
 * Two pods from the packaged jar, side by side, each on its own port, data folder and embedded PostgreSQL: they
 * keep their accounts apart, and what a pod holds survives a clean restart and a SIGKILL.
 */
class TwoPodsIT {

    static PodProcess podA;
    static PodProcess podB;

    @BeforeAll
    static void startPods() throws Exception {
        podA = PodProcess.start("two-pods-a");
        podB = PodProcess.start("two-pods-b");
    }

    @AfterAll
    static void stopPods() throws Exception {
        if (podA != null) {
            podA.close();
        }
        if (podB != null) {
            podB.close();
        }
    }

    @Test
    void podsRunSideBySideAndKeepTheirDataAcrossRestarts() throws Exception {
        PodApi a = PodApi.of(podA);
        PodApi b = PodApi.of(podB);
        a.createAccount("alice");
        b.createAccount("bob");
        String alice = a.logIn("alice");
        String guid = a.as(alice).body(Map.of("text", "Written on pod A")).post("/api/v1/posts")
                .then().statusCode(201).extract().path("guid");

        a.request().get("/.well-known/webfinger?resource=acct:alice@" + podA.host()).then().statusCode(200)
                .body("subject", equalTo("acct:alice@" + podA.host()));
        b.request().get("/.well-known/webfinger?resource=acct:alice@" + podB.host()).then().statusCode(404);
        b.request().get("/posts/" + guid).then().statusCode(404);
        assertThat(podA.dataDir().resolve("postgres/PG_VERSION")).exists();
        assertThat(podB.dataDir().resolve("postgres/PG_VERSION")).exists();

        podA.restart();
        a.request().get("/posts/" + guid).then().statusCode(200).body(containsString("Written on pod A"));
        a.as(alice).get("/api/v1/posts").then().statusCode(200).body("items.guid", equalTo(List.of(guid)));

        podA.killAndRestart();
        a.as(alice).get("/api/v1/posts").then().statusCode(200);
        String again = a.logIn("alice");
        a.as(again).get("/api/v1/posts/" + guid).then().statusCode(200).body("text", equalTo("Written on pod A"));
        b.request().get("/u/bob").then().statusCode(200);
    }
}
