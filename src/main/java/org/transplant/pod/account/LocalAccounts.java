package org.transplant.pod.account;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.transplant.pod.Handle;
import org.transplant.pod.PodUrls;
import org.transplant.web.ProblemException;

/**
 * Finds the accounts behind handles of this pod, so that contacts and conversations can write the other side of a
 * relation. Runs inside the caller's Panache session; closed accounts count as gone.
 */
@ApplicationScoped
public class LocalAccounts {

    private final PodUrls urls;

    public LocalAccounts(PodUrls urls) {
        this.urls = urls;
    }

    /** The account id behind a handle of this pod, null for another pod's handle, a 404 when this pod has none. */
    public Uni<Long> require(Handle handle) {
        return find(handle).invoke(id -> {
            if (id == null && urls.localUsername(handle) != null) {
                throw ProblemException.notFound("The account " + handle);
            }
        });
    }

    /** The account id behind a handle of this pod, or null (another pod's handle, or no such account here). */
    public Uni<Long> find(Handle handle) {
        String username = urls.localUsername(handle);
        if (username == null) {
            return Uni.createFrom().nullItem();
        }
        return Account.findByUsername(username)
                .map(account -> account == null || account.state == AccountState.CLOSED ? null : account.id);
    }

    /** Account ids by handle for the handles of this pod that have an open account; the others are left out. */
    public Uni<Map<Handle, Long>> findAll(Collection<Handle> handles) {
        Map<String, Handle> byUsername = new HashMap<>();
        handles.forEach(h -> {
            String username = urls.localUsername(h);
            if (username != null) {
                byUsername.put(username, h);
            }
        });
        if (byUsername.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Account.<Account>list(
                        "username in ?1 and state != ?2", List.copyOf(byUsername.keySet()), AccountState.CLOSED)
                .map(accounts -> {
                    Map<Handle, Long> ids = new HashMap<>();
                    accounts.forEach(a -> ids.put(byUsername.get(a.username), a.id));
                    return ids;
                });
    }
}
