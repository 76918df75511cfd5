package org.transplant.pod.page;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.transplant.pod.Cursor;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.Account;
import org.transplant.pod.account.ProfileService;
import org.transplant.pod.post.PostQueries;
import org.transplant.web.ProblemException;

/** {@code /u/{username}}: a person's profile and the posts the viewer may see, newest first, 20 a page. */
@Path("/u/{username}")
public class ProfilePage {

    private final Template profile;
    private final ProfileService people;
    private final PostQueries posts;
    private final PodUrls urls;
    private final SecurityIdentity identity;

    public ProfilePage(
            Template profile, ProfileService people, PostQueries posts, PodUrls urls, SecurityIdentity identity) {
        this.profile = profile;
        this.people = people;
        this.posts = posts;
        this.urls = urls;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> show(@PathParam("username") String username, @QueryParam("cursor") String cursor) {
        Looker looker = Looker.of(identity, urls);
        Cursor after = Cursor.decode(cursor);
        return people.ofUsername(username)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("The person " + username))
                .chain(person -> {
                    Account account = person.account();
                    return posts.byAuthor(account.id, looker.accountId(), looker.handle(), after, 20)
                            .map(page -> profile.data("account", account)
                                    .data("handle", urls.handleOf(account.username))
                                    .data("name", person.profile().displayName(account.username))
                                    .data("profile", person.profile())
                                    .data("posts", page.items())
                                    .data("next", page.next())
                                    .data("own", account.id == looker.accountId()));
                });
    }
}
