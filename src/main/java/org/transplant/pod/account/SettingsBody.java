package org.transplant.pod.account;

/**
 * An account's settings as {@code GET /api/v1/settings} shows them and {@code PUT} replaces them: a field left out
 * of a PUT goes back to its default (English, mail on, no spotlight, no follow-back, public posts).
 */
public record SettingsBody(
        String language,
        Boolean disableMail,
        Boolean showCommunitySpotlight,
        Boolean autoFollowBack,
        String autoFollowBackAspect,
        String defaultPostVisibility) {}
