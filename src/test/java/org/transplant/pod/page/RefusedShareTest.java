package org.transplant.pod.page;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.transplant.config.TransplantConfig;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * The share form sends a photo and its post in one request, so they succeed or fail together: a post the pod
 * refuses after the photo was stored takes the photo back (row and file), and an accepted one keeps it. The API's
 * two steps (upload, then post) end the same way: a refused post takes back the uploads it named.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RefusedShareTest {

    @Inject
    Pool pool;

    @Inject
    TransplantConfig config;

    @Test
    void aRefusedPostLeavesNoPhotoBehind() throws Throwable {
        String session = PodClient.signedIn("rs_ann");
        long files = photoFiles();

        // Refused after the upload: the aspect is checked in the post's transaction.
        share(session, "with a photo", "aspect:no such aspect").then().statusCode(400);
        assertThat(photos("rs_ann")).isZero();
        assertThat(photoFiles()).isEqualTo(files);

        share(session, "kept", "public").then().statusCode(303);
        assertThat(photos("rs_ann")).isEqualTo(1);
        assertThat(photoFiles()).isEqualTo(files + 1);
    }

    @Test
    void aRefusedApiPostTakesBackTheUploadsItNamed() throws Throwable {
        String session = PodClient.signedIn("rs_bob");
        long files = photoFiles();
        String first = upload(session);
        String second = upload(session);
        assertThat(photos("rs_bob")).isEqualTo(2);

        // Refused (a limited post naming no aspect): both uploads go, rows and files.
        given().cookie("transplant_session", session)
                .contentType("application/json")
                .body(Map.of("text", "limited", "public", false, "photos", List.of(first, second)))
                .post("/api/v1/posts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        assertThat(photos("rs_bob")).isZero();
        assertThat(photoFiles()).isEqualTo(files);

        // More photos than a post carries is refused too; an accepted post keeps its photo.
        String kept = upload(session);
        given().cookie("transplant_session", session)
                .contentType("application/json")
                .body(Map.of("text", "many", "photos", Collections.nCopies(33, kept)))
                .post("/api/v1/posts")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("photos"));
        String again = upload(session);
        given().cookie("transplant_session", session)
                .contentType("application/json")
                .body(Map.of("text", "kept", "photos", List.of(again)))
                .post("/api/v1/posts")
                .then()
                .statusCode(201);
        assertThat(photos("rs_bob")).isEqualTo(1);
        assertThat(photoFiles()).isEqualTo(files + 1);
    }

    private static String upload(String session) throws IOException {
        return given().cookie("transplant_session", session)
                .contentType("image/png")
                .body(png())
                .post("/api/v1/photos")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
    }

    private static Response share(String session, String text, String audience) throws IOException {
        String csrf = PodClient.csrf();
        return given().redirects()
                .follow(false)
                .cookie("transplant_session", session)
                .cookie("transplant_csrf", csrf)
                .accept("text/html")
                .multiPart("csrf", csrf)
                .multiPart("text", text)
                .multiPart("audience", audience)
                .multiPart("photo", "dot.png", png(), "image/png")
                .post("/posts");
    }

    private long photos(String username) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.query("SELECT count(*) FROM photos ph"
                        + " JOIN accounts a ON a.id = ph.account_id WHERE a.username = '" + username + "'")
                .execute()
                .map(rows -> rows.iterator().next().getLong(0)));
    }

    private long photoFiles() throws IOException {
        Path root = Path.of(config.dataDir()).resolve("photos");
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().contains(".parts"))
                    .count();
        }
    }

    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0xff8800);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
