# The lifeline command in a container: what deploy/dnscheck runs, and the image the DNS checker's helper pod uses.
#   docker build -t ghcr.io/lifeline-dev/lifeline:latest .
# The build runs the same Maven Wrapper as a checkout (tests skipped: CI runs them with ./mvnw verify).
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw --batch-mode --no-transfer-progress -pl cli -am package -DskipTests -Dspotless.check.skip=true

FROM eclipse-temurin:21-jre
COPY --from=build /src/cli/target/lifeline.jar /opt/lifeline/lifeline.jar
# No shell needed at run time; a numeric non-root user so that runAsNonRoot can verify it.
USER 65532:65532
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/lifeline/lifeline.jar"]
CMD ["--help"]
