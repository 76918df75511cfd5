package org.transplant.backup;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes HTML pages into a backup folder so its owner reads the backup in a browser from the file system, with no
 * server and no network: {@code index.html} (the profile and the newest posts), further pages of posts,
 * {@code conversations.html} and {@code contacts.html}. Everything in the folder is treated as hostile: every text is
 * escaped, no URL from the data is ever linked or loaded, and the pages forbid scripts.
 */
public final class OfflineViewer {

    private OfflineViewer() {}

    /** Writes the pages into {@code folder}; answers the first. */
    public static Path write(Path folder) throws IOException {
        ViewerHeader header = ViewerHeader.read(folder);
        ViewerPhotos photos = ViewerPhotos.index(folder);
        ViewerTimeline.index(folder).writePages(header, photos);
        ViewerConversations.write(folder, header);
        ViewerContacts.write(folder, header);
        return folder.resolve(ViewerTimeline.pageName(1));
    }
}
