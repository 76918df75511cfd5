package org.transplant.testing;

import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.specification.RequestSpecification;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Requests to the pod under @QuarkusTest from another loopback address (127.0.0.0/8 is all local on Linux), so a
 * test can be two clients: per-address limits key on the connection's source address.
 */
public final class FromAddress {

    private FromAddress() {}

    public static RequestSpecification given(String localAddress) {
        try {
            InetAddress local = InetAddress.getByName(localAddress);
            return RestAssured.given()
                    .baseUri("http://127.0.0.1")
                    .config(RestAssured.config()
                            .httpClient(
                                    HttpClientConfig.httpClientConfig().setParam("http.route.local-address", local)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
