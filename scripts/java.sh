# Sourced by the scripts that start the packaged service: picks the JVM and its options the way the container
# image starts it. Sets JAVA (Temurin 25 when installed, else `java`) and JVM_OPTS (deploy/jvm.options, plus the
# AOT cache target/quarkus-app/app.aot on JDK 25 and later when scripts/aot-cache.sh has made one for this build).
if [ -z "${JAVA:-}" ]; then
    JAVA=java
    for candidate in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/temurin-25*/bin/java; do
        if [ -x "$candidate" ]; then
            JAVA=$candidate
            break
        fi
    done
fi
JVM_OPTS="@deploy/jvm.options"
java_feature_version() {
    "$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }'
}
if [ "$(java_feature_version)" -ge 25 ] 2>/dev/null && [ -f target/quarkus-app/app.aot ] &&
    [ target/quarkus-app/app.aot -nt target/quarkus-app/quarkus-run.jar ]; then
    JVM_OPTS="$JVM_OPTS -XX:AOTCache=target/quarkus-app/app.aot"
fi
