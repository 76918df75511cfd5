package org.transplant.pod.conversation;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A private conversation (diaspora*'s "conversation"): a subject, its participants by handle, and messages. */
@Entity
@Table(name = "conversations")
public class Conversation extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String guid;

    public String subject;

    @Column(name = "author_handle")
    public String authorHandle;

    @Column(name = "created_at")
    public Instant createdAt;
}
