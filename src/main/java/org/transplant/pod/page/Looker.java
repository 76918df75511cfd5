package org.transplant.pod.page;

import io.quarkus.security.identity.SecurityIdentity;
import org.transplant.pod.PodUrls;
import org.transplant.pod.session.SignedIn;

/** Who looks at a page, in the terms visibility queries take: account id (0 for nobody) and handle. */
record Looker(long accountId, String handle, SignedIn signedIn) {

    static Looker of(SecurityIdentity identity, PodUrls urls) {
        SignedIn signedIn = SignedIn.orNull(identity);
        return signedIn == null
                ? new Looker(0, "", null)
                : new Looker(signedIn.accountId(), urls.handleOf(signedIn.username()), signedIn);
    }
}
