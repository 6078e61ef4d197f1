-- 0008: the emotion of a case at intake (DOMAIN §2): what core/emotion.c
-- read in the subject and description, and whether the case's emotion is
-- that suggestion or an agent's choice (which is authoritative).
-- Portable SQL for SQLite and PostgreSQL.

-- 'agent': chosen by a person (at intake or later); 'suggested': the
-- classifier's reading, no person has chosen yet.  Rows from before this
-- migration count as chosen.
ALTER TABLE cases ADD COLUMN emotion_source TEXT NOT NULL DEFAULT 'agent';
-- The classifier's label and its probability in per mille, at intake
-- (NULL for cases from before this migration and bulk loads).
ALTER TABLE cases ADD COLUMN emotion_suggested TEXT;
ALTER TABLE cases ADD COLUMN emotion_confidence INTEGER;
