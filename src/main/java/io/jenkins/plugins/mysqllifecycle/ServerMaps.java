package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import hudson.AbortException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The map {@code mysqlStart} returns and {@code mysqlDump}/{@code mysqlRestore}/{@code mysqlStop} accept as
 * {@code server:}. Only plain, serializable values, so a pipeline can keep it across a restart.
 */
final class ServerMaps {
    private ServerMaps() {
    }

    /** A node as messages name it: its name, or the built-in node, whose name is empty. */
    static String describeNode(String node) {
        return node.isEmpty() ? "the built-in node" : "node " + node;
    }

    static Map<String, Object> toMap(ServerHandle server, String node) {
        Map<String, Object> map = new LinkedHashMap<>(server.toMap());
        map.put("node", node);
        return map;
    }

    static long number(Map<?, ?> server, String key) throws AbortException {
        Object value = server.get(key);
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof String text && text.matches("\\d+")) {
            return Long.parseLong(text);
        }
        throw new AbortException("server: the map has no number '" + key + "'; pass the map mysqlStart returned");
    }

    static String text(Map<?, ?> server, String key) {
        Object value = server.get(key);
        return value == null ? null : value.toString();
    }

    /**
     * A server map is only meaningful on the node that started the server, and, for a server on an SSH host, with
     * the same ssh: option.
     */
    static void requireSameMachine(Map<?, ?> server, String node, String host, String step) throws AbortException {
        Object serverNode = server.get("node");
        if (serverNode != null && !serverNode.toString().equals(node)) {
            throw new AbortException(step + ": the server runs on " + describeNode(serverNode.toString())
                    + ", but this step runs on " + describeNode(node) + ". Run it inside the same"
                    + " node { } block as mysqlStart.");
        }
        Object serverHost = server.get("host");
        if (serverHost != null && !serverHost.toString().equals(host)) {
            throw new AbortException(step + ": the server runs on " + serverHost + ", but this step would work on "
                    + host + ". Give it the same ssh: option as mysqlStart.");
        }
    }
}
