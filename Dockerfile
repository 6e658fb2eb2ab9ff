# syntax=docker/dockerfile:1
# Pano in one small image: the compiled executable, the Litestream binary, CA certificates and
# the C library they link against; no shell, no Node, no package manager.
#   docker build -t pano .
#   docker volume create pano-data
#   docker run -d --name pano -p 3000:3000 -v pano-data:/data \
#     -e PANO_PUBLIC_URL=https://inbox.example.vn -e PANO_ADMIN_EMAIL=admin@example.vn pano
# See docs/operations.md for backups (PANO_REPLICA_URL), restore and upgrades.

# ---- build: dist/pano with the Bun that npm installs --------------------------------------
# linux/amd64 on any build machine: Litestream's npm package is x64 only.
FROM --platform=linux/amd64 node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# Without the embedded source map (2.6 MB) the image stays under 150 MB.
RUN npm run build -- --no-sourcemap

# The final image's whole file system, assembled here. Bun alone is ~107 MB, so a distro base
# (bookworm-slim 75 MB, distroless cc 23 MB) would not fit in 150 MB: the image gets only the
# libraries `ldd` names. tests/docker-layout.test.ts runs this same script outside Docker and
# serves from the result with chroot, as the user below.
RUN <<'EOF'
set -eu
R="${ROOTFS:-/rootfs}"
# /data apart: COPY gives root what it copies unless told otherwise, and only /data is the user's.
D="${DATAFS:-/rootfs-data}"
PANO_BIN="${PANO_BIN:-dist/pano}"
mkdir -p "$R/usr/local/bin" "$R/etc/ssl/certs" "$R/tmp" "$D/data" "$R/proc" "$R/dev"
install -m 0755 "$PANO_BIN" "$R/usr/local/bin/pano"
# Beside pano, where it looks first (src/ops/litestream-config.ts).
install -m 0755 node_modules/@flydotio/litestream-linux-x64/litestream "$R/usr/local/bin/litestream"
for lib in $(ldd "$PANO_BIN" | grep -o '/[^ ]*'); do cp -L --parents "$lib" "$R/"; done
cp /etc/ssl/certs/ca-certificates.crt "$R/etc/ssl/certs/"
printf 'root:x:0:0:root:/root:/sbin/nologin\npano:x:10001:10001:Pano:/data:/sbin/nologin\n' > "$R/etc/passwd"
printf 'root:x:0:\npano:x:10001:\n' > "$R/etc/group"
chmod 1777 "$R/tmp"
chown 10001:10001 "$D/data"
chmod 0700 "$D/data"
EOF

# ---- the image -------------------------------------------------------------------------------
FROM --platform=linux/amd64 scratch
COPY --from=build /rootfs/ /
# A new named volume takes the ownership of the image's /data: the pano user's, private.
COPY --from=build --chown=10001:10001 /rootfs-data/ /
ENV PATH=/usr/local/bin \
    HOME=/data \
    PANO_DATA_DIR=/data \
    PORT=3000 \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 10001:10001
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/usr/local/bin/pano", "healthcheck"]
# `docker stop` sends SIGTERM: pano drains requests, commits, lets Litestream finish, exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/pano"]
CMD ["serve"]
