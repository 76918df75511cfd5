package org.transplant.pod.account;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.web.ProblemException;

/** Stops writes by an account that is not active: a moved account says where its person went. */
@ApplicationScoped
public class AccountGuard {

    public Uni<Account> requireActive(long accountId) {
        return Account.<Account>findById(accountId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("This account"))
                .invoke(account -> {
                    switch (account.state) {
                        case ACTIVE -> {}
                        case MOVED, MOVING ->
                            throw ProblemException.forbidden(
                                    "account-moved",
                                    account.movedTo == null
                                            ? "This account is moving to another pod and takes no new content"
                                            : "This account moved to " + account.movedTo + " and takes no new content");
                        case CLOSED -> throw ProblemException.forbidden("account-closed", "This account is closed");
                    }
                });
    }
}
