package org.transplant.pod.contact;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A person this account knows by handle: whether it shares with them, they with it, and whether it blocks them. */
@Entity
@Table(name = "contacts")
public class Contact extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "account_id")
    public Long accountId;

    public String handle;

    @Column(name = "person_guid")
    public String personGuid;

    @Column(name = "display_name")
    public String displayName;

    @Column(name = "public_key_pem")
    public String publicKeyPem;

    /** This account shares with them (diaspora*'s "sharing"). */
    public boolean following;

    /** They share with this account (diaspora*'s "receiving"). */
    public boolean follower;

    public boolean blocked;

    public long seq;

    @Column(name = "created_at")
    public Instant createdAt = Instant.now();

    /** A row that says nothing any more: no sharing either way and no block. */
    boolean isEmpty() {
        return !following && !follower && !blocked;
    }
}
