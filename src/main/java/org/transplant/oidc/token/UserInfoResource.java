package org.transplant.oidc.token;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
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
import org.transplant.pod.account.ProfileService;
import org.transplant.pod.account.ProfileService.Person;

/** {@code /oauth/userinfo} (OIDC Core §5.3): who the token's person is, as much as its scopes allow. */
@Path("/oauth/userinfo")
public class UserInfoResource {

    private final SecurityIdentity identity;
    private final ProfileService people;
    private final PodUrls urls;

    public UserInfoResource(SecurityIdentity identity, ProfileService people, PodUrls urls) {
        this.identity = identity;
        this.people = people;
        this.urls = urls;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> get() {
        BearerToken token = BearerToken.require(identity, Scopes.OPENID);
        return people.ofAccount(token.accountId()).map(person -> claims(person, token));
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> post() {
        return get();
    }

    private Map<String, Object> claims(Person person, BearerToken token) {
        String username = person.account().username;
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", person.account().guid);
        claims.put("handle", urls.handleOf(username));
        if (token.scopes().contains(Scopes.PROFILE)) {
            claims.put("preferred_username", username);
            claims.put("name", person.profile().displayName(username));
            claims.put("profile", urls.url("/u/" + username));
            if (person.profile().avatarUrl != null) {
                claims.put("picture", person.profile().avatarUrl);
            }
        }
        return claims;
    }
}
