package org.transplant.pod.admin;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.AccountService;
import org.transplant.pod.account.SignUp;

/** The admin API ({@link AdminGuard} checks the token): opens accounts and fills them for demos and benchmarks. */
@Path("/admin/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminResource {

    /** What the admin API answers for a new account: never the password or the private key. */
    public record CreatedAccount(String username, String handle, String email, String publicKey) {
    }

    private final AccountService accounts;
    private final PodUrls urls;

    public AdminResource(AccountService accounts, PodUrls urls) {
        this.accounts = accounts;
        this.urls = urls;
    }

    @POST
    public Uni<Response> create(SignUp request) {
        return accounts.signUp(request).map(account -> Response
                .created(URI.create(urls.url("/u/" + account.username)))
                .entity(new CreatedAccount(account.username, urls.handleOf(account.username), account.email,
                        account.publicKeyPem))
                .build());
    }
}
