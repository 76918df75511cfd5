package org.transplant.migration.move;

import io.smallrye.mutiny.Uni;

/**
 * The archives this pod wrote for its accounts, as a revocation needs them: an account is closed only for an
 * archive this pod wrote for it and the person has not removed. Implemented where the archives live
 * ({@code archive.Archives}).
 */
public interface IssuedArchives {

    /** Whether this pod wrote, for the account, the archive whose encrypted part has {@code dataSha256}. */
    Uni<Boolean> issued(long accountId, String dataSha256);
}
