package org.transplant.oidc.keys;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /admin/v1/oidc/signing-keys/rotate} (admin token): a new key signs from now on. */
@Path("/admin/v1/oidc/signing-keys/rotate")
public class SigningKeyAdminResource {

    /** The key that signs after the rotation. */
    public record Rotated(String kid) {}

    private final SigningKeys keys;

    public SigningKeyAdminResource(SigningKeys keys) {
        this.keys = keys;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Rotated> rotate() {
        return keys.rotate().map(key -> new Rotated(key.kid()));
    }
}
