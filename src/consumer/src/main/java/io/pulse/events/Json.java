package io.pulse.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough JSON for the schema registry's answers: a flat object whose values are strings,
 * numbers, booleans or null (a nested object or array is skipped), and quoting a string.
 *
 * <pre>{@code
 * Map<String, Object> answer = Json.object("{\"id\": 7}");   // {id=7}
 * String body = "{\"schema\":" + Json.quote(schema.toString()) + "}";
 * }</pre>
 *
 * Hand-written because the consumer artifact promises Avro, kafka-clients and slf4j only, and
 * Jackson (which Avro uses internally) is not part of that promise.
 */
final class Json {
    private final String text;
    private int at;

    private Json(String text) {
        this.text = text;
    }

    /** The top-level members of a JSON object; numbers are {@code Long} or {@code Double}. */
    static Map<String, Object> object(String text) {
        Json json = new Json(text);
        json.space();
        Map<String, Object> members = new LinkedHashMap<>();
        json.expect('{');
        json.space();
        if (json.peek() == '}') {
            json.at++;
        } else {
            do {
                json.space();
                String name = json.string();
                json.space();
                json.expect(':');
                json.space();
                members.put(name, json.value());
                json.space();
            } while (json.next(',', '}') == ',');
        }
        json.space();
        if (json.at != text.length()) {
            throw json.error("the end");
        }
        return members;
    }

    /** {@code value} as a JSON string literal, quotes included. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A string, number, boolean or null; a nested object or array is skipped and reads as null. */
    private Object value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '{' || c == '[') {
            skipNested();
            return null;
        }
        int start = at;
        while (at < text.length() && ",}] \t\r\n".indexOf(text.charAt(at)) < 0) {
            at++;
        }
        String literal = text.substring(start, at);
        switch (literal) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            case "null":
                return null;
            default:
                try {
                    return literal.matches("-?\\d+")
                            ? (Object) Long.parseLong(literal)
                            : (Object) Double.parseDouble(literal);
                } catch (NumberFormatException e) {
                    at = start;
                    throw error("a value");
                }
        }
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("the end of a string");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw error("an escape");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("4 hex digits");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error("4 hex digits");
                    }
                    at += 4;
                }
                default -> {
                    at--;
                    throw error("an escape");
                }
            }
        }
    }

    private void skipNested() {
        int depth = 0;
        do {
            if (at >= text.length()) {
                throw error("the end of a nested value");
            }
            char c = text.charAt(at);
            if (c == '"') {
                string();
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
            at++;
        } while (depth > 0);
    }

    private char next(char one, char other) {
        char c = peek();
        if (c != one && c != other) {
            throw error("'" + one + "' or '" + other + "'");
        }
        at++;
        return c;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("'" + c + "'");
        }
        at++;
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void space() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException(
                "not JSON: got " + (at < text.length() ? "'" + text.charAt(at) + "'" : "the end") + " at offset " + at
                        + " (expected: " + expected + ")");
    }
}
