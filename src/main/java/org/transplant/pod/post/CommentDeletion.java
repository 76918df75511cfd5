package org.transplant.pod.post;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.ChangeSequence;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ProblemException;

/**
 * Deletes a comment, by its author (whether or not they can still see the post) or by the owner of the post it is on
 * (diaspora*'s rule); to anyone else the comment does not exist. The deletion is a change
 * to the post owner's content: it takes the owner's next sequence number as a tombstone in the same transaction, so
 * that an export's delta carries it and a pod importing the owner's account deletes its copy too.
 */
@ApplicationScoped
public class CommentDeletion {

    private final ChangeSequence sequence;
    private final PodUrls urls;

    public CommentDeletion(ChangeSequence sequence, PodUrls urls) {
        this.sequence = sequence;
        this.urls = urls;
    }

    /**
     * The comment's author may always delete it, even once the post is out of their sight; the post's owner may
     * delete any comment on it; anyone else gets 404, as if neither the post nor the comment existed.
     */
    public Uni<Void> delete(SignedIn actor, String postGuid, String commentGuid) {
        String handle = urls.handleOf(actor.username());
        // Not through the post's visibility: an author whose sight of the post was taken away may still delete their
        // own comment. Anyone who is neither its author nor the post's owner gets the same 404 as for a comment that
        // is not there, so they learn nothing of the post or the comment.
        return Panache.withTransaction(() -> Post.<Post>find("guid", postGuid)
                        .firstResult()
                        .onItem()
                        .ifNull()
                        .failWith(() -> notFound(commentGuid))
                        .chain(post -> Comment.<Comment>find("guid = ?1 and postId = ?2", commentGuid, post.id)
                                .firstResult()
                                .onItem()
                                .ifNull()
                                .failWith(() -> notFound(commentGuid))
                                .invoke(comment -> {
                                    if (!comment.authorHandle.equalsIgnoreCase(handle)
                                            && post.accountId != actor.accountId()) {
                                        throw notFound(commentGuid);
                                    }
                                })
                                // Both accounts locked and checked, in id order, as every write to another's post
                                // does.
                                .call(comment -> sequence.reserveInOrder(bothOf(actor.accountId(), post.accountId)))
                                .call(comment -> sequence.tombstone(post.accountId, "comment", comment.guid))
                                .call(Comment::delete)))
                .replaceWithVoid();
    }

    private static ProblemException notFound(String commentGuid) {
        return ProblemException.notFound("Comment " + commentGuid);
    }

    private static Map<Long, Long> bothOf(long actorId, long ownerId) {
        Map<Long, Long> counts = new HashMap<>();
        counts.put(actorId, 0L);
        counts.put(ownerId, 0L);
        return counts;
    }
}
