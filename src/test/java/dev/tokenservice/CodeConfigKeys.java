package dev.tokenservice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappingInterface.Property;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigMappings.ConfigClass;

/**
 * The configuration keys the compiled service reads: every property of its {@code @ConfigMapping} interfaces, as
 * SmallRye Config itself names them (a map key is {@code *}), and every {@code @ConfigProperty} injection.
 */
final class CodeConfigKeys {

    /** A key the code reads, with its default ({@code null} if it has none) and the Java type it is read as. */
    record Key(String name, String defaultValue, Class<?> type) {
    }

    /** Class names of the ways to read configuration that name their keys only at run time. */
    private static final List<String> PROGRAMMATIC_READERS = List.of("org/eclipse/microprofile/config/Config",
            "org/eclipse/microprofile/config/ConfigProvider", "io/smallrye/config/SmallRyeConfig");

    private final Map<String, Key> keys = new TreeMap<>();
    private final List<String> programmaticReaders = new ArrayList<>();

    private CodeConfigKeys() {
    }

    /** Reads the classes compiled under {@code classes} in package {@code dev.tokenservice}. */
    static CodeConfigKeys scan(Path classes) {
        CodeConfigKeys found = new CodeConfigKeys();
        Path root = classes.resolve("dev/tokenservice");
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(file -> file.toString().endsWith(".class")).forEach(file -> found.read(classes, file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    Map<String, Key> keys() {
        return keys;
    }

    /** Classes that reference {@code Config}, {@code ConfigProvider} or {@code SmallRyeConfig}. */
    List<String> programmaticReaders() {
        return programmaticReaders;
    }

    private void read(Path classes, Path file) {
        String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".")
                .replaceFirst("\\.class$", "");
        Class<?> type = load(name);
        ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
        if (mapping != null) {
            readMapping(type, mapping.prefix());
        }
        for (Field field : type.getDeclaredFields()) {
            readInjection(field, field.getType());
        }
        Stream.concat(Stream.of(type.getDeclaredConstructors()), Stream.of(type.getDeclaredMethods()))
                .map(Executable::getParameters).flatMap(Stream::of)
                .forEach(parameter -> readInjection(parameter, parameter.getType()));
        if (referencesAny(file, PROGRAMMATIC_READERS)) {
            programmaticReaders.add(name);
        }
    }

    private void readMapping(Class<?> mapping, String prefix) {
        Map<String, Property> properties = ConfigMappings.getProperties(ConfigClass.configClass(mapping, prefix));
        properties.forEach((key, property) -> {
            // a list is also listed element by element (key[*]); the key itself is what an operator sets
            if (!key.endsWith("[*]")) {
                String defaultValue = property.hasDefaultValue() ? property.getDefaultValue() : null;
                keys.put(key, new Key(key, defaultValue, property.getMethod().getReturnType()));
            }
        });
    }

    private void readInjection(AnnotatedElement element, Class<?> type) {
        ConfigProperty injection = element.getAnnotation(ConfigProperty.class);
        if (injection == null) {
            return;
        }
        String key = injection.name().isEmpty() ? "(unnamed @ConfigProperty " + element + ")" : injection.name();
        String defaultValue = ConfigProperty.UNCONFIGURED_VALUE.equals(injection.defaultValue())
                ? null : injection.defaultValue();
        keys.put(key, new Key(key, defaultValue, type));
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, CodeConfigKeys.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the class file's constant pool holds one of these class names as an entry of its own. */
    private static boolean referencesAny(Path classFile, List<String> classNames) {
        String bytes = new String(readAllBytes(classFile), StandardCharsets.ISO_8859_1);
        return classNames.stream().anyMatch(className -> bytes.contains(utf8Entry(className)));
    }

    /** An ASCII name as a CONSTANT_Utf8 entry: tag 1 and two length bytes, so a longer name holding it differs. */
    private static String utf8Entry(String name) {
        return "\u0001" + (char) (name.length() >> 8) + (char) (name.length() & 0xff) + name;
    }

    private static byte[] readAllBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
