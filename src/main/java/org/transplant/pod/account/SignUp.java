package org.transplant.pod.account;

/** What a person gives to open an account: from the sign-up page or the admin API. */
public record SignUp(String username, String password, String email) {

    @Override
    public String toString() {
        return "SignUp[" + username + "]";
    }
}
