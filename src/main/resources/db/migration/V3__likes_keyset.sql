-- Likes of one post in keyset order, for the Migration API's per-post likes pages.
CREATE INDEX likes_by_post ON likes (post_id, created_at, guid);
