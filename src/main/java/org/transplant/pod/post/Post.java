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
@Table(name = "posts")
public class Post extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String guid;

    @Column(name = "account_id")
    public Long accountId;

    public String text;

    /** Public posts are readable by anyone; the others only by the author and the contacts in their aspects. */
    @Column(name = "public")
    public boolean isPublic;

    /** The guid of the reshared post, for a reshare. */
    @Column(name = "root_guid")
    public String rootGuid;

    @Column(name = "provider_display_name")
    public String providerDisplayName;

    public long seq;

    @Column(name = "created_at")
    public Instant createdAt;
}
