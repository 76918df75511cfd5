package org.transplant.testing;

import io.restassured.specification.RequestSpecification;

/** {@link PodApi} for the pod under @QuarkusTest: short static calls for the tests that use it most. */
public final class PodClient {

    public static final String PASSWORD = PodApi.PASSWORD;
    private static final PodApi LOCAL = new PodApi(null, PostgresResource.ADMIN_TOKEN);

    private PodClient() {}

    public static RequestSpecification admin() {
        return LOCAL.admin();
    }

    public static void createAccount(String username) {
        LOCAL.createAccount(username);
    }

    public static String csrf() {
        return LOCAL.csrf();
    }

    public static String logIn(String username) {
        return LOCAL.logIn(username);
    }

    /** Opens an account and logs it in: the session cookie's value. */
    public static String signedIn(String username) {
        createAccount(username);
        return logIn(username);
    }

    /** The handle of a local account, as the pod under test writes it. */
    public static String handle(String username) {
        return username + "@localhost:8081";
    }

    public static RequestSpecification as(String session) {
        return LOCAL.as(session);
    }
}
