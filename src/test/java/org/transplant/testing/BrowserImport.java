package org.transplant.testing;

import com.microsoft.playwright.Page;
import java.util.function.Predicate;

/** What a person does in the browser to start an import: B's import form, then A's own log-in and consent. */
public final class BrowserImport {

    private BrowserImport() {}

    /**
     * On B's open import form: fills it and sends it, waits for A's log-in page ({@code oldPodLogin} tells it by
     * URL), signs in there as {@code oldUser} and allows. B never sees the old password.
     */
    public static void confirm(
            Page page,
            String oldHandle,
            String newUser,
            String email,
            String photos,
            Predicate<String> oldPodLogin,
            String oldUser) {
        page.fill("input[name=handle]", oldHandle);
        page.fill("input[name=username]", newUser);
        page.fill("input[name=email]", email);
        page.fill("input[name=password]", PodApi.PASSWORD);
        page.check("input[name=photos][value=" + photos + "]");
        page.click("button[type=submit]");
        page.waitForURL(oldPodLogin);
        page.fill("input[name=username]", oldUser);
        page.fill("input[name=password]", PodApi.PASSWORD);
        page.click("button[type=submit]");
        page.click("button[name=decision][value=allow]");
    }
}
