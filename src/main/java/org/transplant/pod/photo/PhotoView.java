package org.transplant.pod.photo;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

public record PhotoView(
        String guid,
        String url,
        String contentType,
        long size,
        String sha256,
        int width,
        int height,
        @JsonProperty("public") boolean isPublic,
        Instant createdAt) {

    static PhotoView of(Photo photo, String url) {
        return new PhotoView(
                photo.guid,
                url,
                photo.contentType,
                photo.sizeBytes,
                photo.sha256,
                photo.width,
                photo.height,
                photo.isPublic,
                photo.createdAt);
    }
}
