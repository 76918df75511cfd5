package org.transplant.pod.admin;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The people of one generation: the account's contacts (each a pure function of the seed and its index, so a batch
 * can make contact i without the ones before it) and the pool of handles that comment, like and write messages.
 */
final class SyntheticPeople {

    /** Contacts taken into the pool of authors: enough for variety without holding every contact in memory. */
    private static final int POOL_CONTACTS = 1000;

    /** One remote person the account knows. {@code aspects} are indexes into the account's aspects. */
    record Contact(
            String handle,
            String personGuid,
            String displayName,
            boolean following,
            boolean follower,
            boolean blocked,
            int keyIndex,
            int[] aspects) {}

    private final long seed;
    private final int contacts;
    private final int numberOffset;
    private final String ownerHandle;
    private final List<String> pool;

    SyntheticPeople(long seed, int contacts, String ownerHandle, int minimumPool) {
        this.seed = SyntheticSeeds.mix64(seed ^ 0x5eedc0de7ac75L);
        this.contacts = contacts;
        this.numberOffset = new SplittableRandom(this.seed).nextInt(1_000_000);
        this.ownerHandle = ownerHandle;
        this.pool = buildPool(minimumPool);
    }

    /**
     * Contact {@code index}: ~70% share both ways, ~20% only follow the account, ~7% are only followed, ~3% blocked.
     * The number in the handle is a bijection of the index, so handles never repeat within a generation.
     */
    Contact contact(int index, int keyCount, int aspectCount) {
        SplittableRandom random = new SplittableRandom(SyntheticSeeds.mix64(seed + index));
        String first = SyntheticText.pick(random, SyntheticText.FIRST_NAMES);
        String last = SyntheticText.pick(random, SyntheticText.LAST_NAMES);
        long number = (index * 7919L + numberOffset) % 1_000_000L;
        String handle = first + number + "@" + SyntheticText.pick(random, SyntheticText.HOSTS);
        int relation = random.nextInt(100);
        boolean blocked = relation >= 97;
        boolean following = relation < 70 || (relation >= 90 && relation < 97);
        boolean follower = relation < 90;
        int[] aspects = new int[0];
        if (following && aspectCount > 0) {
            int firstAspect = random.nextInt(aspectCount);
            aspects = random.nextInt(100) < 20 && aspectCount > 1
                    ? new int[] {firstAspect, (firstAspect + 1 + random.nextInt(aspectCount - 1)) % aspectCount}
                    : new int[] {firstAspect};
        }
        return new Contact(
                handle,
                SyntheticSeeds.guidOf(handle),
                SyntheticText.displayName(first, last),
                following,
                follower,
                blocked,
                keyCount == 0 ? 0 : random.nextInt(keyCount),
                aspects);
    }

    /** Handles that comment, like and write: index 0 is the owner, then contacts, then strangers of public posts. */
    List<String> pool() {
        return pool;
    }

    /** Picks {@code count} distinct handles: a walk with a step coprime to the pool size never repeats. */
    String[] distinct(SplittableRandom random, int count, boolean withOwner) {
        int from = withOwner ? 0 : 1;
        int size = pool.size() - from;
        int step = 1 + random.nextInt(size);
        while (gcd(step, size) != 1) {
            step = 1 + random.nextInt(size);
        }
        int at = random.nextInt(size);
        String[] picked = new String[count];
        for (int i = 0; i < count; i++) {
            picked[i] = pool.get(from + at);
            at = (at + step) % size;
        }
        return picked;
    }

    /** A commenter: the owner about a quarter of the time, else anyone in the pool. */
    String commenter(SplittableRandom random) {
        return random.nextInt(4) == 0 ? ownerHandle : pool.get(1 + random.nextInt(pool.size() - 1));
    }

    String other(SplittableRandom random) {
        return pool.get(1 + random.nextInt(pool.size() - 1));
    }

    private List<String> buildPool(int minimumPool) {
        LinkedHashSet<String> handles = new LinkedHashSet<>();
        handles.add(ownerHandle);
        for (int i = 0; i < Math.min(contacts, POOL_CONTACTS); i++) {
            Contact contact = contact(i, 0, 0);
            if (!contact.blocked()) {
                handles.add(contact.handle());
            }
        }
        // Strangers: public posts get comments and likes from people the account doesn't know.
        SplittableRandom random = new SplittableRandom(SyntheticSeeds.mix64(seed ^ 0x57a4ce45L));
        for (int i = 0; handles.size() < minimumPool + 1 || i < 20; i++) {
            handles.add(SyntheticText.pick(random, SyntheticText.FIRST_NAMES) + "_" + i + "@"
                    + SyntheticText.pick(random, SyntheticText.HOSTS));
        }
        return new ArrayList<>(handles);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
