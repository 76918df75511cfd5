-- The whole account of a diaspora*-style pod. Every shareable object carries the global guid it keeps when the
-- account moves. Content rows carry a per-account change sequence number (seq), so that an export can read a
-- consistent picture up to a sequence and fetch later changes as a delta (ARCHITECTURE.md, "hard spots").

CREATE TABLE accounts (
    id              BIGSERIAL PRIMARY KEY,
    guid            TEXT        NOT NULL UNIQUE,
    username        TEXT        NOT NULL UNIQUE,
    email           TEXT        NOT NULL,
    password_hash   TEXT        NOT NULL,
    state           TEXT        NOT NULL DEFAULT 'ACTIVE'
                                CHECK (state IN ('ACTIVE', 'MOVING', 'MOVED', 'CLOSED')),
    public_key_pem  TEXT        NOT NULL,
    private_key_pem TEXT        NOT NULL,
    last_seq        BIGINT      NOT NULL DEFAULT 0,
    moved_to        TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE profiles (
    account_id     BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    first_name     TEXT,
    last_name      TEXT,
    bio            TEXT,
    avatar_url     TEXT,
    location       TEXT,
    birthday       DATE,
    gender         TEXT,
    tags           TEXT[]      NOT NULL DEFAULT '{}',
    searchable     BOOLEAN     NOT NULL DEFAULT TRUE,
    nsfw           BOOLEAN     NOT NULL DEFAULT FALSE,
    public_details BOOLEAN     NOT NULL DEFAULT FALSE,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE account_settings (
    account_id                 BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    language                   TEXT    NOT NULL DEFAULT 'en',
    disable_mail               BOOLEAN NOT NULL DEFAULT FALSE,
    show_community_spotlight   BOOLEAN NOT NULL DEFAULT FALSE,
    auto_follow_back           BOOLEAN NOT NULL DEFAULT FALSE,
    auto_follow_back_aspect    TEXT,
    default_post_visibility    TEXT    NOT NULL DEFAULT 'public' CHECK (default_post_visibility IN ('public', 'aspects'))
);

-- Aspects (diaspora*'s contact groups): who a limited post is shared with.
CREATE TABLE aspects (
    id         BIGSERIAL PRIMARY KEY,
    account_id BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (account_id, name)
);

-- A person this account knows, local or remote, by handle user@host. following: this account shares with them;
-- follower: they share with this account (diaspora*'s "receiving" and "sharing").
CREATE TABLE contacts (
    id             BIGSERIAL PRIMARY KEY,
    account_id     BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    handle         TEXT        NOT NULL,
    person_guid    TEXT,
    display_name   TEXT,
    public_key_pem TEXT,
    following      BOOLEAN     NOT NULL DEFAULT FALSE,
    follower       BOOLEAN     NOT NULL DEFAULT FALSE,
    blocked        BOOLEAN     NOT NULL DEFAULT FALSE,
    seq            BIGINT      NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (account_id, handle)
);
CREATE INDEX contacts_keyset ON contacts (account_id, created_at, id);

CREATE TABLE contact_aspects (
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    aspect_id  BIGINT NOT NULL REFERENCES aspects (id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, aspect_id)
);

CREATE TABLE posts (
    id                    BIGSERIAL PRIMARY KEY,
    guid                  TEXT        NOT NULL UNIQUE,
    account_id            BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    text                  TEXT,
    public                BOOLEAN     NOT NULL,
    root_guid             TEXT,
    provider_display_name TEXT,
    seq                   BIGINT      NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX posts_keyset ON posts (account_id, created_at, guid);
CREATE INDEX posts_seq ON posts (account_id, seq);

CREATE TABLE post_aspects (
    post_id   BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    aspect_id BIGINT NOT NULL REFERENCES aspects (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, aspect_id)
);

-- Comments and likes on a post, by any local or remote handle. seq counts in the post owner's account.
CREATE TABLE comments (
    id            BIGSERIAL PRIMARY KEY,
    guid          TEXT        NOT NULL UNIQUE,
    post_id       BIGINT      NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    author_handle TEXT        NOT NULL,
    text          TEXT        NOT NULL,
    seq           BIGINT      NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX comments_by_post ON comments (post_id, created_at, guid);
CREATE INDEX comments_by_author ON comments (author_handle);

CREATE TABLE likes (
    id            BIGSERIAL PRIMARY KEY,
    guid          TEXT        NOT NULL UNIQUE,
    post_id       BIGINT      NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    author_handle TEXT        NOT NULL,
    positive      BOOLEAN     NOT NULL DEFAULT TRUE,
    seq           BIGINT      NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (post_id, author_handle)
);
CREATE INDEX likes_by_author ON likes (author_handle);

-- Photo bytes live in files under the data folder; the row holds what an importer checks them against.
CREATE TABLE photos (
    id           BIGSERIAL PRIMARY KEY,
    guid         TEXT        NOT NULL UNIQUE,
    account_id   BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    post_id      BIGINT      REFERENCES posts (id) ON DELETE SET NULL,
    public       BOOLEAN     NOT NULL DEFAULT TRUE,
    file_name    TEXT        NOT NULL,
    content_type TEXT        NOT NULL,
    size_bytes   BIGINT      NOT NULL,
    sha256       TEXT        NOT NULL,
    width        INT         NOT NULL,
    height       INT         NOT NULL,
    caption      TEXT,
    seq          BIGINT      NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX photos_keyset ON photos (account_id, created_at, guid);
CREATE INDEX photos_by_post ON photos (post_id);

CREATE TABLE conversations (
    id            BIGSERIAL PRIMARY KEY,
    guid          TEXT        NOT NULL UNIQUE,
    subject       TEXT        NOT NULL,
    author_handle TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);

-- Every participant by handle; account_id is set for participants on this pod, whose conversation list it is.
CREATE TABLE conversation_participants (
    conversation_id BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    handle          TEXT   NOT NULL,
    account_id      BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    seq             BIGINT,
    PRIMARY KEY (conversation_id, handle)
);
CREATE INDEX participants_by_account ON conversation_participants (account_id, conversation_id);

CREATE TABLE messages (
    id              BIGSERIAL PRIMARY KEY,
    guid            TEXT        NOT NULL UNIQUE,
    conversation_id BIGINT      NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    author_handle   TEXT        NOT NULL,
    text            TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at, guid);

CREATE TABLE tag_followings (
    account_id BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    tag        TEXT        NOT NULL,
    seq        BIGINT      NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, tag)
);

CREATE TABLE notifications (
    id           BIGSERIAL PRIMARY KEY,
    account_id   BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind         TEXT        NOT NULL,
    actor_handle TEXT        NOT NULL,
    target_guid  TEXT,
    unread       BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX notifications_by_account ON notifications (account_id, created_at DESC, id DESC);

-- Deleted content, so that a delta after a sequence number also carries deletions.
CREATE TABLE tombstones (
    account_id BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    seq        BIGINT      NOT NULL,
    kind       TEXT        NOT NULL,
    guid       TEXT        NOT NULL,
    deleted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, seq)
);

-- Browser sign-ins; only a hash of the cookie value is stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- Failed log-ins per username or client address, for rate limiting that holds across pod instances.
CREATE TABLE failed_logins (
    id        BIGSERIAL PRIMARY KEY,
    subject   TEXT        NOT NULL,
    failed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX failed_logins_by_subject ON failed_logins (subject, failed_at);
