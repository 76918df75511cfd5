package org.transplant.oidc.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.transplant.oidc.authorize.OAuthFlow.answer;
import static org.transplant.oidc.authorize.OAuthFlow.authorize;
import static org.transplant.oidc.authorize.OAuthFlow.hiddenFields;
import static org.transplant.oidc.authorize.OAuthFlow.register;
import static org.transplant.oidc.authorize.OAuthFlow.request;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/**
 * Nonsense on the consent page: a backup span in year 999999999 (or before year 1), or a max_age no clock can add,
 * is answered with the page and a 400 (or handled as the largest age), never a 500, and grants nothing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class NonsenseSpanTest {

    @Inject
    Pool pool;

    @ParameterizedTest
    @CsvSource({
        "+999999999-12-31,",
        "+999999999-01-01,",
        ",+999999999-12-31",
        "-999999999-01-01,",
        "0000-01-01,",
        ",+10000-01-01"
    })
    void aSpanOutsideTheYearsOneTo9999IsA400Page(String from, String until) throws Throwable {
        String user = "ns_" + Math.abs((from + until).hashCode());
        OAuthFlow.Client client = register("Backup " + user, "http://127.0.0.1:49170/callback");
        String session = OAuthFlow.signedUp(user);
        String csrf = PodClient.csrf();
        Map<String, String> fields = hiddenFields(
                authorize(session, csrf, request(client, "backup:read")).asString());
        fields.put("span_from", from == null ? "" : from);
        fields.put("span_until", until == null ? "" : until);
        Response response = answer(session, csrf, fields, "allow");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.asString()).contains("years 1 to 9999");
        assertThat(grants(user)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807", "99999999999"})
    void aHugeMaxAgeIsNoOverflow(String maxAge) {
        OAuthFlow.Client client = register("Patient app", "https://patient.example/cb");
        String session = OAuthFlow.signedUp("ns_age_" + maxAge.length());
        String csrf = PodClient.csrf();
        Map<String, String> params = request(client, "openid");
        params.put("max_age", maxAge);
        // Signed in a moment ago, well within any age: the consent page.
        Response response = authorize(session, csrf, params);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asString()).contains("Patient app");
    }

    private long grants(String username) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.query("SELECT count(*) FROM oidc_grants g"
                        + " JOIN accounts a ON a.id = g.account_id WHERE a.username = '" + username + "'")
                .execute()
                .map(rows -> rows.iterator().next().getLong(0)));
    }
}
