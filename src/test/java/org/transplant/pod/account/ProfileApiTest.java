package org.transplant.pod.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.transplant.testing.PodClient.as;
import static org.transplant.testing.PodClient.handle;
import static org.transplant.testing.PodClient.signedIn;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PostgresResource;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ProfileApiTest {

    private static Map<String, Object> fullProfile() {
        Map<String, Object> profile = new HashMap<>();
        profile.put("firstName", " Ada ");
        profile.put("lastName", "Lovelace");
        profile.put("bio", "Poetical science");
        profile.put("avatarUrl", "https://img.example/ada.png");
        profile.put("location", "London");
        profile.put("birthday", "1815-12-10");
        profile.put("gender", "woman");
        profile.put("tags", List.of("#math", "engines"));
        profile.put("searchable", false);
        profile.put("nsfw", false);
        profile.put("publicDetails", true);
        return profile;
    }

    @Test
    void newAccountHasAnEmptyProfile() {
        String pia = signedIn("pr_pia");
        as(pia).get("/api/v1/profile")
                .then()
                .statusCode(200)
                .body("firstName", nullValue())
                .body("tags", empty())
                .body("searchable", equalTo(true))
                .body("nsfw", equalTo(false))
                .body("publicDetails", equalTo(false));
    }

    @Test
    void putReplacesTheWholeProfile() {
        String ada = signedIn("pr_ada");
        as(ada).body(fullProfile())
                .put("/api/v1/profile")
                .then()
                .statusCode(200)
                .body("firstName", equalTo("Ada"))
                .body("birthday", equalTo("1815-12-10"))
                .body("tags", contains("math", "engines"));
        as(ada).get("/api/v1/profile")
                .then()
                .body("lastName", equalTo("Lovelace"))
                .body("avatarUrl", equalTo("https://img.example/ada.png"))
                .body("location", equalTo("London"))
                .body("gender", equalTo("woman"))
                .body("tags", contains("math", "engines"))
                .body("searchable", equalTo(false))
                .body("publicDetails", equalTo(true));

        // A PUT with fewer fields clears the others: it is the whole object.
        as(ada).body(Map.of("firstName", "Augusta"))
                .put("/api/v1/profile")
                .then()
                .statusCode(200);
        as(ada).get("/api/v1/profile")
                .then()
                .body("firstName", equalTo("Augusta"))
                .body("lastName", nullValue())
                .body("tags", empty())
                .body("searchable", equalTo(true));
    }

    @Test
    void profileNameShowsInOthersContacts() {
        String ada = signedIn("pr_ada2");
        String bob = signedIn("pr_bob2");
        as(ada).body(Map.of("firstName", "Ada", "lastName", "L."))
                .put("/api/v1/profile")
                .then()
                .statusCode(200);
        as(bob).body(Map.of("handle", handle("pr_ada2")))
                .post("/api/v1/contacts")
                .then()
                .statusCode(201)
                .body("displayName", equalTo("Ada L."));
    }

    @Test
    void invalidFieldsAreRefusedAndNothingIsWritten() {
        String ivy = signedIn("pr_ivy");
        as(ivy).body(fullProfile()).put("/api/v1/profile").then().statusCode(200);
        Map<String, String> bad = Map.of(
                "avatarUrl", "javascript:alert(1)",
                "birthday", LocalDate.now().plusDays(3).toString(),
                "bio", "b".repeat(65_536),
                "firstName", "f".repeat(33));
        bad.forEach((field, value) -> {
            Map<String, Object> profile = fullProfile();
            profile.put(field, value);
            as(ivy).body(profile)
                    .put("/api/v1/profile")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo(field));
        });
        Map<String, Object> relative = fullProfile();
        relative.put("avatarUrl", "/images/me.png");
        as(ivy).body(relative)
                .put("/api/v1/profile")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("avatarUrl"));
        for (List<String> tags :
                List.of(List.of("a", "b", "c", "d", "e", "f"), List.of("no spaces"), List.of("x".repeat(65)))) {
            Map<String, Object> profile = fullProfile();
            profile.put("tags", tags);
            as(ivy).body(profile)
                    .put("/api/v1/profile")
                    .then()
                    .statusCode(400)
                    .body("errors[0].field", equalTo("tags"));
        }
        Map<String, Object> notADate = fullProfile();
        notADate.put("birthday", "10/12/1815");
        as(ivy).body(notADate).put("/api/v1/profile").then().statusCode(400).body("detail", containsString("birthday"));
        as(ivy).body("{\"firstName\": ")
                .put("/api/v1/profile")
                .then()
                .statusCode(400)
                .body("type", containsString("malformed-json"));

        as(ivy).get("/api/v1/profile")
                .then()
                .body("firstName", equalTo("Ada"))
                .body("avatarUrl", equalTo("https://img.example/ada.png"))
                .body("birthday", equalTo("1815-12-10"))
                .body("tags", contains("math", "engines"));
    }

    @Test
    void eachAccountOnlyEverReachesItsOwnProfile() {
        String ada = signedIn("pr_ada3");
        String eve = signedIn("pr_eve3");
        as(ada).body(fullProfile()).put("/api/v1/profile").then().statusCode(200);
        as(eve).get("/api/v1/profile").then().body("firstName", nullValue());
        as(eve).body(Map.of("firstName", "Eve")).put("/api/v1/profile").then().statusCode(200);
        as(ada).get("/api/v1/profile")
                .then()
                .body("firstName", equalTo("Ada"))
                .body("bio", equalTo("Poetical science"));
        given().get("/api/v1/profile").then().statusCode(401).contentType("application/problem+json");
        given().contentType("application/json")
                .body(Map.of("firstName", "X"))
                .put("/api/v1/profile")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }
}
