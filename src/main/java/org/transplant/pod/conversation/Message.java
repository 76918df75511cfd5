package org.transplant.pod.conversation;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "messages")
public class Message extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String guid;

    @Column(name = "conversation_id")
    public Long conversationId;

    @Column(name = "author_handle")
    public String authorHandle;

    public String text;

    @Column(name = "created_at")
    public Instant createdAt;
}
