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
 * Deletes a comment, by its author or by the owner of the post it is on (diaspora*'s rule). The deletion is a change
 * to the post owner's content: it takes the owner's next sequence number as a tombstone in the same transaction, so
 * that an export's delta carries it and a pod importing the owner's account deletes its copy too.
 */
@ApplicationScoped
public class CommentDeletion {

    private final ChangeSequence sequence;
    private final PostQueries queries;
    private final PodUrls urls;

    public CommentDeletion(ChangeSequence sequence, PostQueries queries, PodUrls urls) {
        this.sequence = sequence;
        this.queries = queries;
        this.urls = urls;
    }

    public Uni<Void> delete(SignedIn actor, String postGuid, String commentGuid) {
        String handle = urls.handleOf(actor.username());
        return queries.visiblePostId(postGuid, actor.accountId(), handle)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("Post " + postGuid))
                .chain(postId -> Panache.withTransaction(() -> Post.<Post>findById(postId)
                        // Both accounts locked and checked, in id order, as every write to another's post does.
                        .call(post -> sequence.reserveInOrder(bothOf(actor.accountId(), post.accountId)))
                        .chain(post -> Comment.<Comment>find("guid = ?1 and postId = ?2", commentGuid, postId)
                                .firstResult()
                                .onItem()
                                .ifNull()
                                .failWith(() -> ProblemException.notFound("Comment " + commentGuid))
                                .invoke(comment -> {
                                    if (!comment.authorHandle.equalsIgnoreCase(handle)
                                            && post.accountId != actor.accountId()) {
                                        throw ProblemException.forbidden(
                                                "not-yours",
                                                "Only the comment's author or the post's owner may delete it");
                                    }
                                })
                                .call(comment -> sequence.tombstone(post.accountId, "comment", comment.guid))
                                .call(Comment::delete))))
                .replaceWithVoid();
    }

    private static Map<Long, Long> bothOf(long actorId, long ownerId) {
        Map<Long, Long> counts = new HashMap<>();
        counts.put(actorId, 0L);
        counts.put(ownerId, 0L);
        return counts;
    }
}
