package org.transplant.oidc.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.transplant.oidc.authorize.OAuthFlow.authorize;
import static org.transplant.oidc.authorize.OAuthFlow.register;
import static org.transplant.oidc.authorize.OAuthFlow.request;
import static org.transplant.oidc.authorize.OAuthFlow.signedUp;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.transplant.testing.PodClient;
import org.transplant.testing.PostgresResource;

/** The consent page says what each scope reads: all of it, in words a person understands. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ConsentWordsTest {

    private static final Pattern ABILITY = Pattern.compile("<li>([^<]*)</li>");

    @Test
    void backupReadNamesEverythingItReads() {
        String backup = ability("cw_bea", "backup:read");
        // Everything the Migration API serves a backup:read token.
        assertThat(backup)
                .contains(
                        "read only",
                        "profile",
                        "settings",
                        "aspects",
                        "posts",
                        "comments and likes",
                        "photos",
                        "contacts",
                        "private conversations with their messages",
                        "followed tags",
                        "notifications",
                        "time span");
        assertThat(ability("cw_mia", "migration:read"))
                .contains(
                        "profile",
                        "settings",
                        "aspects",
                        "posts",
                        "comments and likes",
                        "photos",
                        "contacts",
                        "private conversations with their messages",
                        "followed tags",
                        "notifications");
        assertThat(ability("cw_pia", "profile"))
                .contains("name", "picture", "bio", "location", "birthday", "gender", "tags");
    }

    /** The one ability the consent page lists for a request of this one scope. */
    private static String ability(String username, String scope) {
        OAuthFlow.Client client = register("Words " + scope, "http://127.0.0.1:49161/callback");
        String session = signedUp(username);
        String page =
                authorize(session, PodClient.csrf(), request(client, scope)).asString();
        Matcher m = ABILITY.matcher(page.substring(page.indexOf("class=\"abilities\"")));
        assertThat(m.find()).as(page).isTrue();
        return m.group(1);
    }
}
