package org.transplant.archive;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.transplant.web.Problem;
import org.transplant.web.ServerLimits;

/**
 * A part of an upload is read whole into memory by the endpoint, and anyone may send one: so it must announce its
 * length, at most {@link ArchiveUploads#MAX_PART_BYTES}, and is refused before any of it is read otherwise (the
 * pod's body limit, twice that, holds for every other request).
 */
@ApplicationScoped
public class UploadPartLimit {

    void install(@Observes Router router) {
        // Right after the pod's own limits (ServerLimits), before anything reads the body.
        router.put(ArchiveUploadResource.PATH + "/*")
                .order(Integer.MIN_VALUE + 1)
                .handler(UploadPartLimit::check);
    }

    private static void check(RoutingContext context) {
        if (context.request().getHeader("Content-Length") == null) {
            ServerLimits.refuse(
                    context,
                    Problem.of(
                            411,
                            "length-required",
                            "Length required",
                            "A part of an upload announces its length (Content-Length)"));
        } else if (ServerLimits.announced(context.request()) > ArchiveUploads.MAX_PART_BYTES) {
            ServerLimits.refuse(context, ServerLimits.tooLarge(ArchiveUploads.MAX_PART_BYTES));
        } else {
            context.next();
        }
    }
}
