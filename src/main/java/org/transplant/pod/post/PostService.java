package org.transplant.pod.post;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.transplant.pod.Guids;
import org.transplant.pod.PodUrls;
import org.transplant.pod.account.ChangeSequence;
import org.transplant.pod.notification.Notifications;
import org.transplant.pod.photo.PhotoService;
import org.transplant.pod.post.PostViews.CommentView;
import org.transplant.pod.post.PostViews.LikeView;
import org.transplant.pod.post.PostViews.NewComment;
import org.transplant.pod.post.PostViews.NewPost;
import org.transplant.pod.session.SignedIn;
import org.transplant.web.ProblemException;

/** Writes posts, comments and likes; each write takes the owner's next change sequence number. */
@ApplicationScoped
public class PostService {

    static final int MAX_TEXT = 65_535;
    static final int MAX_COMMENT = 65_535;

    private final ChangeSequence sequence;
    private final PostQueries queries;
    private final Notifications notifications;
    private final PodUrls urls;

    public PostService(ChangeSequence sequence, PostQueries queries, Notifications notifications, PodUrls urls) {
        this.sequence = sequence;
        this.queries = queries;
        this.notifications = notifications;
        this.urls = urls;
    }

    public Uni<String> create(SignedIn author, NewPost request) {
        if (request == null) {
            throw ProblemException.badRequest("missing-body", "A JSON body with the post's text is required");
        }
        List<String> photos = request.photos() == null ? List.of() : request.photos();
        List<String> aspects = request.aspects() == null ? List.of() : request.aspects();
        String text = request.text() == null ? "" : request.text().strip();
        boolean reshare = request.rootGuid() != null;
        if (text.isEmpty() && photos.isEmpty() && !reshare) {
            throw ProblemException.invalid("text", "a post needs text or a photo");
        }
        if (photos.size() > PhotoService.MAX_PER_POST) {
            throw ProblemException.invalid("photos", "a post carries at most " + PhotoService.MAX_PER_POST + " photos");
        }
        if (text.length() > MAX_TEXT) {
            throw ProblemException.invalid("text", "must have at most " + MAX_TEXT + " characters");
        }
        boolean isPublic = request.isPublic() == null ? aspects.isEmpty() : request.isPublic();
        if (reshare && (!isPublic || !photos.isEmpty())) {
            throw ProblemException.invalid("rootGuid", "a reshare is public and carries no photos of its own");
        }
        if (!isPublic && aspects.isEmpty()) {
            throw ProblemException.invalid("aspects", "a limited post names at least one aspect");
        }
        if (isPublic && !aspects.isEmpty()) {
            throw ProblemException.invalid("aspects", "a public post is shared with everyone, not with aspects");
        }
        // The root's owner is notified of a reshare, so their account is taken too (in id order, with the author's).
        return Panache.withTransaction(() -> (reshare
                        ? reshareable(request.rootGuid(), author)
                        : Uni.createFrom().<Post>nullItem())
                .chain(root -> (root == null
                                ? sequence.next(author.accountId())
                                : sequence.reserveInOrder(Map.of(author.accountId(), 1L, root.accountId, 1L))
                                        .map(highest -> highest.get(author.accountId())))
                        .chain(seq -> {
                            Post post = new Post();
                            post.guid = Guids.next();
                            post.accountId = author.accountId();
                            post.text = text.isEmpty() ? null : text;
                            post.rootGuid = root == null ? null : root.guid;
                            post.isPublic = isPublic;
                            post.seq = seq;
                            post.createdAt = Instant.now();
                            return post.<Post>persist()
                                    .call(saved -> root == null
                                            ? Uni.createFrom().voidItem()
                                            : notifications.notifyOwner(
                                                    root.accountId,
                                                    author.accountId(),
                                                    "reshare",
                                                    urls.handleOf(author.username()),
                                                    root.guid));
                        }))
                .call(post -> linkAspects(post, author.accountId(), aspects))
                .call(post -> attachPhotos(post, author.accountId(), photos))
                .map(post -> post.guid));
    }

    public Uni<Void> delete(SignedIn owner, String guid) {
        return Panache.withTransaction(() -> Post.<Post>find("guid = ?1 and accountId = ?2", guid, owner.accountId())
                .firstResult()
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("Post " + guid))
                .call(post -> sequence.tombstone(owner.accountId(), "post", guid))
                .call(Post::delete)
                .replaceWithVoid());
    }

    public Uni<CommentView> comment(SignedIn author, String postGuid, NewComment request) {
        String text =
                request == null || request.text() == null ? "" : request.text().strip();
        if (text.isEmpty() || text.length() > MAX_COMMENT) {
            throw ProblemException.invalid("text", "a comment has 1 to " + MAX_COMMENT + " characters");
        }
        String handle = urls.handleOf(author.username());
        return visiblePost(postGuid, author)
                .chain(post -> Panache.withTransaction(() -> sequence.nextBy(post.accountId, author.accountId())
                        .chain(seq -> {
                            Comment comment = new Comment();
                            comment.guid = Guids.next();
                            comment.postId = post.id;
                            comment.authorHandle = handle;
                            comment.text = text;
                            comment.seq = seq;
                            comment.createdAt = Instant.now();
                            return comment.<Comment>persist();
                        })
                        .call(comment -> notifications.notifyOwner(
                                post.accountId, author.accountId(), "comment", handle, post.guid))))
                .map(c -> new CommentView(c.guid, c.authorHandle, c.text, c.createdAt));
    }

    /** Likes a post once; liking again returns the existing like. */
    public Uni<LikeView> like(SignedIn author, String postGuid) {
        String handle = urls.handleOf(author.username());
        return visiblePost(postGuid, author)
                // Both accounts are taken before anything is read, in id order; a repeat then writes nothing.
                .chain(post -> Panache.<Like>withTransaction(() -> sequence.reserveInOrder(
                                counts(author.accountId(), post.accountId))
                        .chain(() -> Like.<Like>find("postId = ?1 and authorHandle = ?2", post.id, handle)
                                .<Like>firstResult())
                        .chain(existing ->
                                existing != null ? Uni.createFrom().item(existing) : newLike(post, author, handle))))
                .map(l -> new LikeView(l.guid, l.authorHandle, l.createdAt));
    }

    private Uni<Like> newLike(Post post, SignedIn author, String handle) {
        return sequence.next(post.accountId)
                .chain(seq -> {
                    Like like = new Like();
                    like.guid = Guids.next();
                    like.postId = post.id;
                    like.authorHandle = handle;
                    like.seq = seq;
                    like.createdAt = Instant.now();
                    return like.<Like>persist();
                })
                .call(saved ->
                        notifications.notifyOwner(post.accountId, author.accountId(), "like", handle, post.guid));
    }

    public Uni<Void> unlike(SignedIn author, String postGuid) {
        String handle = urls.handleOf(author.username());
        return visiblePost(postGuid, author)
                .chain(post -> Panache.withTransaction(() -> sequence.reserveInOrder(
                                counts(author.accountId(), post.accountId))
                        .chain(() -> Like.<Like>find("postId = ?1 and authorHandle = ?2", post.id, handle)
                                .firstResult()
                                .onItem()
                                .ifNull()
                                .failWith(() -> ProblemException.notFound("Your like on " + postGuid))
                                .call(like -> sequence.tombstone(post.accountId, "like", like.guid))
                                .call(Like::delete))))
                .replaceWithVoid();
    }

    /** Locks and checks both accounts without taking numbers yet (a like takes the owner's when it writes). */
    private static Map<Long, Long> counts(long actorId, long ownerId) {
        Map<Long, Long> counts = new HashMap<>();
        counts.put(actorId, 0L);
        counts.put(ownerId, 0L);
        return counts;
    }

    private Uni<Post> visiblePost(String guid, SignedIn viewer) {
        return queries.visiblePostId(guid, viewer.accountId(), urls.handleOf(viewer.username()))
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("Post " + guid))
                .chain(id -> Panache.withSession(() -> Post.<Post>findById(id)));
    }

    /** diaspora*'s rule: only a public post of someone else can be reshared. */
    private Uni<Post> reshareable(String rootGuid, SignedIn author) {
        return Post.<Post>find("guid", rootGuid).firstResult().invoke(root -> {
            if (root == null || !root.isPublic) {
                throw ProblemException.invalid("rootGuid", "names no public post on this pod");
            }
            if (root.accountId == author.accountId()) {
                throw ProblemException.invalid("rootGuid", "your own post cannot be reshared");
            }
        });
    }

    private Uni<Void> linkAspects(Post post, long accountId, List<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "INSERT INTO post_aspects (post_id, aspect_id) SELECT ?1, id FROM aspects"
                                        + " WHERE account_id = ?2 AND name IN (?3)")
                        .setParameter(1, post.id)
                        .setParameter(2, accountId)
                        .setParameter(3, names)
                        .executeUpdate())
                .invoke(linked -> {
                    if (linked != names.stream().distinct().count()) {
                        throw ProblemException.invalid("aspects", "names an aspect you do not have");
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> attachPhotos(Post post, long accountId, List<String> photoGuids) {
        if (photoGuids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "UPDATE photos SET post_id = ?1, public = ?2 WHERE guid IN (?3) AND account_id = ?4"
                                        + " AND post_id IS NULL")
                        .setParameter(1, post.id)
                        .setParameter(2, post.isPublic)
                        .setParameter(3, photoGuids)
                        .setParameter(4, accountId)
                        .executeUpdate())
                .invoke(attached -> {
                    if (attached != photoGuids.stream().distinct().count()) {
                        throw ProblemException.invalid(
                                "photos", "names a photo that is not yours or is already" + " in a post");
                    }
                })
                .replaceWithVoid();
    }
}
