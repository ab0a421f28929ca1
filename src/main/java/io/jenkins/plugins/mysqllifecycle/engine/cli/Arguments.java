package io.jenkins.plugins.mysqllifecycle.engine.cli;


import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's options, {@code --name value} or {@code --name=value}; anything unknown is a usage error. A repeatable
 * option may be given any number of times, each value taken as it is.
 */
final class Arguments {
    private final String command;
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, List<String>> repeated = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Arguments(String command) {
        this.command = command;
    }

    static Arguments parse(String command, List<String> args, Set<String> valueOptions, Set<String> flagOptions)
            throws InvalidSpecException {
        return parse(command, args, valueOptions, flagOptions, Set.of());
    }

    static Arguments parse(String command, List<String> args, Set<String> valueOptions, Set<String> flagOptions,
                           Set<String> repeatableOptions) throws InvalidSpecException {
        Arguments parsed = new Arguments(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new InvalidSpecException("unexpected argument '" + arg + "' for " + command);
            }
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (flagOptions.contains(name)) {
                if (value != null) {
                    throw new InvalidSpecException(name + " takes no value");
                }
                parsed.flags.add(name);
            } else if (repeatableOptions.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new InvalidSpecException(name + " needs a value");
                    }
                    value = args.get(++i);
                }
                parsed.repeated.computeIfAbsent(name, repeatable -> new ArrayList<>()).add(value);
            } else if (valueOptions.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new InvalidSpecException(name + " needs a value");
                    }
                    value = args.get(++i);
                }
                if (parsed.values.put(name, value) != null) {
                    throw new InvalidSpecException(name + " is given twice");
                }
            } else {
                throw new InvalidSpecException("unknown option " + name + " for " + command + "; see '"
                        + "mysql-lifecycle help'");
            }
        }
        return parsed;
    }

    String value(String name) {
        return values.get(name);
    }

    String required(String name) throws InvalidSpecException {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new InvalidSpecException(command + " needs " + name);
        }
        return value;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    boolean has(String name) {
        return values.containsKey(name) || flags.contains(name) || repeated.containsKey(name);
    }

    /** Every value of a repeatable option, in the order given, each exactly as given. */
    List<String> all(String name) {
        return List.copyOf(repeated.getOrDefault(name, List.of()));
    }

    long number(String name, long otherwise) throws InvalidSpecException {
        String value = values.get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSpecException(name + " must be a whole number, not '" + value + "'");
        }
    }

    Duration seconds(String name, Duration otherwise) throws InvalidSpecException {
        return has(name) ? Durations.positiveSeconds(name, number(name, 0)) : otherwise;
    }

    List<String> list(String name) {
        String value = values.get(name);
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
        }
        return items;
    }
}
