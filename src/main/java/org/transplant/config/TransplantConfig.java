package org.transplant.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every setting of a pod; the README's settings table lists them with their defaults. */
@ConfigMapping(prefix = "transplant")
public interface TransplantConfig {

    /** Folder for the embedded database and the photo files. */
    @WithDefault("./data")
    String dataDir();

    /** External base URL of the pod; defaults to http://localhost:&lt;http port&gt;. */
    Optional<String> publicUrl();

    /** Bearer token of the admin API; unset turns the admin API off. */
    Optional<String> adminToken();

    Accounts accounts();

    Photos photos();

    Sessions sessions();

    Oidc oidc();

    Migration migration();

    Importer importer();

    Moves moves();

    /**
     * How long the old pod holds a moving account's writes at most (env {@code TRANSPLANT_MOVE_HOLD}): when the new
     * pod asks to move while changes are pending, writes wait (503) this long while it copies them.
     */
    @WithName("move-hold")
    @WithDefault("PT60S")
    Duration moveHold();

    Federation federation();

    Limits limits();

    Archives archives();

    /**
     * What one client address may start per hour (per pod instance), and how long stale rows stay before the
     * cleanup pass removes them.
     */
    interface Limits {
        /** Client registrations (POST /oauth/register) one address may make per hour. */
        @WithDefault("20")
        int registrationsPerHour();

        /** Sign-up attempts (the /signup form) one address may make per hour. */
        @WithDefault("20")
        int signUpsPerHour();

        /** Import starts (POST /import, POST /api/v1/imports) one address may make per hour. */
        @WithDefault("20")
        int importStartsPerHour();

        /**
         * How long a registered client may go without any authorization before it is removed. Long, since a new
         * pod keeps its registration here for later imports even when its first one was abandoned.
         */
        @WithDefault("P30D")
        Duration unusedClientTtl();

        /** How often the cleanup pass runs ({@code off}: never). */
        @WithDefault("10m")
        String cleanupEvery();

        /** Rows one cleanup statement deletes at most, so that no pass holds locks for long. */
        @WithDefault("1000")
        int cleanupBatch();
    }

    Outbound outbound();

    /** Every request this pod makes to an address someone else chose (other pods, their OIDC endpoints). */
    interface Outbound {
        /**
         * Lets requests go to loopback, private, link-local and other non-public addresses, and plain http to
         * loopback: for local development, two pods on one machine and tests. Cloud metadata addresses stay refused.
         */
        @WithDefault("false")
        boolean allowPrivateAddresses();

        /** Largest answer body read from another pod (a page of the Migration API, a JRD, metadata), in bytes. */
        @WithDefault("33554432")
        long maxBodyBytes();

        /** Longest one request may take from connecting to the last byte of its answer, however slowly it drips. */
        @WithDefault("PT2M")
        Duration deadline();
    }

    Http http();

    /** The pod behind a reverse proxy (TLS terminated in front of it). */
    interface Http {
        /**
         * Addresses or CIDR ranges (e.g. {@code 10.0.0.5}, {@code 172.16.0.0/12}) of the proxies whose
         * {@code X-Forwarded-For} and {@code X-Forwarded-Proto} the pod believes; unset, it believes nobody's and
         * a client is the address its connection comes from.
         */
        Optional<List<String>> trustedProxies();
    }

    /** Move notices: the old pod tells the pods of the mover's contacts; every pod takes them at its inbox. */
    interface Federation {
        /** Delivery attempts to one pod before it counts as unreachable (the defaults keep trying for 2.6 days). */
        @WithDefault("24")
        int maxAttempts();

        /** Longest wait between two delivery attempts (the wait doubles from 2 s up to this). */
        @WithDefault("PT6H")
        Duration maxBackoff();

        /** How long a signed notice is valid: after that a pod refuses it as expired. */
        @WithDefault("P30D")
        Duration noticeLifetime();

        /** Move notices one sender (by address) may deliver per second on average, once its burst is spent. */
        @WithDefault("5")
        double inboxRequestsPerSecond();

        /** Move notices one sender may deliver at once. */
        @WithDefault("100")
        int inboxBurst();

        /** Share of the contacts' pods that must accept before the new pod calls the move complete. */
        @WithDefault("0.9")
        double acceptanceThreshold();
    }

    /** The old pod's side of a move. */
    interface Moves {
        /** How long a moved account's old copies stay before they are purged (redirects stay). */
        @WithDefault("P30D")
        Duration retention();
    }

    /** The new pod's side of a move. */
    interface Importer {
        /** How long a pod instance holds a job it runs before another may take it over (after a crash). */
        @WithDefault("PT30S")
        Duration lease();

        /** Items per page read from the old pod (the Migration API's largest page). */
        @WithDefault("1000")
        int pageSize();

        /** Failed attempts in a row (timeouts, resets, 5xx, 429) before a job fails. */
        @WithDefault("12")
        int maxAttempts();

        /** Longest wait between attempts. */
        @WithDefault("PT60S")
        Duration maxBackoff();

        /** Timeout of one request to another pod (the old pod's API, WebFinger, an inbox). */
        @WithDefault("PT60S")
        Duration requestTimeout();

        /**
         * Whether a job reads its first page of photos into their part files while it copies the posts (true), or
         * only in the photos phase. The page read is kept beside the parts, so a pod killed meanwhile asks again only
         * for the transfers it had in flight.
         */
        @WithDefault("true")
        boolean readPhotosAhead();

        /** Import jobs one pod instance runs side by side (a slow old pod holds up only its own job). */
        @WithDefault("4")
        int parallelJobs();

        /** Comments and likes one page of posts may bring from the posts' own collections (held in memory). */
        @WithDefault("200000")
        long maxInteractionsPerPage();

        /**
         * Bytes of photos one import may store here, whatever the old pod announces (each photo is also capped by
         * transplant.photos.max-bytes); past it, the import fails.
         */
        @WithDefault("4294967296")
        long maxPhotoBytesPerImport();

        /**
         * Records (contacts, posts with their comments and likes, photos, conversations with their messages, …)
         * one import may write, whatever totals the old pod announces; past it, the import fails.
         */
        @WithDefault("2000000")
        long maxItemsPerImport();
    }

    interface Migration {
        /** Requests per second each client may make to /migration/v1, on average (per pod instance). */
        @WithDefault("50")
        double requestsPerSecond();

        /** Requests a client may make at once before the average applies. */
        @WithDefault("200")
        int burst();
    }

    interface Oidc {
        /** Lifetime of access tokens: short, since a bearer token is revoked by its row, checked on every call. */
        @WithDefault("PT10M")
        Duration accessTokenTtl();

        /** Lifetime of a refresh token (each use rotates it). */
        @WithDefault("P30D")
        Duration refreshTokenTtl();

        /** Size of the pod's token-signing RSA keys. */
        @WithDefault("2048")
        int signingKeyBits();
    }

    interface Accounts {
        /** Size of each account's RSA key pair. */
        @WithDefault("2048")
        int rsaKeyBits();

        /** Shortest password accepted at sign-up. */
        @WithDefault("10")
        int minPasswordLength();
    }

    interface Photos {
        /** Largest photo upload accepted, in bytes. */
        @WithDefault("10485760")
        long maxBytes();
    }

    interface Sessions {
        /** How long a sign-in lasts. */
        @WithDefault("P30D")
        Duration ttl();

        /** Failed log-ins allowed per username within the window. */
        @WithDefault("10")
        int maxFailedLogins();

        /** Failed log-ins allowed per client address within the window (higher: many people may share one). */
        @WithDefault("100")
        int maxFailedLoginsPerClient();

        @WithDefault("PT15M")
        Duration failedLoginWindow();
    }

    interface Archives {
        /** How long a written archive can be downloaded before it is removed (env TRANSPLANT_ARCHIVES_KEEP). */
        @WithDefault("P7D")
        Duration keep();

        /**
         * How long a writer holds an archive job before another may take it over (after a crash); the writer renews
         * it every third of it while it works.
         */
        @WithDefault("PT1H")
        Duration lease();

        /** The largest archive this pod takes as an upload, in bytes (env TRANSPLANT_ARCHIVES_MAX_UPLOAD_BYTES). */
        @WithDefault("4294967296")
        long maxUploadBytes();

        /**
         * The most bytes an opened archive may unpack to (and at most 100 times its encrypted part), so that a small
         * archive cannot fill the disk.
         */
        @WithDefault("17179869184")
        long maxUnpackedBytes();

        /**
         * Whether a person may keep their photos on this pod and have the archive link them (env
         * TRANSPLANT_ARCHIVES_LINKED_PHOTOS): this pod then keeps serving them after the account moved.
         */
        @WithDefault("true")
        boolean linkedPhotos();

        /** How long an unfinished or unused upload is kept before it is removed. */
        @WithDefault("P1D")
        Duration uploadKeep();

        /**
         * The most bytes all uploads under way may announce together: anyone may upload (they have no account here
         * yet), so this bounds the disk strangers can hold.
         */
        @WithDefault("17179869184")
        long maxUploadsBytes();

        /**
         * The most authors of others' comments and likes a diaspora* export's import looks up on their pods for their
         * keys; the rest are checked with keys this pod holds or the export's own.
         */
        @WithDefault("2000")
        int maxLookedUpAuthors();
    }
}
