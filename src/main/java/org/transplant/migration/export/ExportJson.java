package org.transplant.migration.export;

/** SQL fragments for collections whose JSON PostgreSQL writes. */
final class ExportJson {

    private ExportJson() {}

    /** A timestamptz as RFC 3339 in UTC with microseconds, whatever the session's time zone. */
    static String time(String column) {
        return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
    }
}
