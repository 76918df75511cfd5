package org.transplant.pod.account;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.transplant.pod.session.SignedIn;
import org.transplant.pod.session.TokenAccounts;

/** {@code /api/v1/profile}: the signed-in person's own profile; there is no id, so nobody reaches another's. */
@Path("/api/v1/profile")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProfileResource {

    private final ProfileService profiles;
    private final SecurityIdentity identity;
    private final TokenAccounts tokens;

    public ProfileResource(ProfileService profiles, SecurityIdentity identity, TokenAccounts tokens) {
        this.profiles = profiles;
        this.identity = identity;
        this.tokens = tokens;
    }

    /** For the browser session, or for an access token with scope {@code profile} (read only). */
    @GET
    public Uni<ProfileBody> get() {
        SignedIn session = SignedIn.orNull(identity);
        return profiles.read(session != null ? session : tokens.require(identity, TokenAccounts.PROFILE));
    }

    @PUT
    public Uni<ProfileBody> replace(ProfileBody body) {
        return profiles.replace(SignedIn.of(identity), body);
    }
}
