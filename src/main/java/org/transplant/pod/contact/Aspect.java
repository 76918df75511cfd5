package org.transplant.pod.contact;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A named group of contacts (diaspora*'s aspect) that a limited post is shared with. */
@Entity
@Table(name = "aspects")
public class Aspect extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "account_id")
    public Long accountId;

    public String name;

    @Column(name = "created_at")
    public Instant createdAt = Instant.now();
}
