package dev.tokenservice;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.tokenservice.CodeConfigKeys.Key;
import dev.tokenservice.ConfigurationTable.Row;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;

/**
 * docs/configuration.md has one row for every key the compiled service reads and none for an {@code auth.*} key it
 * does not, and each documented default is the code's (or application.properties', where it sets the key).
 */
class ConfigurationDocTest {

    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    /** An auth.* key set in application.properties, or shown there commented out, with or without a profile. */
    private static final Pattern PROPERTIES_AUTH_KEY =
            Pattern.compile("^(?:#\\s*)?(?:%[\\w-]+\\.)?(auth\\.[^=:\\s]+)\\s*[=:]");

    private static final CodeConfigKeys CODE = CodeConfigKeys.scan(Path.of("target/classes"));
    private static final ConfigurationTable TABLE =
            ConfigurationTable.parse(readLines(Path.of("docs/configuration.md")));

    @Test
    void everyKeyTheCodeReadsHasARow() {
        assertFalse(CODE.keys().isEmpty(), "no configuration key found in target/classes");
        Set<String> documented = TABLE.rows().stream().map(Row::mappingName).collect(Collectors.toSet());
        List<String> missing = CODE.keys().values().stream().filter(key -> !documented.contains(key.name()))
                .map(key -> shown(key.name()) + (key.defaultValue() == null ? "" : ", default " + key.defaultValue()))
                .toList();
        assertNone(missing, "keys the code reads that docs/configuration.md has no row for");
    }

    @Test
    void everyAuthRowIsAKeyTheCodeReads() {
        List<String> extra = TABLE.rows().stream()
                .filter(row -> row.key().startsWith("auth.") && !CODE.keys().containsKey(row.mappingName()))
                .map(row -> row.key() + " (line " + row.line() + ")").toList();
        assertNone(extra, "rows of docs/configuration.md for auth.* keys the code does not read");
    }

    @Test
    void documentedDefaultsAreTheCodes() {
        Properties properties = applicationProperties();
        List<String> wrong = TABLE.rows().stream().map(row -> defaultMismatch(row, properties))
                .flatMap(Optional::stream).toList();
        assertNone(wrong, "defaults in docs/configuration.md that differ from the code's");
    }

    @Test
    void tableHasOneReadableRowPerKey() {
        List<String> twice = TABLE.rows().stream().collect(Collectors.groupingBy(Row::key, Collectors.counting()))
                .entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
        assertNone(TABLE.malformed(), "rows of docs/configuration.md that cannot be read");
        assertNone(twice, "keys with more than one row in docs/configuration.md");
    }

    @Test
    void authKeysInApplicationPropertiesAreKeysTheCodeReads() {
        List<Pattern> readKeys = CODE.keys().keySet().stream()
                .map(key -> Pattern.compile(Pattern.quote(key).replace("*", "\\E[^.]+\\Q"))).toList();
        List<String> unread = readLines(PROPERTIES).stream().map(PROPERTIES_AUTH_KEY::matcher).filter(Matcher::find)
                .map(matcher -> matcher.group(1))
                .filter(key -> readKeys.stream().noneMatch(pattern -> pattern.matcher(key).matches()))
                .distinct().toList();
        assertNone(unread, "auth.* keys in application.properties (set or shown commented out) the code does not read");
    }

    @Test
    void configurationIsReadOnlyThroughMappingsAndInjection() {
        assertNone(CODE.programmaticReaders(), "classes that read configuration by a key named at run time, which "
                + "this test cannot see (use a @ConfigMapping or @ConfigProperty)");
    }

    /** The row's default against application.properties' value for the key, else the code's default. */
    private static Optional<String> defaultMismatch(Row row, Properties properties) {
        Key key = CODE.keys().get(row.mappingName());
        String expected = properties.getProperty(row.key(), key == null ? null : key.defaultValue());
        if (expected == null) {
            return Optional.empty();
        }
        Class<?> type = key == null ? String.class : key.type();
        boolean same = expected.isEmpty() ? row.defaultValue() == null
                : row.defaultValue() != null && normalised(type, expected).equals(normalised(type, row.defaultValue()));
        String documented = row.defaultValue() == null ? "none" : "'" + row.defaultValue() + "'";
        return same ? Optional.empty() : Optional.of("%s (line %d): documented %s, default '%s'"
                .formatted(row.key(), row.line(), documented, expected));
    }

    private static void assertNone(List<String> found, String what) {
        assertTrue(found.isEmpty(), () -> what + ":\n  " + String.join("\n  ", found));
    }

    /** A key as the table writes it: a map key as {@code <key>}. */
    private static String shown(String key) {
        return key.replace("*", "<key>");
    }

    /** The value as the code reads it, so that {@code 5M} and {@code PT5M}, or {@code 64K} and {@code 65536}, agree. */
    private static String normalised(Class<?> type, String value) {
        Map<Class<?>, Function<String, Object>> converters = Map.of(Duration.class, DurationConverter::parseDuration,
                MemorySize.class, text -> new MemorySizeConverter().convert(text).asLongValue());
        try {
            return String.valueOf(converters.getOrDefault(type, text -> text.toLowerCase(Locale.ROOT)).apply(value));
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static Properties applicationProperties() {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(PROPERTIES)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
