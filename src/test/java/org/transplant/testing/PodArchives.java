package org.transplant.testing;

import java.util.Map;

/** An account archive asked for on a pod and downloaded, as its owner does it. */
public final class PodArchives {

    private PodArchives() {}

    /** Asks for the signed-in person's archive (photos included), waits until it is written, and downloads it. */
    public static byte[] downloaded(PodApi pod, String session, String archivePassword) throws Exception {
        String id = pod.as(session)
                .body(Map.of("password", archivePassword, "photos", "included", "accountPassword", PodApi.PASSWORD))
                .post("/api/v1/archives")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Until.seen(
                "the archive " + id + " written",
                () -> pod.as(session)
                        .get("/api/v1/archives/" + id)
                        .then()
                        .extract()
                        .path("state"),
                "READY"::equals,
                "FAILED"::equals);
        return pod.as(session)
                .accept("application/x-tar")
                .get("/api/v1/archives/" + id + "/file")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
    }
}
