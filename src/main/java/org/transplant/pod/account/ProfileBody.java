package org.transplant.pod.account;

import java.time.LocalDate;
import java.util.List;

/**
 * A person's profile as {@code GET /api/v1/profile} shows it and {@code PUT} replaces it: a field left out of a PUT
 * goes back to its default (null, no tags, searchable, not nsfw, details private).
 */
public record ProfileBody(
        String firstName,
        String lastName,
        String bio,
        String avatarUrl,
        String location,
        LocalDate birthday,
        String gender,
        List<String> tags,
        Boolean searchable,
        Boolean nsfw,
        Boolean publicDetails) {}
