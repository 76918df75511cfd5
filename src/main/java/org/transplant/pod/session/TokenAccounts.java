package org.transplant.pod.session;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The account an app's access token opens, for the few pod routes a token may read. The OIDC provider, a feature
 * above the pod, issues and checks the tokens and answers here.
 */
public interface TokenAccounts {

    /** The standard scope that reads the profile. */
    String PROFILE = "profile";

    /** The token's account if the request carries an access token holding {@code scope}; else a 403 problem. */
    SignedIn require(SecurityIdentity identity, String scope);
}
