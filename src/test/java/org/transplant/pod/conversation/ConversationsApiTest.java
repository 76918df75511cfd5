package org.transplant.pod.conversation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.transplant.testing.PodClient.as;
import static org.transplant.testing.PodClient.handle;
import static org.transplant.testing.PodClient.signedIn;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PostgresResource;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ConversationsApiTest {

    private static void follow(String session, String handle) {
        as(session)
                .body(Map.of("handle", handle))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);
    }

    private static String start(String session, String subject, String... participants) {
        return as(session)
                .body(Map.of("subject", subject, "text", "Hello", "participants", List.of(participants)))
                .post("/api/v1/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
    }

    @Test
    void startingAConversationShowsItToEveryLocalParticipant() {
        String ann = signedIn("cv_ann1");
        String ben = signedIn("cv_ben1");
        follow(ann, handle("cv_ben1"));
        follow(ann, "remote@pod.example");

        String guid = as(ann).body(Map.of(
                        "subject",
                        " Saturday ",
                        "text",
                        "Climbing?",
                        "participants",
                        List.of(handle("cv_ben1"), "remote@pod.example")))
                .post("/api/v1/conversations")
                .then()
                .statusCode(201)
                .header("Location", containsString("/api/v1/conversations/"))
                .body("subject", equalTo("Saturday"))
                .body("author", equalTo(handle("cv_ann1")))
                .body("participants", containsInAnyOrder(handle("cv_ann1"), handle("cv_ben1"), "remote@pod.example"))
                .body("messages", hasSize(1))
                .body("messages[0].text", equalTo("Climbing?"))
                .body("messages[0].author", equalTo(handle("cv_ann1")))
                .extract()
                .path("guid");

        as(ben).get("/api/v1/conversations")
                .then()
                .statusCode(200)
                .body("items.guid", contains(guid))
                .body("items[0].messages", equalTo(1));
        as(ben).get("/api/v1/conversations/" + guid)
                .then()
                .statusCode(200)
                .body("subject", equalTo("Saturday"))
                .body("messages[0].text", equalTo("Climbing?"));
        as(ben).get("/api/v1/notifications")
                .then()
                .body("items[0].kind", equalTo("message"))
                .body("items[0].actor", equalTo(handle("cv_ann1")))
                .body("items[0].target", equalTo(guid));
        as(ann).get("/api/v1/notifications").then().body("items", empty());
    }

    @Test
    void replyingAddsAMessageAndTellsTheOthers() {
        String ann = signedIn("cv_ann2");
        String ben = signedIn("cv_ben2");
        follow(ann, handle("cv_ben2"));
        String guid = start(ann, "Plans", handle("cv_ben2"));

        as(ben).body(Map.of("text", "Yes!"))
                .post("/api/v1/conversations/" + guid + "/messages")
                .then()
                .statusCode(201)
                .body("author", equalTo(handle("cv_ben2")))
                .body("text", equalTo("Yes!"))
                .body("guid", notNullValue());
        as(ann).get("/api/v1/conversations/" + guid).then().body("messages.text", contains("Hello", "Yes!"));
        as(ann).get("/api/v1/notifications")
                .then()
                .body("items[0].kind", equalTo("message"))
                .body("items[0].actor", equalTo(handle("cv_ben2")));
        as(ben).body(Map.of("text", " "))
                .post("/api/v1/conversations/" + guid + "/messages")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("text"));
    }

    @Test
    void someoneOutsideTheConversationCannotTellItExists() {
        String ann = signedIn("cv_ann3");
        signedIn("cv_ben3");
        String eve = signedIn("cv_eve3");
        follow(ann, handle("cv_ben3"));
        String guid = start(ann, "Private", handle("cv_ben3"));

        String missing = as(eve).get("/api/v1/conversations/0123456789abcdef0123456789abcdef")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .extract()
                .path("type");
        as(eve).get("/api/v1/conversations/" + guid).then().statusCode(404).body("type", equalTo(missing));
        as(eve).body(Map.of("text", "sneaking in"))
                .post("/api/v1/conversations/" + guid + "/messages")
                .then()
                .statusCode(404)
                .body("type", equalTo(missing));
        as(eve).get("/api/v1/conversations").then().body("items", empty());
        as(ann).get("/api/v1/conversations/" + guid).then().body("messages.text", contains("Hello"));
    }

    @Test
    void onlyUnblockedContactsCanBeWrittenTo() {
        String ann = signedIn("cv_ann4");
        signedIn("cv_eve4");
        follow(ann, "blocked@pod.example");
        as(ann).post("/api/v1/contacts/blocked@pod.example/block").then().statusCode(200);

        as(ann).body(Map.of("subject", "Hi", "text", "Hello", "participants", List.of(handle("cv_eve4"))))
                .post("/api/v1/conversations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("participants"))
                .body("errors[0].message", containsString(handle("cv_eve4")));
        as(ann).body(Map.of("subject", "Hi", "text", "Hello", "participants", List.of("blocked@pod.example")))
                .post("/api/v1/conversations")
                .then()
                .statusCode(400)
                .body("errors[0].message", containsString("blocked@pod.example"));
        as(ann).get("/api/v1/conversations").then().body("items", empty());
    }

    @Test
    void badRequestsAreRefusedFieldByField() {
        String ann = signedIn("cv_ann5");
        follow(ann, "friend@pod.example");
        List<String> friend = List.of("friend@pod.example");
        as(ann).body(Map.of("subject", "", "text", "Hello", "participants", friend))
                .post("/api/v1/conversations")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("subject"));
        as(ann).body(Map.of("subject", "s".repeat(256), "text", "Hello", "participants", friend))
                .post("/api/v1/conversations")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("subject"));
        as(ann).body(Map.of("subject", "Hi", "text", "", "participants", friend))
                .post("/api/v1/conversations")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("text"));
        as(ann).body(Map.of("subject", "Hi", "text", "Hello", "participants", List.of()))
                .post("/api/v1/conversations")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("participants"));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            many.add("p" + i + "@pod.example");
        }
        as(ann).body(Map.of("subject", "Hi", "text", "Hello", "participants", many))
                .post("/api/v1/conversations")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("participants"));
        as(ann).body(Map.of("subject", "Hi", "text", "Hello", "participants", List.of("no handle")))
                .post("/api/v1/conversations")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("participants"));
        as(ann).body(Map.of("subject", "Hi", "text", "Hello", "participants", List.of(handle("cv_ann5"))))
                .post("/api/v1/conversations")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("participants"));
        as(ann).body("{\"subject\": [")
                .post("/api/v1/conversations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", containsString("malformed-json"));
        as(ann).get("/api/v1/conversations").then().body("items", empty());
    }

    @Test
    void conversationsArePagedNewestFirst() {
        String ann = signedIn("cv_ann6");
        follow(ann, "friend@pod.example");
        start(ann, "first", "friend@pod.example");
        start(ann, "second", "friend@pod.example");
        start(ann, "third", "friend@pod.example");

        String next = as(ann).get("/api/v1/conversations?limit=2")
                .then()
                .statusCode(200)
                .body("items.subject", contains("third", "second"))
                .body("next", notNullValue())
                .extract()
                .path("next");
        as(ann).queryParam("cursor", next)
                .queryParam("limit", 2)
                .get("/api/v1/conversations")
                .then()
                .body("items.subject", contains("first"))
                .body("next", nullValue());
        as(ann).get("/api/v1/conversations?cursor=garbage").then().statusCode(400);
    }

    @Test
    void conversationsNeedASession() {
        given().get("/api/v1/conversations").then().statusCode(401).contentType("application/problem+json");
        given().contentType("application/json")
                .body(Map.of("text", "x"))
                .post("/api/v1/conversations/0123456789abcdef0123456789abcdef/messages")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }
}
