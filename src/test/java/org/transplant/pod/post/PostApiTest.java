package org.transplant.pod.post;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class PostApiTest {

    /** Each test opens its own two accounts, so no test reads what another one wrote. */
    String annName;

    String benName;
    String ann;
    String ben;

    @BeforeEach
    void accounts() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        annName = "ann_" + suffix;
        benName = "ben_" + suffix;
        PodClient.createAccount(annName);
        PodClient.createAccount(benName);
        ann = PodClient.logIn(annName);
        ben = PodClient.logIn(benName);
    }

    @Test
    void publicPostIsReadableByOthersAndGathersCommentsAndLikes() {
        String guid = PodClient.as(ann)
                .body(Map.of("text", "Hello #federation"))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .body("author", equalTo(annName + "@localhost:8081"))
                .body("public", equalTo(true))
                .extract()
                .path("guid");

        PodClient.as(ben)
                .body(Map.of("text", "Welcome!"))
                .post("/api/v1/posts/" + guid + "/comments")
                .then()
                .statusCode(201)
                .body("author", equalTo(benName + "@localhost:8081"));
        PodClient.as(ben).post("/api/v1/posts/" + guid + "/likes").then().statusCode(201);
        PodClient.as(ben).post("/api/v1/posts/" + guid + "/likes").then().statusCode(201);

        PodClient.as(ben)
                .get("/api/v1/posts/" + guid)
                .then()
                .statusCode(200)
                .body("text", equalTo("Hello #federation"))
                .body("comments", equalTo(1))
                .body("likes", equalTo(1));
        PodClient.as(ann).get("/api/v1/posts/" + guid + "/comments").then().body("text", equalTo(List.of("Welcome!")));
        given().get("/posts/" + guid)
                .then()
                .statusCode(200)
                .contentType(ContentType.HTML)
                .body(containsString("Hello #federation"))
                .body(containsString("Welcome!"));
    }

    @Test
    void aPublicPostIsResharedWithItsRootGuidAndItsAuthorIsTold() {
        String root = PodClient.as(ann)
                .body(Map.of("text", "worth sharing"))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        PodClient.as(ben)
                .body(Map.of("rootGuid", root))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .body("rootGuid", equalTo(root))
                .body("author", equalTo(benName + "@localhost:8081"))
                .body("public", equalTo(true));
        PodClient.as(ann)
                .get("/api/v1/notifications")
                .then()
                .statusCode(200)
                .body("items.find { it.kind == 'reshare' }.target", equalTo(root));
        PodClient.as(ann)
                .body(Map.of("rootGuid", root))
                .post("/api/v1/posts")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("rootGuid"));
        String limited = PodClient.as(ann)
                .body(Map.of("text", "family", "public", false, "aspects", List.of("Family")))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        PodClient.as(ben)
                .body(Map.of("rootGuid", limited))
                .post("/api/v1/posts")
                .then()
                .statusCode(400);
    }

    @Test
    void limitedPostStaysHiddenFromStrangers() {
        String guid = PodClient.as(ann)
                .body(Map.of("text", "family only", "public", false, "aspects", List.of("Family")))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .body("aspects", equalTo(List.of("Family")))
                .extract()
                .path("guid");

        PodClient.as(ben).get("/api/v1/posts/" + guid).then().statusCode(404).contentType("application/problem+json");
        PodClient.as(ben)
                .body(Map.of("text", "sneaky"))
                .post("/api/v1/posts/" + guid + "/comments")
                .then()
                .statusCode(404);
        given().get("/posts/" + guid).then().statusCode(404);
        given().get("/u/" + annName).then().statusCode(200).body(Matchers.not(containsString("family only")));
        PodClient.as(ann).get("/api/v1/posts/" + guid).then().statusCode(200);
    }

    @Test
    void onlyTheAuthorDeletesAPost() {
        String guid = PodClient.as(ann)
                .body(Map.of("text", "to be deleted"))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        PodClient.as(ben).delete("/api/v1/posts/" + guid).then().statusCode(404);
        PodClient.as(ann).get("/api/v1/posts/" + guid).then().statusCode(200);
        PodClient.as(ann).delete("/api/v1/posts/" + guid).then().statusCode(204);
        PodClient.as(ann).get("/api/v1/posts/" + guid).then().statusCode(404);
    }

    @Test
    void badPostsAreRefusedAndWriteNothing() {
        int before = PodClient.as(ann)
                .get("/api/v1/posts?limit=100")
                .then()
                .extract()
                .path("items.size()");
        PodClient.as(ann)
                .body(Map.of("text", "   "))
                .post("/api/v1/posts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("text"));
        PodClient.as(ann)
                .body(Map.of("text", "x", "public", false, "aspects", List.of("Nope")))
                .post("/api/v1/posts")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("aspects"));
        PodClient.as(ann)
                .body("{\"text\": 5, ")
                .post("/api/v1/posts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        PodClient.as(ann)
                .body(Map.of("text", "x", "photos", List.of("0123456789abcdef0123456789abcdef")))
                .post("/api/v1/posts")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("photos"));
        int after = PodClient.as(ann)
                .get("/api/v1/posts?limit=100")
                .then()
                .extract()
                .path("items.size()");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void withoutSessionTheApiAnswers401Problem() {
        given().accept(ContentType.JSON)
                .get("/api/v1/posts")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(Map.of("text", "anon"))
                .post("/api/v1/posts")
                .then()
                .statusCode(401);
        given().cookie("transplant_session", "forged")
                .accept(ContentType.JSON)
                .get("/api/v1/posts")
                .then()
                .statusCode(401);
    }

    @Test
    void cursorPagesThroughPostsWithoutRepeats() {
        PodClient.createAccount("pager");
        String pager = PodClient.logIn("pager");
        for (int i = 0; i < 5; i++) {
            PodClient.as(pager)
                    .body(Map.of("text", "post " + i))
                    .post("/api/v1/posts")
                    .then()
                    .statusCode(201);
        }
        var first = PodClient.as(pager)
                .get("/api/v1/posts?limit=3")
                .then()
                .statusCode(200)
                .body("items", hasSize(3))
                .extract();
        String next = first.path("next");
        PodClient.as(pager)
                .get("/api/v1/posts?limit=3&cursor=" + next)
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("next", Matchers.nullValue())
                .body("items.text", equalTo(List.of("post 1", "post 0")));
        PodClient.as(pager)
                .get("/api/v1/posts?cursor=garbage!")
                .then()
                .statusCode(400)
                .body("type", containsString("invalid-cursor"));
        PodClient.as(pager).get("/api/v1/posts?limit=0").then().statusCode(400);
    }

    @Test
    void photoUploadKeepsRealImagesAndServesThemBack() throws Exception {
        byte[] png = png(40, 30);
        var created = PodClient.as(ann)
                .contentType("image/png")
                .body(png)
                .post("/api/v1/photos")
                .then()
                .statusCode(201)
                .body("width", equalTo(40))
                .body("height", equalTo(30))
                .body("contentType", equalTo("image/png"))
                .body(
                        "sha256",
                        equalTo(HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(png))))
                .extract();
        String photo = created.path("guid");
        String post = PodClient.as(ann)
                .body(Map.of("text", "with a photo", "photos", List.of(photo)))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .body("photos[0].guid", equalTo(photo))
                .extract()
                .path("guid");
        byte[] served = given().get("/photos/" + photo)
                .then()
                .statusCode(200)
                .contentType("image/png")
                .extract()
                .asByteArray();
        assertThat(served).isEqualTo(png);
        given().get("/posts/" + post).then().body(containsString("/photos/" + photo));
    }

    @Test
    void nonImageAndOversizeUploadsAreRefused() {
        PodClient.as(ann)
                .contentType("image/png")
                .body("not really a png".getBytes())
                .post("/api/v1/photos")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        PodClient.as(ann)
                .contentType("image/png")
                .body(new byte[11 * 1024 * 1024])
                .post("/api/v1/photos")
                .then()
                .statusCode(413);
        given().get("/photos/0123456789abcdef0123456789abcdef").then().statusCode(404);
    }

    static byte[] png(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, (x * 7 + y * 13) << 8);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
