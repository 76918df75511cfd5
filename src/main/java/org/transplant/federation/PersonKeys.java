package org.transplant.federation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.jboss.logging.Logger;
import org.transplant.discovery.WebFingerClient;
import org.transplant.discovery.WebFingerResource;
import org.transplant.pod.Handle;
import org.transplant.pod.contact.RemoteContactAdded;
import org.transplant.pod.crypto.KeyPairs;

/**
 * Public keys of people of other pods, each exactly as the person's own pod served it (WebFinger). Only this class
 * writes them: unlike a key in a contact row, which an import may have brought from anywhere, a key held here can
 * check what the person signed, even once their pod is gone. Learned when someone here follows or blocks them.
 *
 * <p>The first key learned is kept for good: whatever the person's host serves later never replaces it. Whoever takes
 * over a dead pod's domain can serve any key there, and must not thereby sign for (and move) its people.
 */
@ApplicationScoped
public class PersonKeys {

    private static final Logger LOG = Logger.getLogger(PersonKeys.class);

    private final Pool pool;
    private final WebFingerClient webFinger;

    public PersonKeys(Pool pool, WebFingerClient webFinger) {
        this.pool = pool;
        this.webFinger = webFinger;
    }

    /** The key held for {@code handle}, or null. */
    public Uni<String> held(Handle handle) {
        return pool.preparedQuery("SELECT public_key_pem FROM person_keys WHERE handle = $1")
                .execute(Tuple.of(handle.toString()))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
    }

    /** The keys held for any of {@code handles} (lower case), by handle. */
    public Uni<java.util.Map<String, String>> heldFor(java.util.Collection<String> handles) {
        return pool.preparedQuery("SELECT handle, public_key_pem FROM person_keys WHERE handle = ANY($1)")
                .execute(Tuple.of(handles.toArray(String[]::new)))
                .map(rows -> {
                    java.util.Map<String, String> held = new java.util.HashMap<>();
                    rows.forEach(row -> held.put(row.getString(0), row.getString(1)));
                    return held;
                });
    }

    /** Where {@code handle} moved to, by a move notice this pod took, or null. */
    public Uni<String> movedTo(Handle handle) {
        return pool.preparedQuery("SELECT new_handle FROM moved_people WHERE old_handle = $1")
                .execute(Tuple.of(handle.toString()))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
    }

    /**
     * The key held for the person: the one already held if there is one (what their host serves now does not replace
     * it), else the one their pod serves now, which is then kept. Null when nothing is held and the pod knows no such
     * person or serves no readable key. Fails with {@link WebFingerClient.Unreachable} when nothing is held and the
     * pod does not answer.
     */
    public Uni<String> fetch(Handle handle) {
        return held(handle)
                .chain(held -> held != null
                        ? Uni.createFrom().item(held)
                        : served(handle)
                                .chain(pem -> pem == null
                                        ? Uni.createFrom().nullItem()
                                        // Two look-ups at once: the first key stored wins, and both callers get that
                                        // one.
                                        : pool.preparedQuery(
                                                        "INSERT INTO person_keys (handle, public_key_pem) VALUES ($1, $2)"
                                                                + " ON CONFLICT (handle) DO NOTHING")
                                                .execute(Tuple.of(handle.toString(), pem))
                                                .chain(() -> held(handle))));
    }

    /**
     * The key the person's pod serves now, without keeping it: a stranger's unchecked notice must not make this pod
     * hold, for good, whatever a domain serves at that moment. Null when there is no such person or no readable key.
     */
    public Uni<String> served(Handle handle) {
        return webFinger.lookup(handle).map(person -> {
            String pem = person == null ? null : person.property(WebFingerResource.PROP_PUBLIC_KEY);
            return pem == null || !readable(pem) ? null : pem;
        });
    }

    void learn(@ObservesAsync RemoteContactAdded contact) {
        fetch(contact.handle())
                .subscribe()
                .with(pem -> {}, e -> LOG.debugf("No key learned for %s: %s", contact.handle(), e.getMessage()));
    }

    private static boolean readable(String pem) {
        try {
            KeyPairs.parsePublicKey(pem);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
