package org.transplant.pod.tag;

import java.time.Instant;

/** The JSON shapes of tag followings. */
public final class TagFollowingViews {

    private TagFollowingViews() {}

    public record NewTagFollowing(String tag) {}

    public record TagFollowingView(String tag, Instant createdAt) {}
}
