package org.transplant.pod.account;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.transplant.config.TransplantConfig;
import org.transplant.web.ProblemException;

/** Checks a sign-up before anything is written; each refusal names the field a person must fix. */
public final class SignUpRules {

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9_]{1,32}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final Set<String> RESERVED = Set.of(
            "admin",
            "api",
            "login",
            "logout",
            "signup",
            "import",
            "settings",
            "root",
            "support",
            "postmaster",
            "webmaster",
            "transplant");
    private static final int MAX_PASSWORD = 1024;

    private SignUpRules() {}

    public static SignUp check(SignUp request, TransplantConfig.Accounts rules) {
        if (request == null) {
            throw ProblemException.badRequest(
                    "missing-body", "A JSON body with username, password and email is required");
        }
        String username =
                request.username() == null ? "" : request.username().trim().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(username).matches()) {
            throw ProblemException.invalid("username", "use 1 to 32 letters, digits or underscores");
        }
        if (RESERVED.contains(username)) {
            throw ProblemException.invalid("username", "this name is reserved");
        }
        String email = request.email() == null ? "" : request.email().trim();
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            throw ProblemException.invalid("email", "must be an email address like name@example.org");
        }
        checkPassword(request.password(), username, rules.minPasswordLength());
        return new SignUp(username, request.password(), email);
    }

    /** Refuses (400, field {@code password}) a password that is short, long, repetitive or holds the username. */
    public static void checkPassword(String password, String username, int minLength) {
        if (password == null || password.isEmpty()) {
            throw ProblemException.invalid("password", "is required");
        }
        if (password.length() < minLength) {
            throw ProblemException.invalid("password", "must have at least " + minLength + " characters");
        }
        if (password.length() > MAX_PASSWORD) {
            throw ProblemException.invalid("password", "must have at most " + MAX_PASSWORD + " characters");
        }
        if (password.chars().distinct().count() < 4
                || password.toLowerCase(Locale.ROOT).contains(username)) {
            throw ProblemException.invalid("password", "is too easy to guess");
        }
    }
}
