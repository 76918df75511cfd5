package org.transplant.migration.importer;

import java.util.List;
import org.transplant.oidc.Scopes;

/** What the new pod asks the old pod for: the copy and the move (openid is added by the code flow). */
final class ImportScopes {

    static final List<String> LIST = List.of(Scopes.MIGRATION_READ, Scopes.MIGRATION_MOVE);
    static final String REQUESTED = Scopes.OPENID + " " + String.join(" ", LIST);

    private ImportScopes() {}
}
