package org.transplant.diaspora;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.transplant.discovery.HCardClient;
import org.transplant.discovery.WebFingerClient;
import org.transplant.discovery.WebFingerResource;
import org.transplant.federation.PersonKeys;
import org.transplant.migration.importer.ImportReport.LeftOut;
import org.transplant.pod.Handle;

/**
 * The public keys the authors of others' comments and likes signed with. An export is written by the old pod (or by
 * whoever holds it), so the keys it carries for contacts are its own word: a key this pod already holds comes first,
 * then the one the author's pod serves now (WebFinger, then diaspora*'s hCard), and only when that pod is gone (its
 * name has no address) or knows no such person, the export's; a pod that fails otherwise leaves its author keyless. A network key that differs from the export's wins, and is reported.
 */
@ApplicationScoped
public class AuthorKeys {

    private static final Logger LOG = Logger.getLogger(AuthorKeys.class);

    /** How many authors are looked up at once. */
    private static final int AT_ONCE = 8;

    /**
     * How long all look-ups of one import may take together: the start waits for them, and an export may name
     * authors on pods that answer slowly or never. Authors not found by then are checked with the export's keys.
     */
    static final Duration ALL_WITHIN = Duration.ofSeconds(60);

    /** The keys found, by handle, and what the person is told of them. */
    record Found(Map<String, PublicKey> keys, List<LeftOut> notes) {}

    private final PersonKeys held;
    private final WebFingerClient webFinger;
    private final HCardClient hCards;

    public AuthorKeys(PersonKeys held, WebFingerClient webFinger, HCardClient hCards) {
        this.held = held;
        this.webFinger = webFinger;
        this.hCards = hCards;
    }

    /**
     * The key of each of {@code authors}; {@code exported} are the export's keys (PEM by handle). At most
     * {@code maxLookups} authors are looked up on the network (their pods answer slowly or never); the rest are
     * checked with the keys this pod holds or the export's, and the person is told.
     */
    Uni<Found> find(Set<String> authors, Map<String, String> exported, int maxLookups) {
        Map<String, PublicKey> keys = new ConcurrentHashMap<>();
        List<LeftOut> notes = Collections.synchronizedList(new ArrayList<>());
        Set<String> deadHosts = ConcurrentHashMap.newKeySet();
        // Keys held here first, for every author: neither the look-ups' bounds nor the export may put another first.
        return held.heldFor(authors).chain(heldKeys -> {
            List<String> toAsk = new ArrayList<>();
            for (String author : authors) {
                PublicKey known = parsed(heldKeys.get(author));
                if (known != null) {
                    keys.put(author, mismatch(author, known, parsed(exported.get(author)), notes));
                } else {
                    toAsk.add(author);
                }
            }
            Collections.sort(toAsk);
            List<String> asked = toAsk.subList(0, Math.min(maxLookups, toAsk.size()));
            if (toAsk.size() > maxLookups) {
                notes.add(new LeftOut(
                        "comments",
                        "authors",
                        (toAsk.size() - maxLookups) + " authors' pods were not asked for their keys (this pod asks at"
                                + " most " + maxLookups + "), so their comments and likes are left out"));
            }
            return Multi.createFrom()
                    .iterable(asked)
                    .onItem()
                    .transformToUni(author -> keyOf(author, exported.get(author), deadHosts, notes)
                            .invoke(key -> {
                                if (key != null) {
                                    keys.put(author, key);
                                }
                            }))
                    .merge(AT_ONCE)
                    .collect()
                    .last()
                    .ifNoItem()
                    .after(ALL_WITHIN)
                    .recoverWithItem(() -> {
                        notes.add(new LeftOut(
                                "comments",
                                "authors",
                                "not every author's pod answered within " + ALL_WITHIN.toSeconds() + " s; the comments"
                                        + " and likes of those not found by then are left out"));
                        return null;
                    })
                    .map(ignored -> new Found(Map.copyOf(keys), List.copyOf(notes)));
        });
    }

    /**
     * The key of an author this pod holds none for: the one their pod serves now, else (their pod does not answer, or
     * knows no such person) the export's.
     */
    private Uni<PublicKey> keyOf(String author, String exportedPem, Set<String> deadHosts, List<LeftOut> notes) {
        Handle handle;
        try {
            handle = Handle.parse("author", author);
        } catch (RuntimeException e) {
            return Uni.createFrom().nullItem();
        }
        PublicKey exported = parsed(exportedPem);
        if (deadHosts.contains(handle.host())) {
            return Uni.createFrom().item(exported);
        }
        return served(handle)
                .map(servedKey -> servedKey == null ? exported : mismatch(author, servedKey, exported, notes))
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.debugf("No key served for %s: %s", author, e.getMessage());
                    // Only a pod that is gone (its name has no address) leaves the export's key standing; one that
                    // failed otherwise (busy, slow, limiting) may be a live pod the export made busy on purpose.
                    if (gone(e)) {
                        deadHosts.add(handle.host());
                        return exported;
                    }
                    return null;
                });
    }

    private static boolean gone(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.transplant.outbound.OutboundRefused.NoAddress) {
                return true;
            }
        }
        return false;
    }

    /** The key the author's pod serves now, or null when it knows no such person or serves none readable. */
    private Uni<PublicKey> served(Handle handle) {
        return webFinger.lookup(handle).chain(person -> {
            if (person == null) {
                return Uni.createFrom().nullItem();
            }
            PublicKey transplant = parsed(person.property(WebFingerResource.PROP_PUBLIC_KEY));
            if (transplant != null) {
                return Uni.createFrom().item(transplant);
            }
            return hCards.key(person).map(AuthorKeys::parsed);
        });
    }

    private static PublicKey mismatch(String author, PublicKey network, PublicKey exported, List<LeftOut> notes) {
        if (exported != null && !java.util.Arrays.equals(exported.getEncoded(), network.getEncoded())) {
            notes.add(new LeftOut(
                    "contacts",
                    author,
                    "the export gives another key for this person than their pod does; their comments and likes were"
                            + " checked with their pod's"));
        }
        return network;
    }

    /**
     * An author's key, or null: at most 4096 bits here (what diaspora* and its peers make), since checking a signature
     * costs with the key's size, and an export chooses its authors' keys and how many comments they signed.
     */
    private static PublicKey parsed(String pem) {
        if (pem == null) {
            return null;
        }
        try {
            PublicKey key = DiasporaKeys.publicKey(pem);
            return key instanceof java.security.interfaces.RSAPublicKey rsa
                            && rsa.getModulus().bitLength() <= 4096
                    ? key
                    : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
