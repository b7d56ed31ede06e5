# syntax=docker/dockerfile:1
# The ack service image. Build from the repository root:
#   docker build -t registry.example.com/ack:1.0.0 .
# k8s/deployment.yaml runs it; a test keeps the user, port, jar and config paths and the entry point of both equal.

FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY src ./src
# The cache mount keeps ~/.m2 between builds (BuildKit); the tests run in CI, not here.
RUN --mount=type=cache,target=/root/.m2 mvn -B package -DskipTests

FROM eclipse-temurin:17-jre
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
