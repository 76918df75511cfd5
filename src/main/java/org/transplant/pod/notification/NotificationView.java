package org.transplant.pod.notification;

import java.time.Instant;

public record NotificationView(long id, String kind, String actor, String target, boolean unread, Instant createdAt) {}
