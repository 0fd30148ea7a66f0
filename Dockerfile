# Build stage: the fat jar.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src src
RUN mvn -B -ntp -q -DskipTests package

# Runtime stage: a slim JRE 17 (pinned: Temurin 17.0.12+7 on Ubuntu 22.04, which ships wget for
# the health check), the jar, and mountable conf/ and cluster/.
FROM eclipse-temurin:17.0.12_7-jre-jammy
# A numeric, non-root user: runtimes that refuse root images (runAsNonRoot) can check the UID.
RUN groupadd --system --gid 10001 turnout \
    && useradd --system --uid 10001 --gid 10001 --home-dir /opt/turnout --no-create-home turnout \
    && mkdir -p /opt/turnout/data && chown 10001:10001 /opt/turnout/data
WORKDIR /opt/turnout
COPY --from=build /src/target/turnout.jar /opt/turnout/turnout.jar
COPY conf /opt/turnout/conf
COPY cluster /opt/turnout/cluster
USER 10001:10001
# The shipped conf/ is the demo: its admin token is public, so the node refuses to start while
# the admin API listens beyond loopback. Mount a conf/ with your own tokens, or (a throwaway
# demo only) run with -e TURNOUT_ALLOW_DEMO_TOKEN=true.
# JIT: C2 takes hot methods earlier than its defaults (Tier4 thresholds 1500/300/3000 instead of
# 5000/600/15000): on one CPU the node reaches 1.5x of its steady-state CPU per request within about
# 13,000 requests instead of 16,000-27,000 (README "Benchmark", warm-up), at the same steady state.
# C1 only (TieredStopAtLevel=1) warms at once but costs about twice the CPU per request for good;
# AppCDS (-XX:SharedArchiveFile) was measured too and did not move the warm-up, so it is not used.
ENV TURNOUT_CONF_DIR=/opt/turnout/conf \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:Tier4InvocationThreshold=1500 -XX:Tier4MinInvocationThreshold=300 -XX:Tier4CompileThreshold=3000"
# conf/ and cluster/ are read; data/ holds the audit log (conf's default audit.file is ../data/audit.jsonl).
VOLUME ["/opt/turnout/conf", "/opt/turnout/cluster", "/opt/turnout/data"]
# 8080: clients and health; 8081: the admin listener (/admin, /console), which binds admin.host
# (127.0.0.1 by default, so set admin.host: 0.0.0.0 in the mounted conf and publish it to the host's
# loopback only: -p 127.0.0.1:8081:8081); 5701: Hazelcast; 5801: the clustered event bus.
EXPOSE 8080 8081 5701 5801
# Ready = every verticle deployed and a route map in force (GET /health/ready on the client listener).
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
    CMD wget -q -O /dev/null "http://127.0.0.1:${TURNOUT_HTTP_PORT:-8080}/health/ready" || exit 1
# Hazelcast's flags on Java 17 (also in the jar manifest, repeated here for --add-modules).
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED -jar /opt/turnout/turnout.jar \"$@\"", "turnout"]
