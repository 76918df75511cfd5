package org.transplant.pod.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.transplant.testing.PodClient.as;
import static org.transplant.testing.PodClient.signedIn;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PostgresResource;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class SettingsApiTest {

    private static Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("language", "pt-BR");
        settings.put("disableMail", true);
        settings.put("showCommunitySpotlight", true);
        settings.put("autoFollowBack", true);
        settings.put("autoFollowBackAspect", "Friends");
        settings.put("defaultPostVisibility", "aspects");
        return settings;
    }

    @Test
    void newAccountHasTheDefaults() {
        String sam = signedIn("st_sam");
        as(sam).get("/api/v1/settings")
                .then()
                .statusCode(200)
                .body("language", equalTo("en"))
                .body("disableMail", equalTo(false))
                .body("autoFollowBack", equalTo(false))
                .body("autoFollowBackAspect", nullValue())
                .body("defaultPostVisibility", equalTo("public"));
    }

    @Test
    void putReplacesAllSettings() {
        String sue = signedIn("st_sue");
        as(sue).body(settings())
                .put("/api/v1/settings")
                .then()
                .statusCode(200)
                .body("language", equalTo("pt-BR"))
                .body("autoFollowBackAspect", equalTo("Friends"));
        as(sue).get("/api/v1/settings")
                .then()
                .body("disableMail", equalTo(true))
                .body("showCommunitySpotlight", equalTo(true))
                .body("autoFollowBack", equalTo(true))
                .body("autoFollowBackAspect", equalTo("Friends"))
                .body("defaultPostVisibility", equalTo("aspects"));
        as(sue).body(Map.of("language", "de")).put("/api/v1/settings").then().statusCode(200);
        as(sue).get("/api/v1/settings")
                .then()
                .body("language", equalTo("de"))
                .body("disableMail", equalTo(false))
                .body("autoFollowBackAspect", nullValue())
                .body("defaultPostVisibility", equalTo("public"));
    }

    @Test
    void invalidSettingsAreRefusedAndNothingIsWritten() {
        String sid = signedIn("st_sid");
        as(sid).body(settings()).put("/api/v1/settings").then().statusCode(200);
        Map<String, String> bad = Map.of(
                "language", "english",
                "defaultPostVisibility", "friends",
                "autoFollowBackAspect", "No such aspect");
        bad.forEach((field, value) -> {
            Map<String, Object> settings = settings();
            settings.put(field, value);
            as(sid).body(settings)
                    .put("/api/v1/settings")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo(field));
        });
        Map<String, Object> wrongType = settings();
        wrongType.put("disableMail", "sometimes");
        as(sid).body(wrongType)
                .put("/api/v1/settings")
                .then()
                .statusCode(400)
                .body("detail", containsString("disableMail"));
        as(sid).get("/api/v1/settings")
                .then()
                .body("language", equalTo("pt-BR"))
                .body("defaultPostVisibility", equalTo("aspects"))
                .body("autoFollowBackAspect", equalTo("Friends"));
    }

    @Test
    void followBackAspectMustBeTheCallersOwn() {
        String own = signedIn("st_own");
        String eve = signedIn("st_eve");
        as(own).body(Map.of("name", "Only mine")).post("/api/v1/aspects").then().statusCode(201);
        Map<String, Object> settings = settings();
        settings.put("autoFollowBackAspect", "Only mine");
        as(eve).body(settings)
                .put("/api/v1/settings")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("autoFollowBackAspect"));
        as(own).body(settings).put("/api/v1/settings").then().statusCode(200);
        as(eve).get("/api/v1/settings").then().body("language", equalTo("en"));
        given().get("/api/v1/settings").then().statusCode(401).contentType("application/problem+json");
    }
}
