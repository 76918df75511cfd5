package org.transplant.migration.importer;

import org.transplant.pod.photo.ImageInspector.ImageInfo;

/** What became of one photo of an old pod's page: copied, linked, already here, or left out ({@link PhotoRefused}). */
public sealed interface PhotoOutcome
        permits PhotoOutcome.Copied, PhotoOutcome.Linked, PhotoOutcome.AlreadyHere, PhotoRefused {

    /** The guid the old pod gave (untrusted text when the outcome is a refusal for its shape). */
    String guid();

    /**
     * The bytes are in this pod's store under {@code fileName} (a name this pod chose); type, pixel size, byte size
     * and digest are what this pod found in those bytes, not what the old pod claimed.
     */
    record Copied(String guid, String fileName, ImageInfo image, long size, String sha256) implements PhotoOutcome {}

    /** Kept on the old pod by the person's choice: {@code url} is the old pod's {@code /photos/{guid}}. */
    record Linked(String guid, String url) implements PhotoOutcome {}

    /** This account has the photo already (a page or a delta read again): nothing to copy or write. */
    record AlreadyHere(String guid) implements PhotoOutcome {}
}
