package org.transplant.pod.account;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.List;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;
import org.transplant.config.TransplantConfig;
import org.transplant.pod.Guids;
import org.transplant.pod.crypto.KeyPairs;
import org.transplant.pod.crypto.PasswordHasher;
import org.transplant.pod.crypto.PrivateKeyVault;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.web.ProblemException;

/** Opens accounts: checks the request, hashes the password and makes the key pair off the event loop, then writes. */
@ApplicationScoped
public class AccountService {

    private static final Logger LOG = Logger.getLogger(AccountService.class);
    /** diaspora*'s default aspects, so that a new person can share with a group at once. */
    static final List<String> DEFAULT_ASPECTS = List.of("Family", "Friends", "Work", "Acquaintances");

    private final TransplantConfig config;
    private final PasswordHasher hasher;
    private final WorkerPool workers;
    private final PrivateKeyVault vault;
    private final SecureRandom random = new SecureRandom();

    public AccountService(TransplantConfig config, PasswordHasher hasher, WorkerPool workers, PrivateKeyVault vault) {
        this.config = config;
        this.hasher = hasher;
        this.workers = workers;
        this.vault = vault;
    }

    public Uni<Account> signUp(SignUp request) {
        SignUp checked = SignUpRules.check(request, config.accounts());
        return Panache.withSession(() -> Account.findByUsername(checked.username()))
                .invoke(existing -> {
                    if (existing != null) {
                        throw usernameTaken(checked.username());
                    }
                })
                .chain(() -> workers.run(() -> new Secrets(
                        hasher.hash(checked.password()),
                        KeyPairs.generate(config.accounts().rsaKeyBits(), random))))
                .chain(secrets -> Panache.withTransaction(() -> persist(checked, secrets)))
                .onFailure(AccountService::isUniqueViolation)
                .transform(e -> usernameTaken(checked.username()))
                .invoke(account -> LOG.infof("Opened account %s", account.username));
    }

    /** Whether the username is free; the import flow asks before it starts. */
    public Uni<Boolean> isAvailable(String username) {
        return Panache.withSession(() -> Account.count("username", username)).map(count -> count == 0);
    }

    private Uni<Account> persist(SignUp request, Secrets secrets) {
        Account account = new Account();
        account.guid = Guids.next();
        account.username = request.username();
        account.email = request.email();
        account.passwordHash = secrets.passwordHash();
        account.publicKeyPem = secrets.keys().publicKeyPem();
        account.privateKeySealed = vault.seal(secrets.keys().privateKeyPem());
        return account.<Account>persist()
                .call(saved -> {
                    Profile profile = new Profile();
                    profile.accountId = saved.id;
                    AccountSettings settings = new AccountSettings();
                    settings.accountId = saved.id;
                    return Panache.getSession().chain(session -> session.persistAll(profile, settings));
                })
                .call(saved -> Panache.getSession().chain(session -> {
                    Uni<Integer> chain = Uni.createFrom().item(0);
                    for (String aspect : DEFAULT_ASPECTS) {
                        chain = chain.chain(() -> session.createNativeQuery(
                                        "INSERT INTO aspects (account_id, name) VALUES (?1, ?2)")
                                .setParameter(1, saved.id)
                                .setParameter(2, aspect)
                                .executeUpdate());
                    }
                    return chain;
                }));
    }

    private static ProblemException usernameTaken(String username) {
        return ProblemException.conflict("username-taken", "The username '" + username + "' is taken on this pod");
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException
                    || (t.getMessage() != null && t.getMessage().contains("accounts_username_key"))) {
                return true;
            }
        }
        return false;
    }

    private record Secrets(String passwordHash, KeyPairs.PemKeyPair keys) {
        @Override
        public String toString() {
            return "Secrets[redacted]";
        }
    }
}
