package org.transplant.pod.contact;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.exception.ConstraintViolationException;
import org.transplant.pod.account.ChangeSequence;
import org.transplant.pod.contact.ContactViews.AspectView;
import org.transplant.pod.contact.ContactViews.NewAspect;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ProblemException;

/** Creates aspects, and tells other features whether an account has an aspect of a given name. */
@ApplicationScoped
public class AspectService {

    static final int MAX_NAME = 64;

    private final ChangeSequence sequence;

    public AspectService(ChangeSequence sequence) {
        this.sequence = sequence;
    }

    public Uni<AspectView> create(SignedIn me, NewAspect request) {
        String name =
                request == null || request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw ProblemException.invalid("name", "an aspect's name has 1 to " + MAX_NAME + " characters");
        }
        // A change number, though the row carries none: the move's changes-pending check must see the edit, and the
        // account document (copied again with every delta) carries it.
        return Panache.withTransaction(() -> sequence.next(me.accountId())
                        .chain(() -> Aspect.count("accountId = ?1 and name = ?2", me.accountId(), name))
                        .chain(count -> {
                            if (count > 0) {
                                throw taken(name);
                            }
                            Aspect aspect = new Aspect();
                            aspect.accountId = me.accountId();
                            aspect.name = name;
                            return aspect.<Aspect>persist();
                        }))
                // Two requests for the same new name can both pass the check; the unique key stops the second.
                .onFailure(ConstraintViolationException.class)
                .transform(e -> taken(name))
                .map(aspect -> new AspectView(aspect.name, 0));
    }

    /** Whether the account has an aspect of this name; call it inside a Panache session. */
    public Uni<Boolean> exists(long accountId, String name) {
        return Aspect.count("accountId = ?1 and name = ?2", accountId, name).map(count -> count > 0);
    }

    private static ProblemException taken(String name) {
        return ProblemException.conflict("aspect-taken", "You already have an aspect named '" + name + "'");
    }
}
