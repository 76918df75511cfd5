package org.transplant.archive;

import java.time.Instant;
import org.transplant.pod.PodUrls;

/** An archive as {@code /api/v1/archives} shows it. */
public record ArchiveStatus(
        String id,
        String state,
        String step,
        String photos,
        Long bytes,
        String sha256,
        String error,
        Instant createdAt,
        Instant readyAt,
        Instant expiresAt,
        String downloadUrl) {

    static ArchiveStatus of(ArchiveJob job, PodUrls urls) {
        return new ArchiveStatus(
                job.id(),
                job.state().name(),
                job.step(),
                job.photos().value(),
                job.bytes(),
                job.sha256(),
                job.error(),
                job.createdAt(),
                job.readyAt(),
                job.expiresAt(),
                job.state() == ArchiveJob.State.READY ? urls.url("/api/v1/archives/" + job.id() + "/file") : null);
    }
}
