package org.transplant.archive;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.transplant.migration.api.FolderFormat;
import org.transplant.migration.importer.ImportReport.LeftOut;
import org.transplant.pod.crypto.OwnerOnlyFiles;

/**
 * A packed backup, as {@code transplant-backup pack} writes it: a zip of exactly {@code manifest.json} (the folder
 * format {@value FolderFormat#VERSION}, with a {@code backup} object) and every file that manifest lists, each entry
 * named as the manifest names it ({@code account.json}, {@code posts.ndjson}, {@code photos/<guid>}), deflated or
 * stored. Told from a diaspora* export's zip by its top-level {@code manifest.json}. Read through the zip's central
 * directory (never the whole file in memory) and unpacked with the bounds of an archive: at most a cap in all and per
 * file, no name but those, no key (a backup holds none), no entry twice, no file the manifest does not list, nothing
 * it lists missing. Refused with {@link ArchiveRefused}; what was unpacked is removed on any refusal.
 */
final class BackupZip {

    /** What a backup's manifest says the backup itself lacked, and its span, as lines of the job's report. */
    record Opened(Path folder, List<LeftOut> leftOut) {}

    /** The most lines of {@code backup.missing} carried into the report. */
    static final int MAX_MISSING = 1000;

    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern WHAT = Pattern.compile("[a-z-]{1,32}");

    private BackupZip() {}

    /** Whether {@code file} (a zip) is a packed backup: its directory names a top-level {@code manifest.json}. */
    static boolean isBackup(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry manifest = zip.getEntry(FolderFormat.MANIFEST);
            return manifest != null && !manifest.isDirectory();
        } catch (IOException | RuntimeException e) {
            // Not a zip this reader opens: the diaspora* reader says what is wrong with it.
            return false;
        }
    }

    /**
     * Unpacks the backup {@code file} into {@code target}, which must not exist; at most {@code budget} bytes in all,
     * each file within {@link FolderFormat#capOf}. Whether each file is the one the manifest gives (its SHA-256) is
     * the folder check's, as for any folder.
     */
    static Opened open(Path file, Path target, long budget, long maxPhotoBytes) {
        boolean opened = false;
        try (ZipFile zip = zipOf(file)) {
            List<ZipEntry> entries = entries(zip);
            Files.createDirectory(target, OwnerOnlyFiles.FOLDER);
            Files.createDirectory(target.resolve(FolderFormat.PHOTOS), OwnerOnlyFiles.FOLDER);
            long[] total = {0};
            ZipEntry manifestEntry = entries.stream()
                    .filter(entry -> entry.getName().equals(FolderFormat.MANIFEST))
                    .findFirst()
                    .orElseThrow(() -> notABackup("it holds no " + FolderFormat.MANIFEST));
            unpack(zip, manifestEntry, target, FolderFormat.MAX_DOCUMENT_BYTES, budget, total);
            JsonObject manifest = manifestOf(target);
            Set<String> listed = manifest.getJsonObject("files").fieldNames();
            Set<String> held = new HashSet<>();
            for (ZipEntry entry : entries) {
                if (!entry.getName().equals(FolderFormat.MANIFEST)) {
                    held.add(entry.getName());
                }
            }
            for (String name : listed) {
                if (name.equals(FolderFormat.KEY)) {
                    throw unsafe(name + ": a backup holds no key");
                }
                if (!held.contains(name)) {
                    throw damaged("its manifest lists " + FolderTar.shown(name) + ", which the zip does not hold");
                }
            }
            for (ZipEntry entry : entries) {
                String name = entry.getName();
                if (name.equals(FolderFormat.MANIFEST)) {
                    continue;
                }
                if (!listed.contains(name)) {
                    throw unsafe(FolderTar.shown(name) + " is not in its manifest");
                }
                unpack(zip, entry, target, FolderFormat.capOf(name, maxPhotoBytes), budget, total);
            }
            List<LeftOut> leftOut = leftOut(manifest.getJsonObject("backup"));
            opened = true;
            return new Opened(target, leftOut);
        } catch (ArchiveRefused refused) {
            throw refused;
        } catch (IOException | RuntimeException e) {
            // A zip whose bytes do not hold what its directory says, or a parser's own exception about them.
            throw damaged("its files cannot be unpacked");
        } finally {
            if (!opened) {
                OwnerOnlyFiles.removeQuietly(target);
            }
        }
    }

    private static ZipFile zipOf(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile(), StandardCharsets.UTF_8);
        } catch (ZipException | IllegalArgumentException e) {
            throw damaged("the zip cannot be read");
        }
    }

    /** Every entry of the zip's directory, each named as a file of the folder may be, none twice. */
    private static List<ZipEntry> entries(ZipFile zip) {
        List<ZipEntry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
            ZipEntry entry = all.nextElement();
            String name = entry.getName();
            if (entries.size() >= ArchiveFormat.MAX_ENTRIES) {
                throw tooLarge("more than " + ArchiveFormat.MAX_ENTRIES + " files");
            }
            if (name.equals(FolderFormat.KEY)) {
                throw unsafe(name + ": a backup holds no key");
            }
            boolean known = name.equals(FolderFormat.MANIFEST) || FolderFormat.isFile(name);
            if (!known
                    || entry.isDirectory()
                    || FolderFormat.within(Path.of("/folder"), name).isEmpty()) {
                throw unsafe(FolderTar.shown(name));
            }
            if (!names.add(name)) {
                throw unsafe(FolderTar.shown(name) + " twice");
            }
            entries.add(entry);
        }
        return entries;
    }

    /** Writes one entry's bytes to its file, at most {@code cap} of them, counting them against the budget. */
    private static void unpack(ZipFile zip, ZipEntry entry, Path target, long cap, long budget, long[] total)
            throws IOException {
        String name = entry.getName();
        if (entry.getSize() > cap) {
            throw tooLarge(FolderTar.shown(name) + " is larger than " + cap + " bytes");
        }
        Path file = FolderFormat.within(target, name).orElseThrow(() -> unsafe(FolderTar.shown(name)));
        byte[] buffer = new byte[1 << 16];
        long copied = 0;
        try (InputStream in = zip.getInputStream(entry);
                OutputStream out = Files.newOutputStream(
                        Files.createFile(file, OwnerOnlyFiles.FILE),
                        StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
            // Counted as read, not as the directory declares: a zip may lie about its sizes.
            for (int n; (n = in.read(buffer)) > 0; ) {
                copied += n;
                total[0] += n;
                if (copied > cap) {
                    throw tooLarge(FolderTar.shown(name) + " is larger than " + cap + " bytes");
                }
                if (total[0] > budget) {
                    throw tooLarge("more than " + budget + " bytes in all");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    /** The unpacked manifest: of the folder format, with its files and the backup's own account of itself. */
    private static JsonObject manifestOf(Path target) throws IOException {
        JsonObject manifest;
        try {
            manifest = new JsonObject(Files.readString(target.resolve(FolderFormat.MANIFEST), StandardCharsets.UTF_8));
        } catch (DecodeException | ClassCastException | java.nio.charset.CharacterCodingException e) {
            throw damaged(FolderFormat.MANIFEST + " is not a JSON object in UTF-8");
        }
        if (!FolderFormat.VERSION.equals(manifest.getValue("format"))) {
            throw notABackup("its " + FolderFormat.MANIFEST + " is not of the format " + FolderFormat.VERSION);
        }
        if (!(manifest.getValue("files") instanceof JsonObject)) {
            throw damaged(FolderFormat.MANIFEST + " lists no files");
        }
        if (!(manifest.getValue("backup") instanceof JsonObject)) {
            throw notABackup("its " + FolderFormat.MANIFEST + " has no backup object (a folder export is imported by"
                    + " the pod's admin, an archive is a .tar)");
        }
        return manifest;
    }

    /**
     * The lines the backup adds to the job's report: its span, when it was made for one, and each thing its
     * {@code missing} names (at most {@link #MAX_MISSING}; what is not of the expected shape is left out).
     */
    static List<LeftOut> leftOut(JsonObject backup) {
        List<LeftOut> lines = new ArrayList<>();
        String from = day(backup.getValue("spanFrom"));
        String until = day(backup.getValue("spanUntil"));
        if (from != null || until != null) {
            String span = from != null && until != null
                    ? "from " + from + " to " + until
                    : from != null ? "from " + from + " on" : "until " + until;
            lines.add(new LeftOut(
                    "posts",
                    "span",
                    "This backup holds posts " + span + " (the span it was made for); what lies outside it is not"
                            + " in the backup, so it is not here."));
        }
        if (backup.getValue("missing") instanceof JsonArray missing) {
            for (Object item : missing) {
                if (lines.size() > MAX_MISSING) {
                    break;
                }
                if (item instanceof JsonObject gap && gap.getValue("reason") instanceof String reason) {
                    Object guid = gap.getValue("guid");
                    lines.add(new LeftOut(
                            collectionOf(gap.getValue("what")),
                            guid instanceof String text ? text : "",
                            "Not in the backup: " + reason.replaceAll("\\p{Cntrl}", " ")));
                }
            }
        }
        return lines;
    }

    /** The collection a {@code missing} entry names ({@code photo} is the photos'), or {@code backup}. */
    private static String collectionOf(Object what) {
        if (!(what instanceof String text)
                || !WHAT.matcher(text.toLowerCase(Locale.ROOT)).matches()) {
            return "backup";
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.endsWith("s") ? lower : lower + "s";
    }

    /** The day an instant of the manifest names (its first ten characters), or null when it names none. */
    private static String day(Object value) {
        if (!(value instanceof String text) || text.length() < 10) {
            return null;
        }
        String day = text.substring(0, 10);
        return DAY.matcher(day).matches() ? day : null;
    }

    private static ArchiveRefused damaged(String what) {
        return new ArchiveRefused("damaged", "The backup is damaged or incomplete: " + what);
    }

    private static ArchiveRefused unsafe(String what) {
        return new ArchiveRefused("unsafe-entry", "The backup holds an entry this pod does not unpack: " + what);
    }

    private static ArchiveRefused tooLarge(String what) {
        return new ArchiveRefused("too-large", "The backup unpacks to more than this pod takes: " + what);
    }

    private static ArchiveRefused notABackup(String what) {
        return new ArchiveRefused("not-a-backup", "The zip is not a Transplant backup: " + what);
    }
}
