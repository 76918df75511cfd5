package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The photos of the backup: their sizes and captions from {@code photos.ndjson}, their bytes in {@code photos/<guid>}.
 * A photo's guid becomes a path in the page only when it has the shape pods give guids, so no record can point an
 * image at another file or a URL.
 */
final class ViewerPhotos {

    /** An alt text longer than this says nothing more; the cap keeps the index small. */
    private static final int MAX_CAPTION = 500;

    private record Photo(int width, int height, String caption) {}

    private final Path folder;
    private final Map<String, Photo> photos;

    private ViewerPhotos(Path folder, Map<String, Photo> photos) {
        this.folder = folder;
        this.photos = photos;
    }

    static ViewerPhotos index(Path folder) throws IOException {
        Map<String, Photo> photos = new HashMap<>();
        ViewerLines.scan(folder.resolve("photos.ndjson"), (record, ref) -> {
            String guid = ViewerHtml.field(record, "guid");
            if (FolderLayout.isGuid(guid)) {
                String caption = ViewerHtml.field(record, "caption");
                if (caption != null && caption.length() > MAX_CAPTION) {
                    caption = caption.substring(0, MAX_CAPTION) + "…";
                }
                photos.put(guid, new Photo(dimension(record, "width"), dimension(record, "height"), caption));
            }
        });
        return new ViewerPhotos(folder, photos);
    }

    void write(ViewerHtml html, String guid) throws IOException {
        if (!FolderLayout.isGuid(guid)) {
            html.element("p", "photo-missing", "A photo with an unusable name is left out: " + guid);
            return;
        }
        Photo photo = photos.getOrDefault(guid, new Photo(0, 0, null));
        // A link planted in photos/ is no photo of the backup: the page would show whatever it points at.
        if (!Files.isRegularFile(folder.resolve("photos").resolve(guid), LinkOption.NOFOLLOW_LINKS)) {
            html.element("p", "photo-missing", "photo not in the backup" + captioned(photo));
            return;
        }
        html.markup("<figure><img src=\"photos/" + guid + "\" alt=\"")
                .text(photo.caption() != null ? photo.caption() : "photo")
                .markup("\"");
        if (photo.width() > 0 && photo.height() > 0) {
            html.markup(" width=\"" + photo.width() + "\" height=\"" + photo.height() + "\"");
        }
        html.markup(" loading=\"lazy\">");
        if (photo.caption() != null) {
            html.markup("<figcaption class=\"text\">").text(photo.caption()).markup("</figcaption>");
        }
        html.markup("</figure>\n");
    }

    private static String captioned(Photo photo) {
        return photo.caption() != null ? ": " + photo.caption() : "";
    }

    private static int dimension(JsonNode record, String name) {
        JsonNode value = record.path(name);
        return value.canConvertToInt() && value.isIntegralNumber() ? Math.max(0, value.intValue()) : 0;
    }
}
