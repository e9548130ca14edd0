package dev.tokenservice;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rows of the key table in docs/configuration.md ({@code | key | default | meaning |}). The key cell holds one
 * or more keys in backticks, written in full, a map key as a placeholder ({@code auth.clients.<id>.type}); the
 * default cell holds one backticked default per key, or none (unset, empty, or described in words).
 */
final class ConfigurationTable {

    /** A documented key; {@code defaultValue} is {@code null} when the row gives none in backticks. */
    record Row(String key, String defaultValue, int line) {

        /** The key as SmallRye Config names it: a placeholder such as {@code <id>} becomes {@code *}. */
        String mappingName() {
            return key.replaceAll("<[^>]+>", "*");
        }
    }

    private static final String HEADER = "| key | default | meaning |";
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    private final List<Row> rows = new ArrayList<>();
    private final List<String> malformed = new ArrayList<>();

    private ConfigurationTable() {
    }

    /** Reads the table from the lines of the Markdown page. */
    static ConfigurationTable parse(List<String> lines) {
        ConfigurationTable table = new ConfigurationTable();
        int header = lines.indexOf(HEADER);
        if (header < 0) {
            table.malformed.add("no table headed " + HEADER);
            return table;
        }
        // the header, then the |---| line, then rows up to the first line that is not one
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            table.readRow(lines.get(i), i + 1);
        }
        return table;
    }

    List<Row> rows() {
        return rows;
    }

    /** Rows the parser cannot read: keys not written in full, or defaults that cannot be told apart per key. */
    List<String> malformed() {
        return malformed;
    }

    private void readRow(String line, int number) {
        String[] cells = line.split("\\|", 4);
        List<String> keys = backticked(cells.length > 1 ? cells[1] : "");
        List<String> defaults = backticked(cells.length > 2 ? cells[2] : "");
        if (keys.isEmpty() || !keys.stream().allMatch(key -> key.startsWith("auth.") || key.startsWith("quarkus."))) {
            malformed.add("line " + number + ": write each key in full, in backticks: " + line);
            return;
        }
        if (!defaults.isEmpty() && defaults.size() != keys.size()) {
            malformed.add("line " + number + ": give one default per key, or none: " + line);
            return;
        }
        for (int i = 0; i < keys.size(); i++) {
            rows.add(new Row(keys.get(i), defaults.isEmpty() ? null : defaults.get(i), number));
        }
    }

    private static List<String> backticked(String cell) {
        List<String> values = new ArrayList<>();
        Matcher matcher = BACKTICKED.matcher(cell);
        while (matcher.find()) {
            values.add(matcher.group(1));
        }
        return values;
    }
}
