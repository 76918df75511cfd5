package org.transplant.pod.account;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.transplant.pod.crypto.PrivateKeyVault;

@Entity
@Table(name = "accounts")
@TemplateData
public class Account extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String guid;
    public String username;
    public String email;

    @Column(name = "password_hash")
    public String passwordHash;

    @Enumerated(EnumType.STRING)
    public AccountState state = AccountState.ACTIVE;

    @Column(name = "public_key_pem")
    public String publicKeyPem;

    /** The private key sealed by {@link PrivateKeyVault}: never PEM in the database. */
    @Column(name = "private_key_pem")
    public String privateKeySealed;

    @Column(name = "last_seq")
    public long lastSeq;

    @Column(name = "moved_to")
    public String movedTo;

    @Column(name = "created_at")
    public Instant createdAt = Instant.now();

    public static Uni<Account> findByUsername(String username) {
        return find("username", username).firstResult();
    }

    @Override
    public String toString() {
        return "Account[" + username + "]";
    }
}
