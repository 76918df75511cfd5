package org.transplant.migration.move;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.transplant.pod.account.MovedAway;
import org.transplant.web.Problem;

/**
 * Old links keep working after a move: on the old pod, a moved account's profile, posts and photos answer
 * 301 with their new address (a post's new URL is the new pod's pattern over the same guid, so no table of
 * redirects is kept), and a comment or like on a moved post is refused with a pointer to the new copy.
 */
public class MovedAccountRedirects {

    private static final Pattern PROFILE = Pattern.compile("^/u/([^/]+)/?$");
    private static final Pattern POST = Pattern.compile("^/posts/([^/]+)(/.*)?$");
    private static final Pattern API_POST = Pattern.compile("^/api/v1/posts/([^/]+)/(comments|likes)/?$");
    private static final Pattern PHOTO = Pattern.compile("^/photos/([^/]+)/?$");

    private final MovedAway movedAway;

    public MovedAccountRedirects(MovedAway movedAway) {
        this.movedAway = movedAway;
    }

    @ServerRequestFilter
    public Uni<Response> redirect(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        Matcher m;
        if (read && (m = PROFILE.matcher(path)).matches()) {
            return movedAway.profileUrl(m.group(1)).map(url -> url == null ? null : moved(url));
        }
        if ((m = POST.matcher(path)).matches() || (m = API_POST.matcher(path)).matches()) {
            String guid = m.group(1);
            return movedAway.postUrlPattern(guid).map(pattern -> {
                if (pattern == null) {
                    return null;
                }
                String url = pattern.replace("{guid}", guid);
                return read && !path.startsWith("/api/") ? moved(url) : gone(url);
            });
        }
        if (read && (m = PHOTO.matcher(path)).matches()) {
            String guid = m.group(1);
            return movedAway
                    .photoUrlPattern(guid)
                    .map(pattern -> pattern == null ? null : moved(pattern.replace("{guid}", guid)));
        }
        return Uni.createFrom().nullItem();
    }

    private static Response moved(String url) {
        return Response.status(Response.Status.MOVED_PERMANENTLY)
                .location(URI.create(url))
                .build();
    }

    /** Writing to a moved post: 410, with the new copy as Location and in the words. */
    private static Response gone(String url) {
        return Response.fromResponse(Problem.of(
                                410,
                                "post-moved",
                                "Post moved",
                                "This post moved with its author; comment or like it at " + url)
                        .toResponse())
                .location(URI.create(url))
                .build();
    }
}
