package org.transplant.oidc.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.transplant.oidc.authorize.OAuthFlow.answer;
import static org.transplant.oidc.authorize.OAuthFlow.assertRedirectedError;
import static org.transplant.oidc.authorize.OAuthFlow.authorize;
import static org.transplant.oidc.authorize.OAuthFlow.hiddenFields;
import static org.transplant.oidc.authorize.OAuthFlow.query;
import static org.transplant.oidc.authorize.OAuthFlow.register;
import static org.transplant.oidc.authorize.OAuthFlow.request;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transplant.oidc.authorize.GrantStore.Grant;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * A backup app proposes a span ({@code backup_from}, {@code backup_until}); the consent page pre-fills it, and only
 * what the person submits binds the grant. An earlier consent to another span is not silently reused for it.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ConsentProposedSpanTest {

    private static final String PROPOSES = "proposes this span; you may change it";

    @Inject
    GrantStore grants;

    @Inject
    Pool pool;

    @Test
    void theProposalIsPreFilledAndCarriedInTheForm() {
        OAuthFlow.Client client = register("Proposing app", "http://127.0.0.1:49180/callback");
        String session = OAuthFlow.signedUp("ps_ada");
        Map<String, String> params = proposing(client, "2024-01-01", "2024-12-31");
        Response page = authorize(session, PodClient.csrf(), params);
        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.asString();
        assertThat(html)
                .contains("name=\"span_from\" value=\"2024-01-01\"")
                .contains("name=\"span_until\" value=\"2024-12-31\"")
                .contains("Proposing app " + PROPOSES);
        assertThat(hiddenFields(html)).isEqualTo(params);
    }

    @Test
    void aProposalWithoutBackupReadIsNotShown() {
        OAuthFlow.Client client = register("Not a backup", "http://127.0.0.1:49181/callback");
        String session = OAuthFlow.signedUp("ps_ben");
        Map<String, String> params = proposing(client, "2024-01-01", "2024-12-31");
        params.put("scope", "openid migration:read");
        String html = authorize(session, null, params).asString();
        assertThat(html).doesNotContain("span_from").doesNotContain(PROPOSES);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"2024-13-45|2024-12-31", "\"><script>alert(1)</script>|", "|+10000-01-01", "2024-12-31|2024-01-01"
            })
    void anUnusableProposalIsNotPreFilledAndThePageStillShows(String from, String until) {
        String user = "ps_bad_" + Math.abs((from + "|" + until).hashCode());
        OAuthFlow.Client client = register("Sloppy " + user, "http://127.0.0.1:49182/callback");
        String session = OAuthFlow.signedUp(user);
        Map<String, String> params = proposing(client, from, until);
        Response page = authorize(session, null, params);
        assertThat(page.statusCode()).isEqualTo(200);
        // Carried on as sent, escaped, like any parameter; only the inputs ignore it.
        assertThat(hiddenFields(page.asString())).isEqualTo(params);
        assertThat(page.asString())
                .contains("<input type=\"date\" name=\"span_from\">")
                .contains("<input type=\"date\" name=\"span_until\">")
                .doesNotContain(PROPOSES)
                .doesNotContain("<script>");
    }

    @Test
    void theProposalSurvivesTheLogInDetours() {
        OAuthFlow.Client client = register("Detour app", "http://127.0.0.1:49183/callback");
        Map<String, String> params = proposing(client, "2024-02-01", "2024-02-29");
        String next = OAuthFlow.loginNext(authorize(null, null, params).header("Location"));
        assertThat(query(next)).containsAllEntriesOf(params);

        // prompt=login sends a signed-in person through the log-in page again, with the pod's marker added.
        String old = OAuthFlow.signedUp("ps_cleo");
        Map<String, String> again = query(next);
        again.put("prompt", "login");
        String relogin = OAuthFlow.loginNext(authorize(old, null, again).header("Location"));
        assertThat(query(relogin)).containsKey("login_after").containsAllEntriesOf(params);

        Response page = authorize(PodClient.logIn("ps_cleo"), null, query(relogin));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.asString())
                .contains("name=\"span_from\" value=\"2024-02-01\"")
                .contains("name=\"span_until\" value=\"2024-02-29\"");
    }

    @Test
    void whatThePersonSubmitsBindsNotTheProposal() {
        OAuthFlow.Client client = register("Overruled app", "http://127.0.0.1:49184/callback");
        String session = OAuthFlow.signedUp("ps_dora");
        String csrf = PodClient.csrf();
        String html = authorize(session, csrf, proposing(client, "2024-01-01", "2024-12-31"))
                .asString();
        assertThat(html).contains("name=\"span_from\" value=\"2024-01-01\"");
        Map<String, String> fields = hiddenFields(html);
        assertThat(fields).containsEntry("backup_from", "2024-01-01");
        // The person cleared both inputs: everything, whatever the app proposed.
        fields.put("span_from", "");
        fields.put("span_until", "");
        assertThat(answer(session, csrf, fields, "allow").statusCode()).isEqualTo(303);
        assertThat(liveGrants("ps_dora")).singleElement().satisfies(grant -> {
            assertThat(grant.spanFrom()).isNull();
            assertThat(grant.spanUntil()).isNull();
        });
    }

    @Test
    void promptNoneReusesAnEarlierConsentOnlyForTheSpanItWasGivenFor() {
        OAuthFlow.Client client = register("Silent backup", "http://127.0.0.1:49185/callback");
        String session = OAuthFlow.signedUp("ps_emil");
        String csrf = PodClient.csrf();
        Map<String, String> fields =
                hiddenFields(authorize(session, csrf, proposing(client, "2024-01-01", "2024-12-31"))
                        .asString());
        fields.put("span_from", "2024-06-01");
        fields.put("span_until", "2024-06-30");
        assertThat(answer(session, csrf, fields, "allow").statusCode()).isEqualTo(303);

        Map<String, String> other = proposing(client, "2024-01-01", "2024-12-31");
        other.put("prompt", "none");
        assertRedirectedError(authorize(session, null, other), other, "consent_required", "not allowed");

        Map<String, String> same = proposing(client, "2024-06-01", "2024-06-30");
        same.put("prompt", "none");
        Response reused = authorize(session, null, same);
        assertThat(reused.statusCode()).isEqualTo(303);
        assertThat(query(reused.header("Location"))).containsKey("code");

        // An app that proposes nothing gets the consent the person gave, span and all.
        Map<String, String> none = request(client, "backup:read");
        none.put("prompt", "none");
        assertThat(query(authorize(session, null, none).header("Location"))).containsKey("code");
        assertThat(liveGrants("ps_emil")).singleElement().satisfies(grant -> {
            assertThat(grant.spanFrom()).isEqualTo(Instant.parse("2024-06-01T00:00:00Z"));
            assertThat(grant.spanUntil()).isEqualTo(Instant.parse("2024-06-30T23:59:59.999999Z"));
        });
    }

    private static Map<String, String> proposing(OAuthFlow.Client client, String from, String until) {
        Map<String, String> params = request(client, "backup:read");
        if (from != null) {
            params.put("backup_from", from);
        }
        if (until != null) {
            params.put("backup_until", until);
        }
        return params;
    }

    private List<Grant> liveGrants(String username) {
        try {
            return VertxContextSupport.subscribeAndAwait(
                    () -> pool.preparedQuery("SELECT id FROM accounts WHERE username = $1")
                            .execute(Tuple.of(username))
                            .map(rows -> rows.iterator().next().getLong(0))
                            .chain(grants::liveGrants));
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
