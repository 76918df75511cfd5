package org.transplant.pod.contact;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.transplant.testing.PodClient.as;
import static org.transplant.testing.PodClient.handle;
import static org.transplant.testing.PodClient.signedIn;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PostgresResource;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ContactsApiTest {

    @Test
    void followingALocalPersonMakesYouTheirFollowerAndTellsThem() {
        String alice = signedIn("ct_alice1");
        String bob = signedIn("ct_bob1");
        as(bob).body(Map.of("handle", handle("ct_alice1"), "aspects", List.of("Friends")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201)
                .body("handle", equalTo(handle("ct_alice1")))
                .body("displayName", equalTo("ct_alice1"))
                .body("following", equalTo(true))
                .body("follower", equalTo(false))
                .body("blocked", equalTo(false))
                .body("aspects", contains("Friends"));
        as(bob).get("/api/v1/contacts?filter=following")
                .then()
                .statusCode(200)
                .body("items.handle", contains(handle("ct_alice1")))
                .body("next", nullValue());
        as(alice)
                .get("/api/v1/contacts?filter=followers")
                .then()
                .statusCode(200)
                .body("items.handle", contains(handle("ct_bob1")))
                .body("items[0].follower", equalTo(true))
                .body("items[0].following", equalTo(false))
                .body("items[0].aspects", empty());
        as(alice).get("/api/v1/contacts?filter=following").then().body("items", empty());
        as(alice)
                .get("/api/v1/notifications")
                .then()
                .statusCode(200)
                .body("items[0].kind", equalTo("started_sharing"))
                .body("items[0].actor", equalTo(handle("ct_bob1")));
    }

    @Test
    void followingAgainUpdatesTheAspectsAndAnswers200() {
        signedIn("ct_alice2");
        String bob = signedIn("ct_bob2");
        String alice = handle("ct_alice2");
        as(bob).body(Map.of("handle", alice, "aspects", List.of("Friends")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);
        as(bob).body(Map.of("handle", "ACCT:" + alice.toUpperCase(Locale.ROOT), "aspects", List.of("Work", "Family")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(200)
                .body("handle", equalTo(alice))
                .body("aspects", contains("Family", "Work"));
        as(bob).get("/api/v1/aspects")
                .then()
                .statusCode(200)
                .body("find { it.name == 'Friends' }.members", equalTo(0))
                .body("find { it.name == 'Work' }.members", equalTo(1));
        // Without aspects a repeat follow leaves them as they are.
        as(bob).body(Map.of("handle", alice))
                .post("/api/v1/contacts")
                .then()
                .statusCode(200)
                .body("aspects", contains("Family", "Work"));
    }

    @Test
    void anotherPodsHandleIsStoredAsGiven() {
        String bob = signedIn("ct_bob3");
        as(bob).body(Map.of("handle", "carol@pod.example"))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201)
                .body("handle", equalTo("carol@pod.example"))
                .body("displayName", equalTo("carol"))
                .body("aspects", empty());
        as(bob).get("/api/v1/contacts/carol@pod.example").then().statusCode(200).body("following", equalTo(true));
    }

    @Test
    void malformedHandleIsRefused() {
        String bob = signedIn("ct_bob4");
        as(bob).body(Map.of("handle", "not a handle"))
                .post("/api/v1/contacts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("handle"));
        as(bob).body(Map.of("aspects", List.of()))
                .post("/api/v1/contacts")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("handle"));
        as(bob).get("/api/v1/contacts").then().body("items", empty());
    }

    @Test
    void followingYourselfIsRefused() {
        String bob = signedIn("ct_bob5");
        as(bob).body(Map.of("handle", handle("ct_bob5")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("handle"))
                .body("detail", containsString("your own"));
        as(bob).post("/api/v1/contacts/" + handle("ct_bob5") + "/block").then().statusCode(400);
        as(bob).get("/api/v1/contacts").then().body("items", empty());
    }

    @Test
    void unknownAspectIsRefusedAndNothingIsWritten() {
        String alice = signedIn("ct_alice6");
        String bob = signedIn("ct_bob6");
        as(bob).body(Map.of("handle", handle("ct_alice6"), "aspects", List.of("Friends", "Nope")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("aspects"))
                .body("detail", containsString("Nope"));
        as(bob).get("/api/v1/contacts").then().body("items", empty());
        as(alice).get("/api/v1/contacts?filter=followers").then().body("items", empty());
        as(alice).get("/api/v1/notifications").then().body("items", empty());
    }

    @Test
    void missingLocalAccountIsNotFound() {
        String bob = signedIn("ct_bob7");
        as(bob).body(Map.of("handle", handle("ct_nobody")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        as(bob).get("/api/v1/contacts").then().body("items", empty());
    }

    @Inject
    Pool pool;

    /**
     * Blocking and unfollowing are the blocker's own writes: another account that takes no writes now (moving in
     * an import, held for its move) must not stop them, or anyone could make themselves unblockable.
     */
    @Test
    void blockingAnAccountThatTakesNoWritesStillBlocks() throws Throwable {
        String bob = signedIn("ct_dan13");
        signedIn("ct_erin13");
        as(bob).body(Map.of("handle", handle("ct_erin13"), "aspects", List.of("Friends")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);
        VertxContextSupport.subscribeAndAwait(
                () -> pool.preparedQuery("UPDATE accounts SET state = 'MOVING' WHERE username = $1")
                        .execute(Tuple.of("ct_erin13")));

        as(bob).delete("/api/v1/contacts/" + handle("ct_erin13")).then().statusCode(Matchers.lessThan(300));
        as(bob).post("/api/v1/contacts/" + handle("ct_erin13") + "/block")
                .then()
                .statusCode(200)
                .body("blocked", equalTo(true));
        as(bob).get("/api/v1/contacts?filter=blocked").then().body("items.handle", contains(handle("ct_erin13")));
    }

    @Test
    void blockingStopsSharingOnBothSidesUntilUnblocked() {
        String alice = signedIn("ct_alice8");
        String bob = signedIn("ct_bob8");
        as(bob).body(Map.of("handle", handle("ct_alice8"), "aspects", List.of("Friends")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);
        as(alice)
                .body(Map.of("handle", handle("ct_bob8")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);

        as(bob).post("/api/v1/contacts/" + handle("ct_alice8") + "/block")
                .then()
                .statusCode(200)
                .body("blocked", equalTo(true))
                .body("following", equalTo(false))
                .body("follower", equalTo(true))
                .body("aspects", empty());
        as(bob).get("/api/v1/contacts?filter=blocked").then().body("items.handle", contains(handle("ct_alice8")));
        as(bob).get("/api/v1/contacts?filter=following").then().body("items", empty());
        as(alice).get("/api/v1/contacts?filter=followers").then().body("items", empty());
        as(alice)
                .get("/api/v1/contacts/" + handle("ct_bob8"))
                .then()
                .body("following", equalTo(true))
                .body("follower", equalTo(false));
        as(bob).body(Map.of("handle", handle("ct_alice8")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(409)
                .body("type", containsString("contact-blocked"));

        as(bob).delete("/api/v1/contacts/" + handle("ct_alice8") + "/block")
                .then()
                .statusCode(204);
        as(bob).get("/api/v1/contacts?filter=blocked").then().body("items", empty());
        as(bob).get("/api/v1/contacts/" + handle("ct_alice8"))
                .then()
                .statusCode(200)
                .body("blocked", equalTo(false))
                .body("following", equalTo(false));
        as(bob).delete("/api/v1/contacts/" + handle("ct_alice8") + "/block")
                .then()
                .statusCode(404);
    }

    @Test
    void stoppingToShareRemovesTheRowWhenNothingIsLeft() {
        String alice = signedIn("ct_alice9");
        String bob = signedIn("ct_bob9");
        as(bob).body(Map.of("handle", handle("ct_alice9"), "aspects", List.of("Work")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);
        as(bob).body(Map.of("handle", "dave@pod.example"))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);

        as(bob).delete("/api/v1/contacts/" + handle("ct_alice9")).then().statusCode(204);
        as(bob).delete("/api/v1/contacts/dave@pod.example").then().statusCode(204);
        as(bob).get("/api/v1/contacts").then().body("items", empty());
        as(bob).get("/api/v1/contacts/dave@pod.example").then().statusCode(404);
        as(bob).get("/api/v1/aspects").then().body("find { it.name == 'Work' }.members", equalTo(0));
        as(alice).get("/api/v1/contacts").then().body("items", empty());
        as(bob).delete("/api/v1/contacts/dave@pod.example").then().statusCode(404);
    }

    @Test
    void contactsArePagedByHandle() {
        String bob = signedIn("ct_bob10");
        for (String h : List.of("c@pod.example", "a@pod.example", "b@pod.example")) {
            as(bob).body(Map.of("handle", h)).post("/api/v1/contacts").then().statusCode(201);
        }
        String next = as(bob).get("/api/v1/contacts?limit=2")
                .then()
                .statusCode(200)
                .body("items.handle", contains("a@pod.example", "b@pod.example"))
                .body("next", equalTo("b@pod.example"))
                .extract()
                .path("next");
        as(bob).queryParam("after", next)
                .queryParam("limit", 2)
                .get("/api/v1/contacts")
                .then()
                .body("items.handle", contains("c@pod.example"))
                .body("next", nullValue());
        as(bob).get("/api/v1/contacts?filter=friends")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("filter"));
        as(bob).get("/api/v1/contacts?limit=0").then().statusCode(400);
    }

    @Test
    void anotherAccountNeitherSeesNorChangesTheseContacts() {
        String bob = signedIn("ct_bob11");
        String eve = signedIn("ct_eve11");
        as(bob).body(Map.of("handle", "x@pod.example", "aspects", List.of("Family")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201);

        as(eve).get("/api/v1/contacts").then().statusCode(200).body("items", empty());
        as(eve).get("/api/v1/contacts/x@pod.example").then().statusCode(404);
        as(eve).body(Map.of("aspects", List.of("Work")))
                .put("/api/v1/contacts/x@pod.example/aspects")
                .then()
                .statusCode(404);
        as(eve).delete("/api/v1/contacts/x@pod.example").then().statusCode(404);
        as(eve).get("/api/v1/aspects").then().body("find { it.name == 'Family' }.members", equalTo(0));

        as(bob).get("/api/v1/contacts")
                .then()
                .body("items.handle", contains("x@pod.example"))
                .body("items[0].aspects", contains("Family"));
    }

    @Test
    void callsWithoutASessionOrWithBrokenJsonAreProblems() {
        given().get("/api/v1/contacts").then().statusCode(401).contentType("application/problem+json");
        given().contentType("application/json")
                .body("{\"handle\":\"a@b.c\"}")
                .post("/api/v1/contacts")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        String bob = signedIn("ct_bob12");
        as(bob).body("{\"handle\": ")
                .post("/api/v1/contacts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", containsString("malformed-json"));
        as(bob).get("/api/v1/contacts").then().body("items.handle", not(hasItem("a@b.c")));
    }
}
