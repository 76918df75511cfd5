package org.transplant.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.qute.Template;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves the pod here, as application/problem+json for API callers and as a readable page for a
 * browser. Nothing below echoes exception class names or stack traces to the caller.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final Template error;

    public ProblemMappers(Template error) {
        this.error = error;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpHeaders headers) {
        Response response = respond(e.problem(), headers);
        if (e instanceof TooManyRequests limited) {
            return Response.fromResponse(response)
                    .header("Retry-After", limited.retryAfterSeconds())
                    .build();
        }
        if (e instanceof RetryLater later) {
            return Response.fromResponse(response)
                    .header("Retry-After", later.retryAfterSeconds())
                    .build();
        }
        return response;
    }

    // MismatchedInputException is named too: Quarkus REST has a built-in mapper for it that answers plain JSON.
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public Response unreadableJson(JsonProcessingException e, HttpHeaders headers) {
        String detail = "The request body is not valid JSON for this call";
        if (e instanceof InvalidFormatException format && !format.getPath().isEmpty()) {
            detail = "Field '" + fieldPath(format) + "' has a value of the wrong type";
        } else if (e instanceof MismatchedInputException mismatch
                && !mismatch.getPath().isEmpty()) {
            detail = "Field '" + fieldPath(mismatch) + "' has a value of the wrong type";
        }
        return respond(Problem.of(400, "malformed-json", "Malformed JSON", detail), headers);
    }

    /**
     * The body could not be read as its type says: a multipart body cut off or without its closing boundary, a
     * stream that ended early. The pod's own file and network failures come wrapped (UncheckedIOException) and
     * still count as internal errors.
     */
    @ServerExceptionMapper
    public Response unreadableBody(IOException e, HttpHeaders headers) {
        return respond(
                Problem.of(
                        400,
                        "malformed-body",
                        "Malformed body",
                        "The request body could not be read as its Content-Type says"),
                headers);
    }

    /** A form or query whose percent-encoding does not decode (%ZZ, a cut-off %E2%82): bad input, not a bug. */
    @ServerExceptionMapper
    public Response illegalArgument(IllegalArgumentException e, HttpHeaders headers) {
        if (UnreadableRequests.isUndecodable(e)) {
            return respond(
                    Problem.of(
                            400,
                            "malformed-encoding",
                            "Malformed encoding",
                            "The request has a percent-encoded value that does not decode"),
                    headers);
        }
        return unexpected(e, headers);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, HttpHeaders headers) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .toList();
        return respond(Problem.invalid(errors), headers);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, HttpHeaders headers) {
        return respond(Problem.of(401, "unauthorized", "Unauthorized", "Sign in first"), headers);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpHeaders headers) {
        return respond(Problem.of(403, "forbidden", "Forbidden", "You may not do this"), headers);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpHeaders headers) {
        // Quarkus REST wraps a JSON syntax error (StreamReadException) in a plain 400 before any mapper sees it.
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, headers);
        }
        int status = e.getResponse().getStatus();
        if (status < 400) {
            return e.getResponse();
        }
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase()
                : "Error";
        String slug = title.toLowerCase(Locale.ROOT).replace(' ', '-');
        String detail = status == 404 ? "Nothing is here" : title;
        return respond(Problem.of(status, slug, title, detail), headers);
    }

    @ServerExceptionMapper(priority = Priorities.USER + 1000)
    public Response unexpected(Throwable e, HttpHeaders headers) {
        if (TransactionConflicts.isRetryable(e)) {
            LOG.warn("A transaction was parted from another (deadlock or serialization failure); answered 503", e);
            return problem(
                    new RetryLater(
                            "try-again",
                            "This write met another one at the same moment and was not taken; send it again",
                            Duration.ofSeconds(1)),
                    headers);
        }
        LOG.error("Unexpected failure", e);
        return respond(
                Problem.of(
                        500,
                        "internal-error",
                        "Internal error",
                        "The pod failed to handle this request; the failure is in its log"),
                headers);
    }

    private Response respond(Problem problem, HttpHeaders headers) {
        if (wantsHtml(headers)) {
            return Response.status(problem.status())
                    .type(MediaType.TEXT_HTML_TYPE)
                    .entity(error.data("problem", problem).render())
                    .build();
        }
        return problem.toResponse();
    }

    private static boolean wantsHtml(HttpHeaders headers) {
        List<MediaType> accepted = headers.getAcceptableMediaTypes();
        return !accepted.isEmpty()
                && accepted.get(0).isCompatible(MediaType.TEXT_HTML_TYPE)
                && !accepted.get(0).isWildcardType();
    }

    private static String fieldPath(MismatchedInputException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> a + "." + b)
                .orElse("");
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
