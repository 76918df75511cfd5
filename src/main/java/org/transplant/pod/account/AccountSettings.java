package org.transplant.pod.account;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "account_settings")
public class AccountSettings extends PanacheEntityBase {

    @Id
    @Column(name = "account_id")
    public Long accountId;

    public String language = "en";

    @Column(name = "disable_mail")
    public boolean disableMail;

    @Column(name = "show_community_spotlight")
    public boolean showCommunitySpotlight;

    @Column(name = "auto_follow_back")
    public boolean autoFollowBack;

    @Column(name = "auto_follow_back_aspect")
    public String autoFollowBackAspect;

    @Column(name = "default_post_visibility")
    public String defaultPostVisibility = "public";
}
