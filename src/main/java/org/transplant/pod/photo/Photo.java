package org.transplant.pod.photo;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "photos")
public class Photo extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String guid;

    @Column(name = "account_id")
    public Long accountId;

    @Column(name = "post_id")
    public Long postId;

    @Column(name = "public")
    public boolean isPublic = true;

    @Column(name = "file_name")
    public String fileName;

    @Column(name = "content_type")
    public String contentType;

    @Column(name = "size_bytes")
    public long sizeBytes;

    public String sha256;
    public int width;
    public int height;
    public String caption;
    public long seq;

    @Column(name = "created_at")
    public Instant createdAt;
}
