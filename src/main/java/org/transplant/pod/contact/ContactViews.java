package org.transplant.pod.contact;

import java.util.List;

/** The JSON shapes of contacts and aspects. */
public final class ContactViews {

    private ContactViews() {}

    /** {@code aspects} null leaves the aspects of an existing contact as they are. */
    public record FollowRequest(String handle, List<String> aspects) {}

    public record AspectsRequest(List<String> aspects) {}

    public record ContactView(
            String handle,
            String displayName,
            boolean following,
            boolean follower,
            boolean blocked,
            List<String> aspects) {}

    /** {@code next} is the {@code after} value of the next page, null on the last one. */
    public record ContactPage(List<ContactView> items, String next) {}

    public record NewAspect(String name) {}

    public record AspectView(String name, long members) {}

    /** What a follow did: {@code created} when the caller did not share with the handle before. */
    public record Followed(String handle, boolean created) {}
}
