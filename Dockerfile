# fanin container image: a Maven build stage, then a JRE-only runtime that keeps the repo layout
# (/app/bin/fanin, /app/target/fanin.jar, /app/conf/config.json) and starts with the README's command.
# Build:  docker build -t fanin .          (podman: podman build --format docker -t fanin .)
# Run:    docker run --rm -p 127.0.0.1:8080:8080 fanin
# Details, and how this was checked without a registry: docs/container.md.
#
# The FROM names are the public Docker Hub images. Offline, scripts/make-base-images builds local
# stand-ins with the same names from Debian packages. Either can be swapped with --build-arg.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

# ---------------------------------------------------------------------------------------------
FROM ${BUILD_IMAGE} AS build
WORKDIR /build

# Dependencies first, in their own layer: it is rebuilt only when pom.xml changes.
# resolve and resolve-plugins do not see every plugin dependency, so the package step below stays
# online and fetches whatever is left (a few small artifacts). Not go-offline: it also resolves
# optional dependencies of dependencies, which fails on some (Netty's native epoll jar, tried for
# issue 20, names one whose classifier is a property of Netty's own build: ${os.detected.name}-...).
COPY pom.xml ./
RUN mvn -B -ntp -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:resolve \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:resolve-plugins

# Tests are not run (nor copied: see .dockerignore); CI runs them.
COPY src/main ./src/main
RUN mvn -B -ntp package -DskipTests \
 && test -s target/fanin.jar

# ---------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime

# Unprivileged user; uid 10001 stays clear of distro users (Ubuntu 24.04 images already have uid 1000).
RUN groupadd --system --gid 10001 fanin \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin fanin

WORKDIR /app
# Owned by root and not writable by the service user: it needs to read these, not change them.
COPY bin/fanin bin/fanin
COPY conf/ conf/
COPY scripts/healthcheck scripts/healthcheck
COPY --from=build /build/target/fanin.jar target/fanin.jar

# Configuration is by environment: FANIN_<KEY PATH IN UPPER SNAKE> overrides conf/config.json
# (e.g. -e FANIN_AGGREGATE_MAX_SOURCES=200); FANIN_JAVA_OPTS replaces the JVM flags in bin/fanin.
# Listen on all interfaces inside the container; publish the port to choose who can reach it.
ENV FANIN_LOG_FORMAT=json \
    FANIN_HTTP_HOST=0.0.0.0 \
    FANIN_HTTP_PORT=8080
# Lets fanin start on a non-loopback address without API keys. Operators: configure API keys
# and set this to false (or remove it) instead of exposing an anonymous aggregator.
ENV FANIN_SECURITY_ALLOW_ANONYMOUS=true

# Feeds created through the API persist here: the only place the service writes.
ENV FANIN_FEEDS_DATA_DIR=/var/lib/fanin
RUN mkdir -p /var/lib/fanin && chown 10001:10001 /var/lib/fanin
VOLUME /var/lib/fanin

USER 10001:10001
EXPOSE 8080

# No curl or wget to rely on in a JRE image: scripts/healthcheck is a bash /dev/tcp probe (GET, expects 200)
# on 127.0.0.1:$FANIN_HTTP_PORT. Podman keeps HEALTHCHECK only with --format docker.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["/app/scripts/healthcheck", "/health/ready"]

CMD ["bin/fanin"]
