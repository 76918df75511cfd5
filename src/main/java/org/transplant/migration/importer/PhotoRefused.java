package org.transplant.migration.importer;

/**
 * A photo of the old pod that this pod left out, and why. The job goes on without it; the outcome is logged and
 * counted in the job's {@code done.photosSkipped}. {@code guid} is the old pod's text, cut to 100 characters:
 * whoever shows it escapes it.
 */
public record PhotoRefused(String guid, Reason reason) implements PhotoOutcome {

    public enum Reason {
        /** The guid is not of the shape guids have (it would end up in a URL or a path). */
        MALFORMED_GUID("its guid is malformed"),
        /** Another account of this pod has a photo with this guid; it is never changed or replaced. */
        GUID_TAKEN("another account here has a photo with the same guid"),
        /** The bytes are not a PNG, JPEG or GIF image, whatever type the old pod announced. */
        NOT_AN_IMAGE("it is not a PNG, JPEG or GIF image"),
        /** An image of no pixels or of more than 100 megapixels. */
        UNSUPPORTED_SIZE("its pixel size is not supported"),
        /** More bytes than this pod takes for a photo (transplant.photos.max-bytes); the transfer was cut off. */
        TOO_LARGE("it is larger than this pod takes for a photo"),
        /** The old pod answered 404 or 410 for its bytes: it no longer has them. */
        GONE("your old pod says it no longer has this photo"),
        /** Its bytes did not match the sha256 the old pod announced, also when sent again from the start. */
        DAMAGED("it arrived damaged twice (its bytes did not match what your old pod announced)"),
        /** The old pod answered 416 (Range not satisfiable) also when asked again for the whole photo. */
        NOT_SENT("your old pod would not send its bytes, even when asked again from the start");

        private final String words;

        Reason(String words) {
            this.words = words;
        }

        /** The reason in words a person can read. */
        public String words() {
            return words;
        }
    }

    static PhotoRefused of(Object guid, Reason reason) {
        String text = guid == null ? null : String.valueOf(guid);
        return new PhotoRefused(text != null && text.length() > 100 ? text.substring(0, 100) : text, reason);
    }
}
