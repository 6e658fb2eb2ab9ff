// The data dir's key files beside the database: secret.key seals channel secrets (without it they
// cannot be read), vapid.json signs Web Push (without it every device is silent until its Pano page
// subscribes again). Backups, replication and restores carry both, mode 0600.
export const KEY_FILES = ["secret.key", "vapid.json"] as const;
