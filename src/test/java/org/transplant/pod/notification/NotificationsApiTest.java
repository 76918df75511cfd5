package org.transplant.pod.notification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.transplant.testing.PodClient.as;
import static org.transplant.testing.PodClient.handle;
import static org.transplant.testing.PodClient.signedIn;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PostgresResource;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class NotificationsApiTest {

    @Test
    void notificationsComeNewestFirstUntilMarkedRead() {
        String nia = signedIn("nt_nia");
        String ned = signedIn("nt_ned");
        String nora = signedIn("nt_nora");
        as(ned).body(Map.of("handle", handle("nt_nia")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);
        as(nora).body(Map.of("handle", handle("nt_nia")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);

        as(nia).get("/api/v1/notifications")
                .then()
                .statusCode(200)
                .body("items.actor", contains(handle("nt_nora"), handle("nt_ned")))
                .body("items.kind", contains("started_sharing", "started_sharing"))
                .body("items.unread", contains(true, true));
        as(nia).get("/api/v1/notifications?limit=1")
                .then()
                .body("items", hasSize(1))
                .body("items[0].actor", equalTo(handle("nt_nora")));
        as(nia).get("/api/v1/notifications?limit=101").then().statusCode(400).contentType("application/problem+json");

        as(nia).post("/api/v1/notifications/read").then().statusCode(200).body("marked", equalTo(2));
        as(nia).get("/api/v1/notifications").then().body("items.unread", contains(false, false));
        as(nia).post("/api/v1/notifications/read").then().statusCode(200).body("marked", equalTo(0));
    }

    @Test
    void nobodyReadsOrClearsAnothersNotifications() {
        String nan = signedIn("nt_nan");
        String nat = signedIn("nt_nat");
        as(nat).body(Map.of("handle", handle("nt_nan"), "aspects", List.of("Work")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);
        as(nat).get("/api/v1/notifications").then().body("items", empty());
        as(nat).post("/api/v1/notifications/read").then().statusCode(200).body("marked", equalTo(0));
        as(nan).get("/api/v1/notifications").then().body("items.unread", contains(true));
        given().get("/api/v1/notifications").then().statusCode(401).contentType("application/problem+json");
        given().post("/api/v1/notifications/read").then().statusCode(401);
    }
}
