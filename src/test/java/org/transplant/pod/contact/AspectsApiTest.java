package org.transplant.pod.contact;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.transplant.testing.PodClient.as;
import static org.transplant.testing.PodClient.signedIn;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PostgresResource;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class AspectsApiTest {

    @Test
    void newAccountHasTheDefaultAspectsAndCanAddOne() {
        String ann = signedIn("as_ann");
        as(ann).get("/api/v1/aspects")
                .then()
                .statusCode(200)
                .body("name", contains("Family", "Friends", "Work", "Acquaintances"));
        as(ann).body(Map.of("name", "  Climbing "))
                .post("/api/v1/aspects")
                .then()
                .statusCode(201)
                .body("name", equalTo("Climbing"))
                .body("members", equalTo(0));
        as(ann).get("/api/v1/aspects")
                .then()
                .body("name", contains("Family", "Friends", "Work", "Acquaintances", "Climbing"));
    }

    @Test
    void takenOrBadNamesAreRefused() {
        String ben = signedIn("as_ben");
        as(ben).body(Map.of("name", "Work"))
                .post("/api/v1/aspects")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", containsString("aspect-taken"));
        as(ben).body(Map.of("name", " "))
                .post("/api/v1/aspects")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("name"));
        as(ben).body(Map.of("name", "x".repeat(65)))
                .post("/api/v1/aspects")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("name"));
        as(ben).get("/api/v1/aspects").then().body("size()", equalTo(4));
    }

    @Test
    void contactsMoveBetweenAspects() {
        String cat = signedIn("as_cat");
        as(cat).body(Map.of("name", "Band")).post("/api/v1/aspects").then().statusCode(201);
        as(cat).body(Map.of("handle", "drummer@pod.example", "aspects", List.of("Friends")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);

        as(cat).body(Map.of("aspects", List.of("Band", "Work")))
                .put("/api/v1/contacts/drummer@pod.example/aspects")
                .then()
                .statusCode(200)
                .body("aspects", contains("Band", "Work"));
        as(cat).get("/api/v1/aspects")
                .then()
                .body("find { it.name == 'Band' }.members", equalTo(1))
                .body("find { it.name == 'Friends' }.members", equalTo(0));

        as(cat).body(Map.of("aspects", List.of("Nope")))
                .put("/api/v1/contacts/drummer@pod.example/aspects")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("aspects"));
        as(cat).body(Map.of("aspects", List.of("Work")))
                .put("/api/v1/contacts/stranger@pod.example/aspects")
                .then()
                .statusCode(404);
        as(cat).get("/api/v1/contacts/drummer@pod.example").then().body("aspects", contains("Band", "Work"));
    }

    @Test
    void aspectsAreEachAccountsOwn() {
        String dan = signedIn("as_dan");
        String eve = signedIn("as_eve");
        as(dan).body(Map.of("name", "Secret club"))
                .post("/api/v1/aspects")
                .then()
                .statusCode(201);
        as(eve).get("/api/v1/aspects").then().body("size()", equalTo(4));
        as(eve).body(Map.of("name", "Secret club"))
                .post("/api/v1/aspects")
                .then()
                .statusCode(201);
        given().get("/api/v1/aspects").then().statusCode(401).contentType("application/problem+json");
    }
}
