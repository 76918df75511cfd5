package org.transplant.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/** A pod whose admin turned off keeping photos for archives to link neither offers nor takes that choice. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(ArchiveSettingsTest.NoLinkedPhotos.class)
class ArchiveSettingsTest {

    public static class NoLinkedPhotos implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("transplant.archives.linked-photos", "false");
        }
    }

    @Test
    void linkingPhotosIsNeitherOfferedNorTakenWhenTheAdminTurnedItOff() {
        String session = PodClient.signedIn("set_lin");
        String page = PodClient.as(session)
                .accept(ContentType.HTML)
                .get("/account/archive")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page).contains("value=\"left-out\"").doesNotContain("value=\"linked\"");
        PodClient.as(session)
                .body(Map.of(
                        "password", ArchiveImportTest.ARCHIVE_PASSWORD,
                        "photos", "linked",
                        "accountPassword", PodClient.PASSWORD))
                .post("/api/v1/archives")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].message", containsString("turned it off"));
    }
}
