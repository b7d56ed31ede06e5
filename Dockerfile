# The ack service image. Build from the repository root with any builder (docker/BuildKit, podman, buildah):
#   docker build -t registry.example.com/ack:1.0.0 .
# The base images are build arguments: their defaults are the official images, pinned to a version tag (README,
# "Container image", shows how to pin them by digest, and how the tests build on local Debian-built bases).
# k8s/deployment.yaml runs it; a test keeps the user, port, jar and config paths and the entry point of both equal.
ARG BUILD_IMAGE=maven:3.9.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17.0.13_11-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
COPY pom.xml ./
# Everything the build needs, plugins included, is downloaded in this layer, which depends on pom.xml alone: the
# same package run with no sources yet resolves exactly what the real one uses (dependency:go-offline misses
# plugins' own dependencies). A change under src/ reuses this layer; the build below runs offline to prove it.
RUN mvn -B -q package -Dmaven.test.skip=true && rm -rf target
COPY src/main ./src/main
# The tests run in CI, not in the image build (neither compiled nor run here).
RUN mvn -B -q -o package -Dmaven.test.skip=true

FROM ${RUNTIME_IMAGE}
ARG RUNTIME_IMAGE
# Set by the release build: --build-arg VERSION=1.0.0 --build-arg REVISION=$(git rev-parse HEAD).
ARG VERSION=1.0.0-SNAPSHOT
ARG REVISION=unknown
LABEL org.opencontainers.image.title="ack" \
      org.opencontainers.image.description="Reactive TCP acknowledgement service on Vert.x" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${RUNTIME_IMAGE}"
# A fixed numeric user: the Deployment's runAsUser/runAsGroup, and kubelet's runAsNonRoot check needs a number.
RUN groupadd --system --gid 10001 ack \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ack
WORKDIR /app
COPY --from=build /build/target/ack-fat.jar /app/ack-fat.jar
# The defaults, so `docker run` works alone; on Kubernetes the ConfigMap is mounted over /etc/ack.
COPY conf/config.json /etc/ack/config.json
USER 10001:10001
# The acknowledgement port and the management port (health, metrics).
EXPOSE 5000 9090
# Heap at half the container's memory limit, direct buffers capped, exit on OutOfMemoryError (see deployment.yaml).
# Exec form: java is PID 1 and receives SIGTERM itself, which starts the graceful drain.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50.0", "-XX:MaxDirectMemorySize=128m", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/ack-fat.jar", "-conf", "/etc/ack/config.json"]
