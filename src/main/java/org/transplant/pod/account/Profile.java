package org.transplant.pod.account;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.quarkus.qute.TemplateData;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;

@Entity
@Table(name = "profiles")
@TemplateData
public class Profile extends PanacheEntityBase {

    @Id
    @Column(name = "account_id")
    public Long accountId;

    @Column(name = "first_name")
    public String firstName;

    @Column(name = "last_name")
    public String lastName;

    public String bio;

    @Column(name = "avatar_url")
    public String avatarUrl;

    public String location;
    public LocalDate birthday;
    public String gender;

    /** Space-separated hashtags describing the person, as diaspora*'s tag_string. */
    @Column(name = "tag_string")
    public String tagString;

    public boolean searchable = true;
    public boolean nsfw;

    @Column(name = "public_details")
    public boolean publicDetails;

    @Column(name = "updated_at")
    public Instant updatedAt = Instant.now();

    public String displayName(String fallback) {
        String name = ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).trim();
        return name.isEmpty() ? fallback : name;
    }
}
