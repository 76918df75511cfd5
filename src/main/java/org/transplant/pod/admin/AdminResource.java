package org.transplant.pod.admin;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.AccountService;
import org.transplant.pod.account.ProfileService;
import org.transplant.pod.account.SignUp;
import org.transplant.web.ProblemException;

/** The admin API ({@link AdminGuard} checks the token): opens accounts and fills them for demos and benchmarks. */
@Path("/admin/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminResource {

    /** What the admin API answers for a new account: never the password or the private key. */
    public record CreatedAccount(String username, String handle, String email, String publicKey) {}

    private final AccountService accounts;
    private final ProfileService people;
    private final SyntheticContentGenerator generator;
    private final PodUrls urls;

    public AdminResource(
            AccountService accounts, ProfileService people, SyntheticContentGenerator generator, PodUrls urls) {
        this.accounts = accounts;
        this.people = people;
        this.generator = generator;
        this.urls = urls;
    }

    @POST
    public Uni<Response> create(SignUp request) {
        return accounts.signUp(request)
                .map(account -> Response.created(URI.create(urls.url("/u/" + account.username)))
                        .entity(new CreatedAccount(
                                account.username, urls.handleOf(account.username), account.email, account.publicKeyPem))
                        .build());
    }

    /** Fills an account with realistic content in bulk, deterministic for a seed; answers what it wrote. */
    @POST
    @Path("/{username}/synthetic-content")
    public Uni<SyntheticContentResult> fill(@PathParam("username") String username, SyntheticContentRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("missing-body", "A JSON body with the amounts to generate is required");
        }
        SyntheticContentGenerator.validate(request);
        return people.ofUsername(username)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("The account " + username))
                .chain(person ->
                        generator.generate(person.account().id, urls.handleOf(person.account().username), request));
    }
}
