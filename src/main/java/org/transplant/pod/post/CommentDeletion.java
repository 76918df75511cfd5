package org.transplant.pod.post;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.AccountGuard;
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
    private final AccountGuard guard;
    private final PostQueries queries;
    private final PodUrls urls;

    public CommentDeletion(ChangeSequence sequence, AccountGuard guard, PostQueries queries, PodUrls urls) {
        this.sequence = sequence;
        this.guard = guard;
        this.queries = queries;
        this.urls = urls;
    }

    public Uni<Void> delete(SignedIn actor, String postGuid, String commentGuid) {
        String handle = urls.handleOf(actor.username());
        return queries.visiblePostId(postGuid, actor.accountId(), handle)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("Post " + postGuid))
                .chain(postId -> Panache.withTransaction(() -> guard.requireActive(actor.accountId())
                        .chain(() -> Post.<Post>findById(postId))
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
}
