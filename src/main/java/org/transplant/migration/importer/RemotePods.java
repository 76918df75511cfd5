package org.transplant.migration.importer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.transplant.discovery.WebFingerClient;
import org.transplant.outbound.OutboundRefused;
import org.transplant.outbound.PodHttp;
import org.transplant.outbound.RegisteredOrigins;
import org.transplant.outbound.SameOrigin;
import org.transplant.outbound.TransportFailures;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.pod.crypto.SecretBox;
import org.transplant.pod.session.SessionTokens;
import org.transplant.web.Problem;
import org.transplant.web.ProblemException;

/**
 * Old pods this pod is an OpenID Connect client of. The first import from a pod finds it (WebFinger names the
 * person's issuer, as diaspora* does; the issuer's metadata names its registration endpoint) and registers once
 * (RFC 7591); later imports from there reuse the client.
 */
@ApplicationScoped
public class RemotePods implements RegisteredOrigins {

    private static final Logger LOG = Logger.getLogger(RemotePods.class);
    static final String ISSUER_REL = "http://openid.net/specs/connect/1.0/issuer";
    /** Path segments of letters, digits and {@code . _ ~ -}: what issuers use, and nothing that reads as prose. */
    private static final Pattern ISSUER_PATH = Pattern.compile("(/[A-Za-z0-9._~-]{1,64}){0,8}");

    static final String CALLBACK_PATH = "/import/connect/callback/";

    /** A registered old pod; the secret is open here and sealed in the database. */
    public record RemotePod(long id, String issuer, String clientId, String clientSecret, String callbackKey) {}

    private final Pool pool;
    private final PodHttp http;
    private final SecretBox secrets;
    private final PodUrls urls;
    private final WebFingerClient webFinger;

    public RemotePods(Pool pool, PodHttp http, SecretBox secrets, PodUrls urls, WebFingerClient webFinger) {
        this.pool = pool;
        this.http = http;
        this.webFinger = webFinger;
        this.secrets = secrets;
        this.urls = urls;
    }

    /** The old pod of {@code handle}, registered with if this is the first import from it; 422 if it cannot be. */
    public Uni<RemotePod> forHandle(Handle handle) {
        return issuerOf(handle)
                .chain(issuer -> byIssuer(issuer).onItem().ifNull().switchTo(() -> register(issuer)));
    }

    public Uni<RemotePod> byId(long id) {
        return one("SELECT * FROM remote_pods WHERE id = $1", Tuple.of(id));
    }

    public Uni<RemotePod> byCallbackKey(String key) {
        return one("SELECT * FROM remote_pods WHERE callback_key = $1", Tuple.of(key));
    }

    public String callbackUrl(RemotePod pod) {
        return urls.url(CALLBACK_PATH + pod.callbackKey());
    }

    @Override
    public Uni<Boolean> isRegistered(String url) {
        String host = URI.create(url).getHost();
        return pool.preparedQuery("SELECT issuer FROM remote_pods WHERE position($1 in issuer) > 0")
                .execute(Tuple.of(host))
                .map(rows -> {
                    for (Row row : rows) {
                        if (SameOrigin.same(url, row.getString(0))) {
                            return true;
                        }
                    }
                    return false;
                });
    }

    private Uni<RemotePod> byIssuer(String issuer) {
        return one("SELECT * FROM remote_pods WHERE issuer = $1", Tuple.of(issuer));
    }

    private Uni<RemotePod> one(String sql, Tuple args) {
        return pool.preparedQuery(sql)
                .execute(args)
                .map(rows -> rows.iterator().hasNext() ? toPod(rows.iterator().next()) : null);
    }

    private Uni<String> issuerOf(Handle handle) {
        return webFinger
                .lookup(handle)
                .onFailure(WebFingerClient.Unreachable.class)
                .transform(e -> e.getCause() instanceof OutboundRefused refused
                        ? notCalled(handle.host(), refused)
                        : unreachable(handle.host(), e.getMessage()))
                .map(person -> {
                    if (person == null) {
                        throw ProblemException.invalid("handle", "no account " + handle + " on " + handle.host());
                    }
                    String issuer = person.link(ISSUER_REL);
                    if (issuer == null) {
                        throw ProblemException.invalid(
                                "handle",
                                handle.host() + " names no OpenID Connect issuer for " + handle
                                        + ", so it cannot hand the account over");
                    }
                    // A JRD could name any server as the issuer; only the handle's own host speaks for its people.
                    if (!SameOrigin.onHost(issuer, handle.host())) {
                        throw refused(handle.host() + " names an OpenID Connect issuer on another host");
                    }
                    String trimmed = issuer.replaceAll("/+$", "");
                    // The issuer is repeated in what people read (errors, the job's links): its path is plain.
                    URI parsed = URI.create(trimmed);
                    if (!ISSUER_PATH.matcher(parsed.getRawPath()).matches()
                            || parsed.getRawQuery() != null
                            || parsed.getRawFragment() != null) {
                        throw refused(handle.host() + " names an OpenID Connect issuer with an unusual path");
                    }
                    return trimmed;
                });
    }

    private Uni<RemotePod> register(String issuer) {
        String callbackKey = SessionTokens.newToken().substring(0, 16);
        return http.request(HttpMethod.GET, issuer + "/.well-known/openid-configuration")
                .send()
                .onFailure()
                .transform(e -> notCalled(issuer, e))
                .chain(response -> {
                    JsonObject metadata = response.statusCode() == 200 ? PodHttp.jsonBody(response) : new JsonObject();
                    String endpoint = metadata.getValue("registration_endpoint") instanceof String text ? text : null;
                    if (endpoint == null) {
                        throw ProblemException.invalid(
                                "handle",
                                issuer + " does not let apps register, so this pod" + " cannot ask it for the account");
                    }
                    checkMetadata(issuer, metadata);
                    JsonObject client = new JsonObject()
                            .put("client_name", "Transplant at " + urls.host())
                            .put("client_uri", urls.baseUrl())
                            .put("redirect_uris", new JsonArray().add(urls.url(CALLBACK_PATH + callbackKey)))
                            .put(
                                    "grant_types",
                                    new JsonArray().add("authorization_code").add("refresh_token"))
                            .put("response_types", new JsonArray().add("code"))
                            .put("token_endpoint_auth_method", "client_secret_basic")
                            .put("scope", ImportScopes.REQUESTED);
                    return http.request(HttpMethod.POST, endpoint).sendJsonObject(client);
                })
                .onFailure(e -> !(e instanceof ProblemException))
                .transform(e -> notCalled(issuer, e))
                .chain(response -> {
                    JsonObject registered = PodHttp.jsonBody(response);
                    // The status only: what the registration endpoint said is not this pod's to repeat to a caller.
                    if (response.statusCode() != 201 && response.statusCode() != 200) {
                        throw unreachable(issuer, "registration answered " + response.statusCode());
                    }
                    if (!(registered.getValue("client_id") instanceof String)
                            || !(registered.getValue("client_secret") instanceof String)) {
                        throw unreachable(issuer, "registration answered without a client id and secret");
                    }
                    LOG.infof("Registered with %s as client %s", issuer, registered.getString("client_id"));
                    // Two imports registering at once: the first row wins, the other client is left unused.
                    return pool.preparedQuery("INSERT INTO remote_pods (issuer, client_id, client_secret, callback_key)"
                                    + " VALUES ($1, $2, $3, $4) ON CONFLICT (issuer) DO NOTHING")
                            .execute(Tuple.of(
                                    issuer,
                                    registered.getString("client_id"),
                                    secrets.seal(registered.getString("client_secret")),
                                    callbackKey))
                            .chain(() -> byIssuer(issuer));
                });
    }

    private RemotePod toPod(Row r) {
        return new RemotePod(
                r.getLong("id"),
                r.getString("issuer"),
                r.getString("client_id"),
                secrets.open(r.getString("client_secret")),
                r.getString("callback_key"));
    }

    /**
     * The issuer's metadata must be about itself (OpenID Connect Discovery §4.3) and keep every endpoint on its own
     * host: quarkus-oidc later calls the token and JWKS endpoints named here.
     */
    private static void checkMetadata(String issuer, JsonObject metadata) {
        if (!(metadata.getValue("issuer") instanceof String named) || !issuer.equals(named.replaceAll("/+$", ""))) {
            throw refused(issuer + " serves metadata about another issuer");
        }
        for (String field : new String[] {
            "registration_endpoint",
            "authorization_endpoint",
            "token_endpoint",
            "jwks_uri",
            "userinfo_endpoint",
            "revocation_endpoint"
        }) {
            Object endpoint = metadata.getValue(field);
            if (endpoint != null && !(endpoint instanceof String url && SameOrigin.same(url, issuer))) {
                throw refused(issuer + " names its " + field + " on another host");
            }
        }
    }

    /** A policy refusal is the caller's to fix (422); anything else means the old pod could not be reached. */
    private static ProblemException notCalled(String where, Throwable e) {
        if (e instanceof OutboundRefused refused && !refused.passing()) {
            return refused(refused.getMessage());
        }
        return unreachable(where, TransportFailures.describe(e));
    }

    private static ProblemException refused(String why) {
        return new ProblemException(
                Problem.of(422, "old-pod-refused", "Old pod refused", "This pod will not call that old pod: " + why));
    }

    private static ProblemException unreachable(String where, String why) {
        return new ProblemException(
                Problem.of(502, "old-pod-unreachable", "Old pod unreachable", "Could not reach " + where + ": " + why));
    }
}
