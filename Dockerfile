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
# Class-data sharing: a training run records the classes the server loads, from start to its first readiness answer
# and first acknowledgement, in a dynamic archive on top of the JDK's own (/app/ack.jsa); the entry point maps it
# read-only, so the classes are not parsed and verified again at each start. The archive is only valid for this JVM
# and this jar at this path (the JVM checks both and silently starts without it otherwise), hence made here, last.
# Ports 0 on loopback: nothing of the build host's is bound (builds may run with --network host).
RUN ACK_HOST=127.0.0.1 ACK_PORT=0 ACK_MANAGEMENT_HOST=127.0.0.1 ACK_MANAGEMENT_PORT=0 \
      java -XX:ArchiveClassesAtExit=/app/ack.jsa -Xlog:cds=off -jar /app/ack-fat.jar -conf /etc/ack/config.json \
      > /tmp/training.log 2>&1 & pid=$! \
 && for i in $(seq 600); do grep -q 'ack service listening on' /tmp/training.log && break; sleep 0.1; done \
 && port=$(sed -n 's/.*ack service listening on [^ ]*:\([0-9]*\) .*/\1/p' /tmp/training.log) \
 && management=$(sed -n 's/.*management endpoint listening on [^ ]*:\([0-9]*\) .*/\1/p' /tmp/training.log) \
 && timeout 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/$management && printf 'GET /health/ready HTTP/1.0\r\n\r\n' >&3 \
      && head -n 1 <&3 && exec 3<>/dev/tcp/127.0.0.1/$port && echo training >&3 && head -c 1 <&3 >/dev/null" \
 && kill -TERM $pid && wait $pid \
 && test -s /app/ack.jsa && rm /tmp/training.log
USER 10001:10001
# The acknowledgement port and the management port (health, metrics).
EXPOSE 5000 9090
# Heap at half the container's memory limit, direct buffers capped, exit on OutOfMemoryError (see deployment.yaml).
# Exec form: java is PID 1 and receives SIGTERM itself, which starts the graceful drain.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/ack.jsa", "-XX:MaxRAMPercentage=50.0", "-XX:MaxDirectMemorySize=128m", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/ack-fat.jar", "-conf", "/etc/ack/config.json"]
