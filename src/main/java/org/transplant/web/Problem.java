package org.transplant.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.qute.TemplateData;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An error body per RFC 9457 (application/problem+json). {@code type} is stable and machine-readable; {@code detail}
 * is for people. {@code errors} names the offending fields of a rejected request.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@TemplateData
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);
    private static final String TYPE_BASE = "https://transplant.social/problems/";

    @TemplateData
    public record FieldError(String field, String message) {}

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, List.of());
    }

    /** 400 invalid-input naming each offending field. */
    public static Problem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : "Some fields are invalid";
        return new Problem(TYPE_BASE + "invalid-input", "Invalid input", 400, detail, errors);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA).entity(this).build();
    }
}
