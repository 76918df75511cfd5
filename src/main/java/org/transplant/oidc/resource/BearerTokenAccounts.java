package org.transplant.oidc.resource;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.pod.session.SignedIn;
import org.transplant.pod.session.TokenAccounts;

/** The pod's routes that tokens may read learn the token's account here, with its scope checked. */
@ApplicationScoped
public class BearerTokenAccounts implements TokenAccounts {

    @Override
    public SignedIn require(SecurityIdentity identity, String scope) {
        return BearerToken.require(identity, scope).account();
    }
}
