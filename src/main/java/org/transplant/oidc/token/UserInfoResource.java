package org.transplant.oidc.token;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.resource.BearerToken;
import org.transplant.pod.PodUrls;

/** {@code /oauth/userinfo} (OIDC Core §5.3): who the token's person is, as much as its scopes allow. */
@Path("/oauth/userinfo")
public class UserInfoResource {

    private final SecurityIdentity identity;
    private final Pool pool;
    private final PodUrls urls;

    public UserInfoResource(SecurityIdentity identity, Pool pool, PodUrls urls) {
        this.identity = identity;
        this.pool = pool;
        this.urls = urls;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> get() {
        BearerToken token = BearerToken.require(identity, Scopes.OPENID);
        long accountId = token.accountId();
        return pool.preparedQuery("SELECT a.guid, a.username, p.first_name, p.last_name, p.avatar_url FROM accounts a"
                + " LEFT JOIN profiles p ON p.account_id = a.id WHERE a.id = $1").execute(Tuple.of(accountId))
                .map(rows -> claims(rows.iterator().next(), token));
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> post() {
        return get();
    }

    private Map<String, Object> claims(Row row, BearerToken token) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", row.getString("guid"));
        claims.put("handle", urls.handleOf(row.getString("username")));
        if (token.scopes().contains(Scopes.PROFILE)) {
            claims.put("preferred_username", row.getString("username"));
            String name = ((row.getString("first_name") == null ? "" : row.getString("first_name")) + " "
                    + (row.getString("last_name") == null ? "" : row.getString("last_name"))).trim();
            claims.put("name", name.isEmpty() ? row.getString("username") : name);
            claims.put("profile", urls.url("/u/" + row.getString("username")));
            if (row.getString("avatar_url") != null) {
                claims.put("picture", row.getString("avatar_url"));
            }
        }
        return claims;
    }
}
