package org.transplant.migration.api;

/**
 * {@code POST /migration/v1/move}: the new pod asks the old one to finish a move. {@code nonce} is the one the old
 * pod handed out with this authorization ({@code moveNonce} in the account document); {@code seenSeq} is the
 * change sequence the new pod has copied up to, so a change made after it stops the move until it is copied too.
 * The URL patterns hold {@code {guid}} where a post's or photo's guid goes; without {@code photoUrl} the old pod
 * keeps serving the photos (the person chose to leave them there).
 */
public record MoveRequest(
        String newHandle,
        String newPublicKey,
        String nonce,
        Long seenSeq,
        String profileUrl,
        String postUrl,
        String photoUrl) {}
