package io.jenkins.plugins.mysqllifecycle.engine.util;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the engine speaks: results on the CLI's stdout, manifests and start records on disk. Objects
 * keep their key order; numbers are longs or doubles; nothing else is needed, so no library is pulled in for it.
 * What it parses may be damaged or foreign, so the parser is bounded: nesting deeper than {@link #MAX_DEPTH} (which
 * would exhaust the stack), a number longer than {@link #MAX_NUMBER_CHARS} characters or outside a long or a finite
 * double is a parse error like any other, and an error quotes at most a short excerpt of the text.
 */
public final class Json {
    /** Far deeper than anything the engine writes (3 levels); the recursive parser's stack holds it easily. */
    public static final int MAX_DEPTH = 64;
    /** A long has 20 characters at most, a double in its shortest form 24. */
    public static final int MAX_NUMBER_CHARS = 32;
    private static final int EXCERPT_CHARS = 60;

    private Json() {
    }

    /** A value for a message: as JSON, cut short, so that a damaged file cannot flood the log. */
    public static String excerpt(Object value) {
        String text = value instanceof Map<?, ?> || value instanceof Collection<?> || value instanceof String
                ? writeAny(value) : String.valueOf(value);
        return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS) + "... ("
                + text.length() + " characters)";
    }

    private static String writeAny(Object value) {
        StringBuilder out = new StringBuilder();
        writeValue(out, value);
        return out.toString();
    }

    public static String write(Map<String, ?> object) {
        StringBuilder out = new StringBuilder();
        writeValue(out, object);
        return out.toString();
    }

    private static void writeValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, String.valueOf(entry.getKey()));
                out.append(':');
                writeValue(out, entry.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeValue(out, item);
            }
            out.append(']');
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            writeString(out, value.toString());
        }
    }

    private static void writeString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
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
        out.append('"');
    }

    /** Parses a JSON object; throws {@link IllegalArgumentException} naming the offset of the first error. */
    public static Map<String, Object> parseObject(String text) {
        Parser parser = new Parser(text);
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.position != text.length() || !(value instanceof Map)) {
            throw new IllegalArgumentException("not a single JSON object (stopped at offset " + parser.position + ")");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) value;
        return object;
    }

    private static final class Parser {
        private final String text;
        private int position;

        Parser(String text) {
            this.text = text;
        }

        void skipWhitespace() {
            while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
                position++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad JSON at offset " + position + ": " + what);
        }

        private char peek() {
            skipWhitespace();
            if (position >= text.length()) {
                throw error("unexpected end");
            }
            return text.charAt(position);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            position++;
        }

        Object value(int depth) {
            char c = peek();
            if ((c == '{' || c == '[') && depth >= MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH + " levels");
            }
            switch (c) {
                case '{':
                    return object(depth + 1);
                case '[':
                    return array(depth + 1);
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return number();
            }
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, position)) {
                throw error("expected " + word);
            }
            position += word.length();
            return value;
        }

        private Map<String, Object> object(int depth) {
            expect('{');
            Map<String, Object> object = new LinkedHashMap<>();
            if (peek() == '}') {
                position++;
                return object;
            }
            while (true) {
                if (peek() != '"') {
                    throw error("expected a key");
                }
                String key = string();
                expect(':');
                object.put(key, value(depth));
                char next = peek();
                position++;
                if (next == '}') {
                    return object;
                }
                if (next != ',') {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array(int depth) {
            expect('[');
            List<Object> array = new ArrayList<>();
            if (peek() == ']') {
                position++;
                return array;
            }
            while (true) {
                array.add(value(depth));
                char next = peek();
                position++;
                if (next == ']') {
                    return array;
                }
                if (next != ',') {
                    throw error("expected ',' or ']'");
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (position >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(position++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (position >= text.length()) {
                    throw error("unterminated escape");
                }
                char escaped = text.charAt(position++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (position + 4 > text.length()
                                || !text.substring(position, position + 4).matches("[0-9a-fA-F]{4}")) {
                            throw error("bad \\u escape");
                        }
                        out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                        position += 4;
                    }
                    default -> throw error("unknown escape \\" + escaped);
                }
            }
        }

        private Number number() {
            int start = position;
            while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
                position++;
            }
            String number = text.substring(start, position);
            if (number.isEmpty()) {
                throw error("unexpected character " + excerpt(String.valueOf(text.charAt(position))));
            }
            if (number.length() > MAX_NUMBER_CHARS) {
                position = start;
                throw error("a number of " + number.length() + " characters (at most " + MAX_NUMBER_CHARS
                        + " are read)");
            }
            try {
                if (number.contains(".") || number.contains("e") || number.contains("E")) {
                    double value = Double.parseDouble(number);
                    if (Double.isInfinite(value)) {
                        throw new NumberFormatException("out of range");
                    }
                    return value;
                }
                return Long.parseLong(number);
            } catch (NumberFormatException e) {
                position = start;
                throw error("bad or out-of-range number " + number);
            }
        }
    }
}
