package org.transplant.migration.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.transplant.migration.api.ExportRecords.CommentRecord;
import org.transplant.migration.api.ExportRecords.LikeRecord;
import org.transplant.migration.api.ExportRecords.PhotoRecord;
import org.transplant.migration.api.ExportRecords.PostRecord;
import org.transplant.migration.api.FolderFile;
import org.transplant.migration.api.FolderFormat;
import org.transplant.migration.api.MigrationFormat;
import org.transplant.oidc.Scopes;
import org.transplant.oidc.resource.BearerToken;
import org.transplant.pod.crypto.OwnerOnlyFiles;
import org.transplant.pod.crypto.WorkerPool;
import org.transplant.web.ProblemException;

/**
 * Writes one account, as the Migration API serves it at one snapshot, to a folder ({@link FolderFormat}): the
 * account document, every collection in full (posts with all their comments and likes), the photos' bytes and a
 * manifest of them all. Streamed a batch at a time through the collections' own exporters; the files go to a
 * hidden folder first, which takes its name only once the manifest is written.
 */
@ApplicationScoped
public class FolderExport {

    /** What an export wrote: the folder's name under the exports directory and its manifest. */
    public record Written(String folder, JsonObject manifest) {}

    /**
     * What goes in beyond the records: the account's private key (PEM, only for an archive's encrypted part; null
     * leaves it out) and the photos' bytes (false leaves the photo records without them).
     */
    public record Contents(String privateKeyPem, boolean photoBytes) {
        /** A plain folder: every photo's bytes, never the key. */
        public static final Contents FOLDER = new Contents(null, true);

        @Override
        public String toString() {
            return "Contents[key " + (privateKeyPem != null) + ", photo bytes " + photoBytes + "]";
        }
    }

    private final Exports exports;
    private final AccountExporter account;
    private final Map<String, CollectionExporter<?>> collections = new TreeMap<>();
    private final PostInteractions interactions;
    private final PhotoContent photos;
    private final NdjsonLines lines;
    private final ObjectMapper json;
    private final WorkerPool workers;

    public FolderExport(
            Exports exports,
            AccountExporter account,
            jakarta.enterprise.inject.Instance<CollectionExporter<?>> exporters,
            PostInteractions interactions,
            PhotoContent photos,
            NdjsonLines lines,
            ObjectMapper json,
            WorkerPool workers) {
        this.exports = exports;
        this.account = account;
        exporters.forEach(exporter -> collections.put(exporter.name(), exporter));
        this.interactions = interactions;
        this.photos = photos;
        this.lines = lines;
        this.json = json;
        this.workers = workers;
    }

    /** Exports the account to {@code exportsDir/name}, which must not exist yet, as a plain folder. */
    public Uni<Written> export(long accountId, String username, Path exportsDir, String name) {
        return export(accountId, username, exportsDir, name, Contents.FOLDER);
    }

    /** Exports the account to {@code exportsDir/name}, which must not exist yet, with {@code contents}. */
    public Uni<Written> export(long accountId, String username, Path exportsDir, String name, Contents contents) {
        Path target = exportsDir.resolve(name);
        Path work = exportsDir.resolve("." + name + ".partial");
        ExportScope scope = new ExportScope(accountId, username, "folder-export", null, null);
        BearerToken token =
                new BearerToken(null, "folder-export", accountId, username, Set.of(Scopes.MIGRATION_READ), null, null);
        Map<String, JsonObject> files = new TreeMap<>();
        return workers.run(() -> {
                    if (Files.exists(target) || Files.exists(work)) {
                        throw ProblemException.conflict("export-exists", "The export folder " + name + " exists");
                    }
                    try {
                        OwnerOnlyFiles.folder(exportsDir);
                        Files.createDirectories(work.resolve(FolderFormat.PHOTOS));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return null;
                })
                .chain(() -> account.export(scope, token))
                .chain(document -> workers.run(() -> {
                    byte[] bytes = bytesOf(document);
                    try (FolderFile sink = new FolderFile(work.resolve(FolderFormat.ACCOUNT))) {
                        sink.write(bytes);
                        files.put(FolderFormat.ACCOUNT, sink.entry(1));
                    }
                    if (contents.privateKeyPem() != null) {
                        try (FolderFile sink = new FolderFile(work.resolve(FolderFormat.KEY))) {
                            sink.write(contents.privateKeyPem().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                            files.put(FolderFormat.KEY, sink.entry(1));
                        }
                    }
                    return document.snapshot();
                }))
                .chain(snapshot -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (String collection : FolderFormat.COLLECTIONS) {
                        CollectionExporter<?> exporter = collections.get(collection);
                        if (exporter == null) {
                            continue;
                        }
                        chain = chain.chain(() -> collection(scope, exporter, snapshot, work, files, contents));
                    }
                    return chain;
                })
                .chain(() -> workers.run(() -> {
                    JsonObject manifest = new JsonObject()
                            .put("format", FolderFormat.VERSION)
                            .put("migrationFormat", MigrationFormat.VERSION)
                            .put("files", new JsonObject(new TreeMap<String, Object>(files)));
                    try {
                        Files.writeString(work.resolve(FolderFormat.MANIFEST), manifest.encodePrettily());
                        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return new Written(name, manifest);
                }));
    }

    private <T> Uni<Void> collection(
            ExportScope scope,
            CollectionExporter<T> exporter,
            long snapshot,
            Path work,
            Map<String, JsonObject> files,
            Contents contents) {
        String file = FolderFormat.fileOf(exporter.name());
        ExportQuery query = ExportQuery.parse(exporter.name(), null, null, null, null, Long.toString(snapshot), null);
        FolderFile sink = new FolderFile(work.resolve(file));
        long[] records = {0};
        Multi<List<T>> batches = exports.stream(exporter, scope, query);
        return batches.onItem()
                .transformToUniAndConcatenate(batch -> complete(scope, batch, snapshot, work, files, contents))
                .onItem()
                .transformToUniAndConcatenate(batch -> workers.run(() -> {
                    for (Buffer piece : lines.write(batch)) {
                        sink.write(piece.getBytes());
                        sink.write(new byte[] {'\n'});
                    }
                    records[0] += batch.size();
                    return null;
                }))
                .collect()
                .last()
                .onTermination()
                .call(() -> workers.run(() -> {
                    sink.close();
                    return null;
                }))
                .invoke(() -> files.put(file, sink.entry(records[0])))
                .replaceWithVoid();
    }

    /**
     * A batch as the folder holds it: posts with every comment and like (a page embeds at most
     * {@link PostExporter#EMBEDDED}), and each photo's bytes copied beside it.
     */
    @SuppressWarnings("unchecked")
    private <T> Uni<List<T>> complete(
            ExportScope scope,
            List<T> batch,
            long snapshot,
            Path work,
            Map<String, JsonObject> files,
            Contents contents) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        List<Object> out = new ArrayList<>(batch);
        for (int i = 0; i < out.size(); i++) {
            int at = i;
            if (out.get(i) instanceof PostRecord post
                    && (post.commentCount() > post.comments().size()
                            || post.likeCount() > post.likes().size())) {
                chain = chain.chain(() -> allOf(scope, post, snapshot).invoke(full -> out.set(at, full)))
                        .replaceWithVoid();
            } else if (out.get(i) instanceof PhotoRecord photo && contents.photoBytes()) {
                chain = chain.chain(() -> photo(scope, photo.guid(), work, files));
            }
        }
        return chain.map(ignored -> (List<T>) out);
    }

    private Uni<PostRecord> allOf(ExportScope scope, PostRecord post, long snapshot) {
        return interactions.ownPost(scope, post.guid()).chain(id -> {
            ExportQuery query = ExportQuery.parse("comments", null, null, null, null, Long.toString(snapshot), null);
            Uni<List<CommentRecord>> comments = exports.stream(interactions.comments(id, post.guid()), scope, query)
                    .collect()
                    .in(ArrayList::new, List::addAll);
            Uni<List<LikeRecord>> likes = exports.stream(interactions.likes(id, post.guid()), scope, query)
                    .collect()
                    .in(ArrayList::new, List::addAll);
            return comments.chain(c -> likes.map(l -> post.withAll(c, l)));
        });
    }

    /** Copies a photo's bytes to {@code photos/<guid>}; a photo kept as a link elsewhere has none here. */
    private Uni<Void> photo(ExportScope scope, String guid, Path work, Map<String, JsonObject> files) {
        String file = FolderFormat.PHOTOS + "/" + guid;
        return photos.find(scope, guid)
                .chain(stored -> workers.run(() -> {
                    try (FolderFile sink = new FolderFile(work.resolve(file));
                            InputStream in = Files.newInputStream(stored.path())) {
                        in.transferTo(sink.stream());
                        files.put(file, sink.entry(1));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return (Void) null;
                }))
                .onFailure(ProblemException.class)
                .recoverWithNull();
    }

    private byte[] bytesOf(Object document) {
        try {
            return json.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
