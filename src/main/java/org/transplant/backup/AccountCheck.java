package org.transplant.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Objects;

/**
 * Holds every answer to what the backup was set up for: the same account, the same time span, a format of major
 * version 1. A consent given again with another span would mix two spans in one folder, so it stops the pull.
 */
final class AccountCheck {

    private AccountCheck() {}

    /** Records, at init, whose backup the folder holds and its span; refuses a folder of another account or span. */
    static void setUp(ObjectNode backup, JsonNode account, String pod) {
        format(account, URI.create(pod));
        if (backup.hasNonNull("handle")) {
            same(backup, account);
            return;
        }
        backup.put("pod", pod);
        backup.put("handle", handle(account));
        span(backup, account);
    }

    static void same(ObjectNode backup, JsonNode account) {
        format(account, URI.create(backup.path("pod").asText("/")));
        String handle = handle(account);
        if (!handle.equalsIgnoreCase(backup.path("handle").asText())) {
            throw new BackupFailure(
                    BackupFailure.Kind.MISMATCH,
                    "This folder holds the backup of "
                            + Words.cut(backup.path("handle").asText(), 200) + ", but the authorization is" + " for "
                            + Words.cut(handle, 100) + ". Use another --dir for another account.");
        }
        String from = BackupJson.text(account, "spanFrom");
        String until = BackupJson.text(account, "spanUntil");
        if (!Objects.equals(from, BackupJson.text(backup, "spanFrom"))
                || !Objects.equals(until, BackupJson.text(backup, "spanUntil"))) {
            throw new BackupFailure(
                    BackupFailure.Kind.MISMATCH,
                    "The time span of the authorization changed: this folder holds " + describe(backup)
                            + ", the pod now allows " + describe(account) + ". Back up another span into another"
                            + " --dir, or run init again and choose the same span on the consent page.");
        }
    }

    /** Refuses a format of another major version: its records might not mean what this client thinks. */
    static void format(JsonNode document, URI from) {
        String version = BackupJson.text(document, "formatVersion");
        if (version == null || !version.matches("1(\\.\\d+)?")) {
            throw new BackupFailure(
                    BackupFailure.Kind.FAILED,
                    "The pod answered " + from.getPath() + " in format " + Words.cut(version, 20) + "; this client"
                            + " reads format 1. Update transplant-backup.");
        }
    }

    static String describe(JsonNode node) {
        String from = BackupJson.text(node, "spanFrom");
        String until = BackupJson.text(node, "spanUntil");
        if (from == null && until == null) {
            return "all time";
        }
        return (from == null ? "the beginning" : Words.cut(day(from), 40)) + " to "
                + (until == null ? "now" : Words.cut(day(until), 40));
    }

    private static String day(String instant) {
        return instant.length() >= 10 ? instant.substring(0, 10) : instant;
    }

    private static void span(ObjectNode backup, JsonNode account) {
        String from = BackupJson.text(account, "spanFrom");
        String until = BackupJson.text(account, "spanUntil");
        if (from != null) {
            backup.put("spanFrom", from);
        }
        if (until != null) {
            backup.put("spanUntil", until);
        }
    }

    private static String handle(JsonNode account) {
        String handle = BackupJson.text(account, "handle");
        if (handle == null) {
            throw new BackupFailure(BackupFailure.Kind.FAILED, "The pod's account document names no handle");
        }
        return handle;
    }
}
