package org.transplant.oidc.token;

import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;

/** The token endpoint's form (RFC 6749 §4.1.3, §6; RFC 7636 §4.5) and the client's Basic credentials. */
public class TokenRequest {

    @FormParam("grant_type")
    public String grantType;

    @FormParam("code")
    public String code;

    @FormParam("redirect_uri")
    public String redirectUri;

    @FormParam("code_verifier")
    public String codeVerifier;

    @FormParam("refresh_token")
    public String refreshToken;

    @FormParam("scope")
    public String scope;

    @FormParam("client_id")
    public String clientId;

    @FormParam("client_secret")
    public String clientSecret;

    @HeaderParam(HttpHeaders.AUTHORIZATION)
    public String authorization;

    @Override
    public String toString() {
        return "TokenRequest[" + grantType + "]";
    }
}
