# READI container image: one static-ish binary (cgo for SQLite) on Debian slim.
#   docker build -t readi .
#   docker run -p 8080:8080 -v readi-data:/data readi
# See README.md ("Docker") and docker-compose.yml for PostgreSQL.

# --- build ---------------------------------------------------------------
FROM golang:1.26-bookworm AS build
WORKDIR /src
# SQLite comes through mattn/go-sqlite3, which needs cgo (gcc is in the image).
ENV CGO_ENABLED=1
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags='-s -w' -o /out/readi .

# --- run -----------------------------------------------------------------
FROM debian:bookworm-slim
# ca-certificates: TLS to a managed PostgreSQL; postgresql-client: pg_dump for
# `readi backup` on PostgreSQL; curl: the health check.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates postgresql-client curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 readi \
 && useradd --system --uid 10001 --gid readi --home-dir /data --no-create-home --shell /usr/sbin/nologin readi \
 && mkdir -p /data \
 && chown readi:readi /data \
 && chmod 0700 /data
COPY --from=build /out/readi /usr/local/bin/readi

# The SQLite database and the generated JWT secret live here (see README).
VOLUME /data
ENV READI_DATA_DIR=/data READI_ADDR=:8080
EXPOSE 8080
USER readi:readi

HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1

ENTRYPOINT ["/usr/local/bin/readi"]
CMD ["serve"]
