package org.transplant.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.transplant.oidc.OidcFixture;
import org.transplant.pod.session.Csrf;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * Hostile input at every public endpoint (the README's HTTP surface): malformed JSON and forms, wrong types, huge
 * numbers and strings, deep nesting, invalid UTF-8, bad cursors and dates. Each is a 4xx with a readable body, never
 * a 500, and writes nothing: the rows of the tables a stranger could fill and the sweep account's content stay as
 * they were.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class BadInputSweepTest {

    /** What kind of error body an endpoint documents. */
    enum Body {
        /** application/problem+json (RFC 9457), the pod's default. */
        PROBLEM,
        /** RFC 6749 §5.2 / RFC 7591 §3.2.2 error JSON, or a problem (rate limits, the mapper). */
        OAUTH,
        /** A browser form: the page again with the error, or a problem for a non-browser caller. */
        PAGE,
        /** Refused by the HTTP server before the pod sees it (a request line over 64 KiB): a 4xx, no body. */
        SERVER
    }

    /** Who sends the request. */
    enum Who {
        STRANGER,
        SIGNED_IN,
        TOKEN,
        ADMIN
    }

    record Case(String name, String method, String path, Who who, String contentType, byte[] body, Body expect) {
        @Override
        public String toString() {
            return method + " " + (path.length() > 60 ? path.substring(0, 60) + "…" : path) + ": " + name;
        }
    }

    private static final String USER = "sweep_ann";
    private static final String CSRF = "sweep-csrf-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String HUGE = "x".repeat(70_000);
    /** Long, yet within the request line the HTTP server takes (4 KiB): it reaches the pod. */
    private static final String LONG = "y".repeat(3000);

    private static final String HUGE_NUMBER = "1" + "0".repeat(400);
    private static final String NO_GUID = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final byte[] INVALID_UTF8 = concat(
            "{\"text\":\"", new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0x28}, "\",\"name\":\"\u00ff\"}");

    private static String session;
    private static String token;

    @Inject
    Pool pool;

    @Inject
    OidcFixture oidc;

    @BeforeEach
    void accountOnce() throws Throwable {
        if (session == null) {
            PodClient.createAccount(USER);
            session = PodClient.logIn(USER);
            token = oidc.accessToken(oidc.register("Sweep", "client_secret_basic"), USER, "migration:read", null, null);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithAProblemAndNothingWritten(Case c) {
        String before = fingerprint();
        Response response = send(c);
        int status = response.statusCode();
        String type = response.contentType() == null ? "" : response.contentType();
        assertThat(status)
                .as("%s answered %s: %s", c, status, abbreviate(response.asString()))
                .isBetween(400, 499);
        switch (c.expect()) {
            case PROBLEM -> assertThat(type).as(c.toString()).startsWith(Problem.MEDIA_TYPE);
            case OAUTH -> assertThat(type).as(c.toString()).matches("(application/json|application/problem\\+json).*");
            case PAGE -> assertThat(type).as(c.toString()).matches("(text/html|application/problem\\+json).*");
            case SERVER -> {}
        }
        assertThat(fingerprint()).as("rows after %s", c).isEqualTo(before);
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        jsonEndpoints(cases);
        formEndpoints(cases);
        queries(cases);
        return cases.stream();
    }

    /** Every JSON body endpoint, each with every kind of broken body. */
    private static void jsonEndpoints(List<Case> cases) {
        record Endpoint(String method, String path, Who who, Body expect, String... nonsense) {}
        List<Endpoint> endpoints = List.of(
                new Endpoint(
                        "POST",
                        "/api/v1/posts",
                        Who.SIGNED_IN,
                        Body.PROBLEM,
                        "{\"text\":\"a\",\"public\":" + HUGE_NUMBER + "}",
                        "{\"text\":\"a\",\"photos\":[" + HUGE_NUMBER + "]}",
                        "{\"text\":\"a\",\"public\":false,\"aspects\":[]}"),
                new Endpoint("POST", "/api/v1/posts/" + NO_GUID + "/comments", Who.SIGNED_IN, Body.PROBLEM),
                new Endpoint(
                        "PUT",
                        "/api/v1/profile",
                        Who.SIGNED_IN,
                        Body.PROBLEM,
                        "{\"birthday\":\"+999999999-12-31\"}",
                        "{\"birthday\":\"-999999999-01-01\"}",
                        "{\"birthday\":\"0000-01-01\"}",
                        "{\"birthday\":" + HUGE_NUMBER + "}",
                        "{\"avatarUrl\":\"javascript:alert(1)\"}",
                        "{\"tags\":[\"" + LONG + "\"]}"),
                new Endpoint(
                        "PUT",
                        "/api/v1/settings",
                        Who.SIGNED_IN,
                        Body.PROBLEM,
                        "{\"defaultPostVisibility\":\"" + HUGE_NUMBER + "\"}",
                        "{\"language\":\"" + LONG + "\"}"),
                new Endpoint("POST", "/api/v1/contacts", Who.SIGNED_IN, Body.PROBLEM),
                new Endpoint("PUT", "/api/v1/contacts/nobody@nowhere.invalid/aspects", Who.SIGNED_IN, Body.PROBLEM),
                new Endpoint("POST", "/api/v1/aspects", Who.SIGNED_IN, Body.PROBLEM),
                new Endpoint("POST", "/api/v1/conversations", Who.SIGNED_IN, Body.PROBLEM),
                new Endpoint("POST", "/api/v1/conversations/" + NO_GUID + "/messages", Who.SIGNED_IN, Body.PROBLEM),
                new Endpoint("POST", "/api/v1/tag-followings", Who.SIGNED_IN, Body.PROBLEM),
                new Endpoint("POST", "/api/v1/imports", Who.STRANGER, Body.PROBLEM),
                new Endpoint("POST", "/api/v1/imports", Who.SIGNED_IN, Body.PROBLEM),
                new Endpoint(
                        "POST",
                        "/migration/v1/move",
                        Who.TOKEN,
                        Body.PROBLEM,
                        "{\"newHandle\":\"a@b.example\",\"seenSeq\":" + HUGE_NUMBER + "}"),
                new Endpoint("POST", "/admin/v1/accounts", Who.ADMIN, Body.PROBLEM),
                new Endpoint(
                        "POST",
                        "/admin/v1/accounts/" + USER + "/synthetic-content",
                        Who.ADMIN,
                        Body.PROBLEM,
                        hugeNumbers(),
                        "{\"posts\":-1}",
                        "{\"posts\":2147483647,\"commentsPerPost\":2147483647}",
                        "{\"photoBytes\":2147483647,\"photos\":1}"),
                new Endpoint("POST", "/oauth/register", Who.STRANGER, Body.OAUTH));
        String wrongTypes = "{\"text\":{\"a\":1},\"public\":\"maybe\",\"aspects\":5,\"photos\":\"x\",\"rootGuid\":[],"
                + "\"handle\":[],\"username\":12,\"password\":{},\"email\":true,\"photos\":7,\"subject\":false,"
                + "\"participants\":\"x\",\"tag\":{},\"name\":[],\"birthday\":\"tomorrow\",\"firstName\":5,"
                + "\"searchable\":\"yes\",\"language\":[1],\"posts\":\"many\",\"seed\":\"x\",\"seenSeq\":\"x\","
                + "\"newHandle\":7,\"client_name\":5,\"redirect_uris\":\"https://a.example/cb\"}";
        String deep = "{\"text\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        String deepObject = "{\"a\":".repeat(3000) + "1" + "}".repeat(3000);
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("truncated JSON", bytes("{\"text\": \"a"));
        bodies.put("empty body", new byte[0]);
        bodies.put("an array", bytes("[1,2,3]"));
        bodies.put("wrong types", bytes(wrongTypes));
        bodies.put("huge strings", bytes(hugeStrings()));
        bodies.put("deep nesting in a field", bytes(deep));
        bodies.put("deep nesting of objects", bytes(deepObject));
        bodies.put("invalid UTF-8", INVALID_UTF8);
        for (Endpoint e : endpoints) {
            bodies.forEach((name, body) ->
                    cases.add(new Case(name, e.method(), e.path(), e.who(), "application/json", body, e.expect())));
            for (String nonsense : e.nonsense()) {
                cases.add(new Case(
                        "nonsense " + abbreviate(nonsense),
                        e.method(),
                        e.path(),
                        e.who(),
                        "application/json",
                        bytes(nonsense),
                        e.expect()));
            }
            cases.add(new Case(
                    "wrong content type",
                    e.method(),
                    e.path(),
                    e.who(),
                    "text/plain",
                    bytes("{\"text\":\"hi\"}"),
                    e.expect()));
        }
    }

    private static String hugeNumbers() {
        return "{\"posts\":" + HUGE_NUMBER + ",\"commentsPerPost\":-" + HUGE_NUMBER
                + ",\"likesPerPost\":2147483648,\"photos\":-1,\"photoBytes\":1e400,\"contacts\":99999999999,"
                + "\"conversations\":-2147483649,\"messagesPerConversation\":1e10,\"seed\":" + HUGE_NUMBER
                + ",\"seenSeq\":" + HUGE_NUMBER + ",\"public\":" + HUGE_NUMBER + "}";
    }

    private static String hugeStrings() {
        return "{\"text\":\"" + HUGE + "\",\"handle\":\"" + HUGE + "@" + HUGE + "\",\"username\":\""
                + HUGE + "\",\"password\":\"" + HUGE + "\",\"email\":\"" + HUGE + "@x.example\",\"subject\":\""
                + HUGE + "\",\"participants\":[\"" + HUGE + "\"],\"tag\":\"" + HUGE + "\",\"name\":\"" + HUGE
                + "\",\"firstName\":\"" + HUGE + "\",\"bio\":\"" + HUGE + "x\",\"avatarUrl\":\"https://" + HUGE
                + "\",\"language\":\"" + HUGE + "\",\"aspects\":[\"" + HUGE + "\"],\"newHandle\":\"" + HUGE
                + "\",\"client_name\":\"" + HUGE + "\",\"redirect_uris\":[\"https://" + HUGE + "\"],\"photos\":\""
                + HUGE + "\"}";
    }

    /** Every form endpoint: bad encodings, invalid UTF-8, huge values, missing or forged CSRF, wrong types. */
    private static void formEndpoints(List<Case> cases) {
        String form = "application/x-www-form-urlencoded";
        record Endpoint(String path, Who who, Body expect, String fields) {}
        List<Endpoint> endpoints = List.of(
                new Endpoint("/login", Who.STRANGER, Body.PAGE, "username=nobody&password=x"),
                new Endpoint("/signup", Who.STRANGER, Body.PAGE, "username=s&email=e&password=p"),
                new Endpoint("/logout", Who.SIGNED_IN, Body.PAGE, ""),
                new Endpoint("/account/delete", Who.SIGNED_IN, Body.PAGE, "password=wrong"),
                new Endpoint("/import", Who.STRANGER, Body.PAGE, "handle=h&username=u&password=p&email=e&photos=x"),
                new Endpoint("/import/nope/abort", Who.SIGNED_IN, Body.PAGE, ""),
                new Endpoint("/posts/" + NO_GUID + "/comments", Who.SIGNED_IN, Body.PAGE, "text=hi"),
                new Endpoint("/posts/" + NO_GUID + "/like", Who.SIGNED_IN, Body.PAGE, ""),
                new Endpoint("/settings/apps/abc/revoke", Who.SIGNED_IN, Body.PAGE, ""),
                new Endpoint("/settings/apps/99999999999999999999999/revoke", Who.SIGNED_IN, Body.PAGE, ""),
                new Endpoint(
                        "/oauth/authorize",
                        Who.SIGNED_IN,
                        Body.PAGE,
                        "client_id=nope&response_type=code&decision=allow&span_from=%2B999999999-12-31"),
                new Endpoint(
                        "/oauth/token",
                        Who.STRANGER,
                        Body.OAUTH,
                        "grant_type=authorization_code&code=x&redirect_uri=y&code_verifier=z"),
                new Endpoint("/oauth/revoke", Who.STRANGER, Body.OAUTH, "token=x&token_type_hint=refresh_token"));
        for (Endpoint e : endpoints) {
            String csrf = "csrf=" + CSRF;
            String sep = e.fields().isEmpty() ? "" : "&";
            cases.add(new Case(
                    "forged CSRF",
                    "POST",
                    e.path(),
                    e.who(),
                    form,
                    bytes("csrf=forged-value-that-does-not-match-the-cookie" + sep + e.fields()),
                    e.expect()));
            if (e.path().equals("/logout")) {
                continue; // with the right CSRF field, logging out succeeds whatever else the form holds
            }
            cases.add(new Case(
                    "bad percent-encoding",
                    "POST",
                    e.path(),
                    e.who(),
                    form,
                    bytes(csrf + "&username=%ZZ&password=%&text=%E2%82&handle=%FF%FE&grant_type=%"),
                    e.expect()));
            cases.add(new Case(
                    "invalid UTF-8",
                    "POST",
                    e.path(),
                    e.who(),
                    form,
                    concat(
                            csrf + "&username=",
                            new byte[] {(byte) 0xff, (byte) 0xc3, 0x28},
                            "&password=p&text=t&handle=h"),
                    e.expect()));
            cases.add(new Case(
                    "huge values",
                    "POST",
                    e.path(),
                    e.who(),
                    form,
                    bytes(csrf + "&username=" + HUGE + "&password=" + HUGE + "&email=" + HUGE + "&text=" + HUGE
                            + "&handle=" + HUGE + "&token=" + HUGE + "&code=" + HUGE + "&client_id=" + HUGE
                            + "&redirect_uri=" + HUGE),
                    e.expect()));
            cases.add(new Case(
                    "a field over the form limit",
                    "POST",
                    e.path(),
                    e.who(),
                    form,
                    bytes(csrf + "&text=" + "w".repeat(1_100_000)),
                    e.expect() == Body.OAUTH ? Body.PROBLEM : e.expect()));
            cases.add(new Case(
                    "fields with a valid CSRF",
                    "POST",
                    e.path(),
                    e.who(),
                    form,
                    bytes(csrf + sep + e.fields()),
                    e.expect()));
            cases.add(new Case(
                    "JSON to a form",
                    "POST",
                    e.path(),
                    e.who(),
                    "application/json",
                    bytes("{\"csrf\":\"" + CSRF + "\"}"),
                    e.expect()));
        }
        cases.add(new Case(
                "request line over the pod's limit",
                "GET",
                "/u/" + "x".repeat(10_000),
                Who.STRANGER,
                null,
                null,
                Body.PROBLEM));
        // Beyond Netty's own limit (64 KiB, set well above the pod's): Vert.x's bare 414, before any route runs.
        cases.add(new Case(
                "request line over the HTTP server's limit",
                "GET",
                "/u/" + HUGE,
                Who.STRANGER,
                null,
                null,
                Body.SERVER));
        cases.add(new Case(
                "photo that is no image",
                "POST",
                "/api/v1/photos",
                Who.SIGNED_IN,
                "image/png",
                bytes("not a png at all"),
                Body.PROBLEM));
        cases.add(new Case(
                "photo with invalid UTF-8 as text",
                "POST",
                "/api/v1/photos",
                Who.SIGNED_IN,
                "text/plain",
                INVALID_UTF8,
                Body.PROBLEM));
        cases.add(new Case(
                "empty photo", "POST", "/api/v1/photos", Who.SIGNED_IN, "image/gif", new byte[0], Body.PROBLEM));
        cases.add(new Case(
                "share form without parts",
                "POST",
                "/posts",
                Who.SIGNED_IN,
                "multipart/form-data; boundary=xyz",
                bytes("--xyz\r\nContent-Disposition: form-data; name=\"csrf\""
                        + "\r\n\r\n" + CSRF + "\r\n--xyz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n"
                        + HUGE + HUGE + "\r\n--xyz--\r\n"),
                Body.PAGE));
        cases.add(new Case(
                "broken multipart",
                "POST",
                "/posts",
                Who.SIGNED_IN,
                "multipart/form-data; boundary=xyz",
                bytes("--xyz\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + CSRF),
                Body.PAGE));
        cases.add(new Case(
                "move notice that is no JWS",
                "POST",
                "/federation/v1/inbox",
                Who.STRANGER,
                "application/jose",
                bytes("a.b.c"),
                Body.PROBLEM));
        cases.add(new Case(
                "move notice with invalid UTF-8",
                "POST",
                "/federation/v1/inbox",
                Who.STRANGER,
                "application/jose",
                INVALID_UTF8,
                Body.PROBLEM));
        cases.add(new Case(
                "huge move notice",
                "POST",
                "/federation/v1/inbox",
                Who.STRANGER,
                "application/jose",
                bytes(HUGE + "." + HUGE + "." + HUGE),
                Body.PROBLEM));
        cases.add(new Case(
                "move notice as JSON",
                "POST",
                "/federation/v1/inbox",
                Who.STRANGER,
                "application/json",
                bytes("{}"),
                Body.PROBLEM));
    }

    /** Query parameters, path parameters and headers: bad cursors, limits, dates and numbers. */
    private static void queries(List<Case> cases) {
        String farFuture = "%2B999999999-12-31T23:59:59Z";
        String badMicros = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("-9223372036854775808:" + NO_GUID).getBytes(StandardCharsets.UTF_8));
        String badExportCursor = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        "c1|posts|1|9223372036854775807|-9223372036854775808|x".getBytes(StandardCharsets.UTF_8));
        List<String> signedIn = List.of(
                "/api/v1/posts?limit=abc",
                "/api/v1/posts?limit=99999999999999999999",
                "/api/v1/posts?limit=-1",
                "/api/v1/posts?cursor=%25%25%25",
                "/api/v1/posts?cursor=" + badMicros,
                "/api/v1/posts?cursor=" + LONG,
                "/api/v1/contacts?limit=1e9",
                "/api/v1/contacts?filter=" + LONG,
                "/api/v1/contacts?filter=nonsense",
                "/api/v1/conversations?cursor=" + badMicros,
                "/api/v1/conversations?limit=0",
                "/api/v1/notifications?limit=-5",
                "/api/v1/posts/" + LONG,
                "/api/v1/conversations/" + LONG,
                "/api/v1/contacts/%FF%FE",
                "/api/v1/imports/" + LONG,
                "/import/" + LONG,
                "/oauth/authorize?max_age=9223372036854775807" + "&client_id=nope&response_type=code",
                "/oauth/authorize?client_id=" + LONG);
        signedIn.forEach(p -> cases.add(new Case("query", "GET", p, Who.SIGNED_IN, null, null, Body.PAGE)));
        List<String> token = List.of(
                "/migration/v1/posts?since=" + farFuture,
                "/migration/v1/posts?until=" + farFuture,
                "/migration/v1/posts?since=-999999999-01-01T00:00:00Z",
                "/migration/v1/posts?since=%2B999999999-12-31",
                "/migration/v1/posts?until=%2B999999999-12-31",
                "/migration/v1/posts?since=999999999",
                "/migration/v1/posts?since=2024-13-45",
                "/migration/v1/posts?since=2024-05-02&until=2024-05-01",
                "/migration/v1/posts?limit=1000000000",
                "/migration/v1/posts?limit=-1",
                "/migration/v1/posts?limit=" + HUGE_NUMBER,
                "/migration/v1/posts?changedAfter=-1",
                "/migration/v1/posts?changedAfter=" + HUGE_NUMBER,
                "/migration/v1/posts?snapshot=abc",
                "/migration/v1/posts?cursor=garbage",
                "/migration/v1/posts?cursor=" + badExportCursor,
                "/migration/v1/contacts?cursor=" + badExportCursor,
                "/migration/v1/nonsense",
                "/migration/v1/posts/" + NO_GUID + "/comments?cursor=" + badExportCursor,
                "/migration/v1/posts/" + NO_GUID + "/likes?limit=abc",
                "/migration/v1/photos/" + LONG + "/content");
        token.forEach(p -> cases.add(new Case("query", "GET", p, Who.TOKEN, null, null, Body.PROBLEM)));
        List<String> anyone = List.of(
                "/u/" + USER + "?cursor=" + badMicros,
                "/u/" + USER + "?cursor=garbage",
                "/u/" + LONG,
                "/u/" + USER + "/migration?page=abc",
                "/u/" + USER + "/migration?page=" + HUGE_NUMBER,
                "/posts/" + LONG,
                "/photos/" + LONG,
                "/hcard/users/" + LONG,
                "/.well-known/webfinger?resource=" + LONG,
                "/.well-known/webfinger?resource=acct:%FF%FE@%FF",
                "/.well-known/webfinger",
                "/federation/v1/moves/" + LONG,
                "/migration/v1/account",
                "/oauth/userinfo",
                "/oauth/authorize?client_id=nope");
        anyone.forEach(p -> cases.add(new Case("query", "GET", p, Who.STRANGER, null, null, Body.PAGE)));
    }

    private Response send(Case c) {
        RequestSpecification request = given().redirects()
                .follow(false)
                .config(RestAssuredConfig.config()
                        .encoderConfig(EncoderConfig.encoderConfig()
                                .appendDefaultContentCharsetToContentTypeIfUndefined(false)
                                // The bytes as they are: broken encodings are the point.
                                .encodeContentTypeAs("application/x-www-form-urlencoded", ContentType.BINARY)))
                .urlEncodingEnabled(false)
                .cookie(Csrf.COOKIE, CSRF);
        switch (c.who()) {
            case SIGNED_IN -> request.cookie("transplant_session", session);
            case TOKEN -> request.auth().oauth2(token);
            case ADMIN -> request.header("Authorization", "Bearer " + PostgresResource.ADMIN_TOKEN);
            case STRANGER -> {}
        }
        if (c.contentType() != null) {
            request.contentType(c.contentType()).body(c.body());
        }
        return request.request(c.method(), c.path());
    }

    /** The tables strangers could fill, and everything of the sweep account. */
    private String fingerprint() {
        try {
            return VertxContextSupport.<String>subscribeAndAwait(() -> pool.query("SELECT"
                            + " (SELECT count(*) FROM accounts) AS accounts,"
                            + " (SELECT count(*) FROM oidc_clients) AS clients,"
                            + " (SELECT count(*) FROM oidc_grants) AS grants,"
                            + " (SELECT count(*) FROM import_jobs) AS imports,"
                            + " (SELECT count(*) FROM remote_pods) AS pods,"
                            + " (SELECT count(*) FROM conversations) AS conversations,"
                            + " (SELECT count(*) FROM moved_people) AS moved,"
                            + " (SELECT count(*) FROM photos) AS photos,"
                            + " (SELECT count(*) FROM posts) AS posts,"
                            + " (SELECT count(*) FROM comments) AS comments,"
                            + " (SELECT count(*) FROM likes) AS likes,"
                            + " (SELECT count(*) FROM contacts) AS contacts,"
                            + " (SELECT count(*) FROM aspects) AS aspects,"
                            + " (SELECT count(*) FROM tag_followings) AS tags,"
                            + " (SELECT count(*) FROM sessions s JOIN accounts a ON a.id = s.account_id"
                            + "   WHERE a.username = '" + USER + "') AS sessions,"
                            + " (SELECT a.last_seq || a.state || md5(coalesce(p::text, '') || coalesce(st::text, ''))"
                            + "   FROM accounts a LEFT JOIN profiles p ON p.account_id = a.id"
                            + "   LEFT JOIN account_settings st ON st.account_id = a.id WHERE a.username = '" + USER
                            + "') AS sweeper")
                    .execute()
                    .map(rows -> rows.iterator().next().toJson().encode()));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] h = bytes(head);
        byte[] t = bytes(tail);
        byte[] all = new byte[h.length + middle.length + t.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(middle, 0, all, h.length, middle.length);
        System.arraycopy(t, 0, all, h.length + middle.length, t.length);
        return all;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
