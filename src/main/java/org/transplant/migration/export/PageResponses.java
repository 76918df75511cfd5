package org.transplant.migration.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Base64;
import org.transplant.migration.api.MigrationPage;
import org.transplant.pod.PodUrls;
import org.transplant.pod.crypto.Sha256;

/**
 * Writes Migration API JSON with what a polite client uses: an ETag over the exact bytes (a repeated
 * {@code If-None-Match} gets 304 and no body) and, on pages, the next page as {@code Link: <…>; rel="next"}.
 */
@ApplicationScoped
public class PageResponses {

    private final ObjectMapper json;
    private final PodUrls urls;

    public PageResponses(ObjectMapper json, PodUrls urls) {
        this.json = json;
        this.urls = urls;
    }

    public Response page(MigrationPage<?> page, String path, ExportQuery query, String ifNoneMatch) {
        MigrationPage<?> linked = page.next() == null
                ? page
                : new MigrationPage<>(
                        page.formatVersion(),
                        page.collection(),
                        page.snapshot(),
                        page.items(),
                        nextUrl(path, page.next(), query));
        Response.ResponseBuilder response = json(linked, ifNoneMatch);
        if (linked.next() != null) {
            response.header("Link", "<" + linked.next() + ">; rel=\"next\"");
        }
        return response.build();
    }

    public Response document(Object body, String ifNoneMatch) {
        return json(body, ifNoneMatch).build();
    }

    private Response.ResponseBuilder json(Object body, String ifNoneMatch) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String etag = "\"" + digest(bytes) + "\"";
        Response.ResponseBuilder response =
                etag.equals(ifNoneMatch) ? Response.notModified() : Response.ok(bytes, MediaType.APPLICATION_JSON_TYPE);
        return response.header("ETag", etag).header("Cache-Control", "private, no-cache");
    }

    /** The next page keeps the filters of this one; the cursor carries the snapshot and position. */
    private String nextUrl(String path, String cursor, ExportQuery query) {
        StringBuilder url = new StringBuilder(urls.url(path))
                .append("?cursor=")
                .append(cursor)
                .append("&limit=")
                .append(query.limit());
        if (query.since() != null) {
            url.append("&since=").append(query.since());
        }
        if (query.until() != null) {
            url.append("&until=").append(query.until());
        }
        if (query.changedAfter() != null) {
            url.append("&changedAfter=").append(query.changedAfter());
        }
        return url.toString();
    }

    private static String digest(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.of(bytes));
    }
}
