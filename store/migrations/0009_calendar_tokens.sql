-- 0009: the personal calendar feed (issue 5): each user's due visits and
-- commitments as iCalendar, for a phone's calendar to subscribe to.
-- Portable SQL for SQLite and PostgreSQL.

-- One secret per user, good for GET /api/calendar/mine.ics only (a
-- calendar app can only put it in the URL, so it opens nothing else).
-- Only its SHA-256 is kept; making a new one replaces the old.
CREATE TABLE calendar_tokens (
  user_id BIGINT PRIMARY KEY REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT
);
