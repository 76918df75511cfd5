package org.transplant.oidc.token;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.transplant.oidc.keys.SigningKeys;
import org.transplant.pod.PodUrls;

/** Reads this pod's own access tokens where the resource side is not involved (revocation): signature and issuer. */
@ApplicationScoped
public class AccessTokenReader {

    private final SigningKeys keys;
    private final PodUrls urls;

    public AccessTokenReader(SigningKeys keys, PodUrls urls) {
        this.keys = keys;
        this.urls = urls;
    }

    /** The verified claims, or null for anything that is not a live token signed by this pod. */
    public Uni<JwtClaims> read(String token) {
        return keys.published().map(published -> {
            List<JsonWebKey> jwks = published.stream()
                    .<JsonWebKey>map(key -> {
                        RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) key.publicKey());
                        jwk.setKeyId(key.kid());
                        return jwk;
                    })
                    .toList();
            try {
                return new JwtConsumerBuilder()
                        .setVerificationKeyResolver(new JwksVerificationKeyResolver(jwks))
                        .setExpectedIssuer(urls.baseUrl())
                        .setExpectedAudience(urls.baseUrl())
                        .setRequireJwtId()
                        .setRequireExpirationTime()
                        .setAllowedClockSkewInSeconds(30)
                        .build()
                        .processToClaims(token);
            } catch (InvalidJwtException e) {
                return null;
            }
        });
    }
}
