package org.transplant.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transplant.diaspora.DiasporaExportGenerator;
import org.transplant.diaspora.DiasporaExportGenerator.Generated;
import org.transplant.discovery.WebFingerResource;
import org.transplant.testing.PodApi;
import org.transplant.testing.PodDatabase;
import org.transplant.testing.PodProcess;
import org.transplant.testing.TempFolders;
import org.transplant.testing.Until;

/**
 * A diaspora* user whose pod died moves in, between pods running as processes: Ana's diaspora* export (her pod's host
 * resolves nowhere now) is imported on pod B, which cannot prove her old key and so proceeds as diaspora* itself
 * does. B tells the Transplant pods of her contacts of the move, signed with the export's key: on pod C, Carol, who
 * had Ana as a contact (and so holds Ana's key since then), checks the notice with the key she holds and follows Ana's
 * new identity on B.
 */
class DiasporaMoveIT {

    static final String OLD_HANDLE = "ana@oldpod.invalid";
    static final ObjectMapper JSON = new ObjectMapper();

    static PodProcess podB;
    static PodProcess podC;
    static Path dir;

    @BeforeAll
    static void startPods() throws Exception {
        // Short waits between delivery attempts: B's first may come before C can confirm the new identity.
        Map<String, String> fast = Map.of("TRANSPLANT_FEDERATION_MAX_BACKOFF", "PT2S");
        podB = PodProcess.start("diaspora-move-b", fast);
        podC = PodProcess.start("diaspora-move-c", fast);
        dir = Files.createTempDirectory("diaspora-move-");
    }

    @AfterAll
    static void stopPods() throws Exception {
        if (podB != null) {
            podB.close();
        }
        if (podC != null) {
            podC.close();
        }
        TempFolders.delete(dir);
    }

    @Test
    void aContactOnATransplantPodFollowsTheDiasporaUserToTheirNewPod() throws Exception {
        PodApi b = PodApi.of(podB);
        PodApi c = PodApi.of(podC);
        String carol = "carol@" + podC.host();
        Generated export = DiasporaExportGenerator.generate(DiasporaExportGenerator.Options.builder(dir)
                .ownerHandle(OLD_HANDLE)
                .seed(81)
                .posts(25)
                .contacts(3)
                .photos(2)
                .forged(1)
                .build());

        // Carol on C had Ana as a contact while Ana's pod lived: C holds the key it learned then (as PersonKeys keeps
        // it), and Carol's contact still names the old handle.
        c.createAccount("carol");
        PodDatabase.update(
                podC,
                "INSERT INTO person_keys (handle, public_key_pem) VALUES ('" + OLD_HANDLE + "', '"
                        + export.ownerPublicKeyPem() + "')",
                "INSERT INTO contacts (account_id, handle, following, follower, seq) SELECT id, '" + OLD_HANDLE
                        + "', true, true, 1 FROM accounts WHERE username = 'carol'");
        Path data = withContact(export.dataFile(), carol, publicKeyOf(c, carol));

        Response started = b.request()
                .multiPart("archive", data.toFile(), "application/octet-stream")
                .multiPart("photos", export.photosZip().toFile(), "application/zip")
                .multiPart("username", "ana")
                .multiPart("email", "ana@example.org")
                .multiPart("password", PodApi.PASSWORD)
                .post("/api/v1/imports");
        started.then().statusCode(201);
        String job = started.path("id");
        String onB = started.getCookie("transplant_session");
        Until.seen(
                "Ana's import on B done",
                () -> b.as(onB).get("/api/v1/imports/" + job).then().extract().path("state"),
                "DONE"::equals,
                "FAILED"::equals);
        // The old pod is dead: nothing was closed, and Ana is told to close her diaspora* account by hand.
        b.as(onB)
                .get("/api/v1/imports/" + job)
                .then()
                .statusCode(200)
                .body("oldAccount.state", is("not_closed"))
                .body("oldAccount.reason", is("diaspora-unproven"));
        String anaOnB = "ana@" + podB.host();
        // B names the old identity (C asks for it before it takes the notice, which it checks with the key it holds).
        b.request()
                .queryParam("resource", "acct:" + anaOnB)
                .get("/.well-known/webfinger")
                .then()
                .statusCode(200)
                .body("aliases", hasItem("acct:" + OLD_HANDLE));
        assertThat(PodDatabase.query(
                        podB,
                        "SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.username = 'ana'"))
                .containsExactly(Integer.toString(
                        export.manifest().collections().get("posts").count()));
        assertThat(PodDatabase.query(podB, "SELECT old_handle, new_handle FROM move_notices"))
                .containsExactly(OLD_HANDLE + "|" + anaOnB);

        // C checked the notice with the key it holds for the old identity, and re-pointed Carol's contact.
        awaitRows(
                podC,
                "SELECT a.username, c.following, c.follower FROM contacts c JOIN accounts a ON a.id = c.account_id"
                        + " WHERE c.handle = '" + anaOnB + "'",
                "carol|true|true");
        assertThat(PodDatabase.query(podC, "SELECT count(*) FROM contacts WHERE handle = '" + OLD_HANDLE + "'"))
                .containsExactly("0");
        assertThat(PodDatabase.query(
                        podC,
                        "SELECT new_handle, old_public_key_pem = '" + export.ownerPublicKeyPem()
                                + "' FROM moved_people WHERE old_handle = '" + OLD_HANDLE + "'"))
                .containsExactly(anaOnB + "|true");

        // B's report of the notices: C accepted (the generated contacts' pods do not exist, and never will).
        awaitRows(podB, "SELECT state FROM move_deliveries WHERE pod_host = '" + podC.host() + "'", "ACCEPTED");
        Until.seen(
                "C's acceptance in the import's notice report",
                () -> b.as(onB).get("/api/v1/imports/" + job).then().extract().path("notices.accepted"),
                accepted -> Integer.valueOf(1).equals(accepted));
        List<String> notAccepted = b.as(onB)
                .get("/api/v1/imports/" + job)
                .then()
                .statusCode(200)
                .extract()
                .path("notices.notAccepted.pod");
        assertThat(notAccepted).doesNotContain(podC.host());
        assertThat(PodDatabase.query(podB, "SELECT count(*) FROM import_jobs WHERE old_key_sealed IS NOT NULL"))
                .as("the old key is forgotten once the notices are written")
                .containsExactly("0");
    }

    /** The public key C serves for {@code handle}, as a diaspora* export carries a contact's key. */
    private static String publicKeyOf(PodApi pod, String handle) throws Exception {
        String body = pod.request()
                .queryParam("resource", "acct:" + handle)
                .get("/.well-known/webfinger")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return JSON.readTree(body)
                .path("properties")
                .path(WebFingerResource.PROP_PUBLIC_KEY)
                .asText();
    }

    /** The export with one more contact, sharing both ways, as diaspora* writes a contact. */
    private static Path withContact(Path dataFile, String handle, String publicKeyPem) throws Exception {
        ObjectNode document;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dataFile))) {
            document = (ObjectNode) JSON.readTree(in);
        }
        ObjectNode contact = ((ArrayNode) document.get("user").get("contacts")).addObject();
        contact.put("sharing", true)
                .put("receiving", true)
                .put("following", true)
                .put("followed", true)
                .put("person_guid", "c0ffee00c0ffee00c0ffee00c0ffee00")
                .put("person_name", "Carol")
                .put("account_id", handle)
                .put("public_key", publicKeyPem);
        contact.putArray("contact_groups_membership");
        Path changed = dir.resolve("with-carol").resolve(dataFile.getFileName());
        Files.createDirectories(changed.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(changed))) {
            JSON.writeValue(out, document);
        }
        return changed;
    }

    private static void awaitRows(PodProcess pod, String sql, String expected) throws Exception {
        Until.seen(sql + " = " + expected, () -> PodDatabase.query(pod, sql), rows -> rows.equals(List.of(expected)));
    }
}
