package org.transplant.oidc.keys;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;

/** {@code /oauth/jwks}: the public keys that verify this pod's tokens (RFC 7517), for clients and the pod itself. */
@Path("/oauth/jwks")
public class JwksResource {

    private final SigningKeys keys;

    public JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces({"application/jwk-set+json", "application/json"})
    public Uni<Response> jwks() {
        return keys.published().map(published -> {
            List<Map<String, Object>> jwks = published.stream()
                    .map(key -> {
                        RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) key.publicKey());
                        jwk.setKeyId(key.kid());
                        jwk.setUse("sig");
                        jwk.setAlgorithm("RS256");
                        return jwk.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
                    })
                    .toList();
            return Response.ok(Map.of("keys", jwks))
                    .header("Cache-Control", "public, max-age=300")
                    .build();
        });
    }
}
