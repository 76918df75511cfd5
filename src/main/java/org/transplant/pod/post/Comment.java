package org.transplant.pod.post;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "comments")
public class Comment extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String guid;

    @Column(name = "post_id")
    public Long postId;

    @Column(name = "author_handle")
    public String authorHandle;

    public String text;

    /** Counts in the post owner's account: a comment is a change to the owner's content. */
    public long seq;

    @Column(name = "created_at")
    public Instant createdAt;
}
