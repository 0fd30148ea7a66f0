# Build stage: the fat jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src src
RUN mvn -B -ntp -q -DskipTests package

# Runtime stage: a slim JRE 17, the jar, and mountable conf/ and cluster/.
FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /opt/turnout turnout \
    && mkdir -p /opt/turnout/data && chown turnout /opt/turnout/data
WORKDIR /opt/turnout
COPY --from=build /src/target/turnout.jar /opt/turnout/turnout.jar
COPY conf /opt/turnout/conf
COPY cluster /opt/turnout/cluster
USER turnout
ENV TURNOUT_CONF_DIR=/opt/turnout/conf \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# conf/ and cluster/ are read; data/ holds the audit log (conf's default audit.file is ../data/audit.jsonl).
VOLUME ["/opt/turnout/conf", "/opt/turnout/cluster", "/opt/turnout/data"]
# 8080: clients; 8081: the admin listener (/admin, /console), which binds admin.host (127.0.0.1 by
# default, so set admin.host: 0.0.0.0 in the mounted conf and publish it to the host's loopback only:
# -p 127.0.0.1:8081:8081); 5701: Hazelcast.
EXPOSE 8080 8081 5701
# Hazelcast's flags on Java 17 (also in the jar manifest, repeated here for --add-modules).
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED -jar /opt/turnout/turnout.jar \"$@\"", "turnout"]
