package dev.tokenservice.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Lists every row by name with its outcome, in {@code target/hostile-rows/<class>.txt} and on standard output:
 * Surefire's default report names parameterised invocations by index only.
 */
public class RowReport implements BeforeAllCallback, TestWatcher {

    private static final Path DIRECTORY = Path.of("target", "hostile-rows");

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Files.createDirectories(DIRECTORY);
        Files.deleteIfExists(file(context));
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, "PASS", null);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        record(context, "FAIL", cause);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        record(context, "SKIP", cause);
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, "SKIP", null);
    }

    private static void record(ExtensionContext context, String outcome, Throwable cause) {
        String method = context.getRequiredTestMethod().getName();
        StringBuilder line = new StringBuilder(outcome).append("  ").append(method).append(": ")
                .append(context.getDisplayName()).append('\n');
        if (cause != null) {
            String message = String.valueOf(cause.getMessage());
            line.append("      ").append(message.replace("\n", "\n      ")).append('\n');
        }
        System.out.print("[row] " + line);
        try {
            Files.writeString(file(context), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path file(ExtensionContext context) {
        return DIRECTORY.resolve(context.getRequiredTestClass().getSimpleName() + ".txt");
    }
}
