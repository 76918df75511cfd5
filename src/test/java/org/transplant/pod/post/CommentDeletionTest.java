package org.transplant.pod.post;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * A comment's author may always delete it, even once the post is out of their sight; the post's owner may delete any
 * comment on it; to anyone else the comment does not exist (404, the same as for a comment that is not there).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class CommentDeletionTest {

    @Inject
    Pool pool;

    @Test
    void theAuthorDeletesTheirCommentOnAPostTheyNoLongerSee() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String ann = PodClient.signedIn("cd_ann_" + suffix);
        String ben = PodClient.signedIn("cd_ben_" + suffix);
        String cat = PodClient.signedIn("cd_cat_" + suffix);
        String post = PodClient.as(ann)
                .body(Map.of("text", "soon limited"))
                .post("/api/v1/posts")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
        String bens = comment(ben, post, "ben was here");
        String cats = comment(cat, post, "cat was here");
        // The post is no longer public: ben and cat see it no more.
        pool.preparedQuery("UPDATE posts SET public = false WHERE guid = $1")
                .execute(Tuple.of(post))
                .await()
                .indefinitely();
        PodClient.as(ben).get("/api/v1/posts/" + post).then().statusCode(404);

        PodClient.as(cat)
                .delete("/api/v1/posts/" + post + "/comments/" + bens)
                .then()
                .statusCode(404);
        PodClient.as(cat)
                .delete("/api/v1/posts/" + post + "/comments/no-such-comment")
                .then()
                .statusCode(404);
        PodClient.as(ben)
                .delete("/api/v1/posts/" + post + "/comments/" + bens)
                .then()
                .statusCode(204);
        PodClient.as(ann)
                .delete("/api/v1/posts/" + post + "/comments/" + cats)
                .then()
                .statusCode(204);
        PodClient.as(ann)
                .get("/api/v1/posts/" + post)
                .then()
                .statusCode(200)
                .body("comments", org.hamcrest.Matchers.equalTo(0));
    }

    private static String comment(String session, String post, String text) {
        return PodClient.as(session)
                .body(Map.of("text", text))
                .post("/api/v1/posts/" + post + "/comments")
                .then()
                .statusCode(201)
                .extract()
                .path("guid");
    }
}
