-- The keys every Pano instance on one PostgreSQL database must share (docs/scale-out-state.md):
-- 'secret_key' seals channel secrets and webhook secrets (base64, 32 bytes; absent when the
-- instances are given PANO_SECRET_KEY), 'secret_key_sha256' names the key all instances seal with
-- (so an instance given another key refuses to start instead of failing to open secrets),
-- 'vapid' the Web Push key pair (sealed with the secret key). The first instance to start writes
-- them (INSERT ... ON CONFLICT DO NOTHING under a lock), every other one reads them back.
CREATE TABLE pano_instance_keys (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at bigint NOT NULL
);
