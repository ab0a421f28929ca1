package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.Tls;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;

/**
 * Form checks shared by the steps' descriptors. Each check method calls {@link #allowed} first: only users who may
 * configure the job get answers, and without a job in the URL (the global Pipeline Syntax page) every value is
 * accepted, as jenkins.io's "Securely implementing form validation" does it. Drop-down lists hold nothing private and
 * are answered everywhere, except the credentials lists ({@link JobCredentials#fill}), which follow the credentials
 * plugin's consumer guide.
 */
final class Validation {
    private Validation() {
    }

    static boolean allowed(Item item) {
        return item != null && item.hasPermission(Item.CONFIGURE);
    }

    static FormValidation required(String value, String what) {
        return value == null || value.isBlank() ? FormValidation.error(what + " is required") : FormValidation.ok();
    }

    /** A user beside credentials: best left empty, since only the credential's own user is accepted. */
    static FormValidation credentialsUser(String value) {
        return value == null || value.isBlank() ? FormValidation.ok()
                : FormValidation.warning("Leave empty: the credentials give the user, and a build with any other user"
                + " fails");
    }

    static FormValidation absolutePath(String value, String what, boolean required) {
        if (value == null || value.isBlank()) {
            return required ? FormValidation.error(what + " is required") : FormValidation.ok();
        }
        if (value.contains("$")) {
            return FormValidation.ok(); // expanded from the build's environment when the step runs
        }
        return value.startsWith("/") ? FormValidation.ok()
                : FormValidation.error(what + " must be an absolute path on the node, such as /var/tmp/mysql/data");
    }

    static FormValidation port(String value, boolean zeroAllowed) {
        if (value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        try {
            int port = Integer.parseInt(value.strip());
            if ((port == 0 && zeroAllowed) || (port >= 1 && port <= 65535)) {
                return FormValidation.ok();
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the error
        }
        return FormValidation.error(zeroAllowed ? "Port must be a number from 1 to 65535, or 0 to pick a free one"
                : "Port must be a number from 1 to 65535");
    }

    static FormValidation positiveSeconds(String value, String what) {
        if (value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        try {
            if (Long.parseLong(value.strip()) > 0) {
                return FormValidation.ok();
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the error
        }
        return FormValidation.error(what + " must be a whole, positive number of seconds");
    }

    /** Retention: empty (keep every dump) or a whole number of at least 1. */
    static FormValidation keep(String value) {
        if (value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        try {
            if (Long.parseLong(value.strip()) >= 1) {
                return FormValidation.ok();
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the error
        }
        return FormValidation.error("Keep must be a whole number of dumps, at least 1 (this one included); leave it"
                + " empty to remove no dump");
    }

    /**
     * The choices of a drop-down that holds nothing private: the same for every user and every page, the global
     * Pipeline Syntax page (no job in its URL) included, where an empty list made snippets say {@code compress: ''}.
     */
    static ListBoxModel compressions() {
        ListBoxModel items = new ListBoxModel();
        items.add("gzip (level 1)", Compression.GZIP.id());
        items.add("zstd (level 1)", Compression.ZSTD.id());
        items.add("none", Compression.NONE.id());
        return items;
    }

    /** The TLS modes, the engine's choice by the host first; like {@link #compressions()}, for every user and page. */
    static ListBoxModel tlsModes() {
        ListBoxModel items = new ListBoxModel();
        items.add("by the host: disabled on 127.0.0.1/localhost, required elsewhere, verify-identity with a CA file",
                "");
        items.add("disabled: no TLS", Tls.Mode.DISABLED.id());
        items.add("preferred: TLS when the server offers it", Tls.Mode.PREFERRED.id());
        items.add("required: TLS, the certificate not checked", Tls.Mode.REQUIRED.id());
        items.add("verify-ca: TLS, a certificate the CA file signed", Tls.Mode.VERIFY_CA.id());
        items.add("verify-identity: TLS, a certificate the CA file signed for the host", Tls.Mode.VERIFY_IDENTITY.id());
        return items;
    }

    /** A CA file goes with a verifying mode (or no mode, which then verifies), and a verifying mode needs one. */
    static FormValidation tlsCa(String value, String tls) {
        boolean given = value != null && !value.isBlank();
        Tls.Mode mode;
        try {
            mode = tls == null || tls.isBlank() ? null : Tls.Mode.fromId(tls);
        } catch (InvalidSpecException unknown) {
            return FormValidation.ok(); // the drop-down offers only known modes
        }
        if (mode != null && mode.verifies() && !given) {
            return FormValidation.error("TLS " + mode.id() + " checks the server's certificate: give the PEM file of"
                    + " the CA that signed it");
        }
        if (mode != null && !mode.verifies() && given) {
            return FormValidation.error("A CA file is for checking the server's certificate, which TLS " + mode.id()
                    + " does not do: choose verify-identity or verify-ca, or leave the CA file empty");
        }
        return absolutePath(value, "The CA file", false);
    }

    /** The dump methods; like {@link #compressions()}, for every user and page. */
    static ListBoxModel methods() {
        ListBoxModel items = new ListBoxModel();
        items.add("mysqldump: the server's dump tool, into one file", DumpMethod.MYSQLDUMP.id());
        items.add("parallel: several connections in one snapshot, into a directory", DumpMethod.PARALLEL.id());
        return items;
    }

    /** Connections of a parallel dump or a directory restore: 0 (one per core) or 1 to 64, as the engine takes. */
    static FormValidation threads(String value) {
        if (value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        try {
            int threads = Integer.parseInt(value.strip());
            if (threads >= 0 && threads <= 64) {
                return FormValidation.ok();
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the error
        }
        return FormValidation.error("Threads must be a whole number from 1 to 64, or 0 for one per core of the node");
    }

    /** A dump's threads, which only the parallel method takes. */
    static FormValidation dumpThreads(String value, String method) {
        FormValidation range = threads(value);
        if (range.kind != FormValidation.Kind.OK || value == null || value.isBlank() || value.strip().equals("0")
                || DumpMethod.PARALLEL.id().equals(method)) {
            return range;
        }
        return FormValidation.error("Threads apply to the parallel method only: choose parallel, or set 0 for"
                + " mysqldump");
    }

    /** A dump's output path stays inside the workspace: relative, with no ".." step. */
    static FormValidation workspacePath(String value) {
        return workspacePath(value, "Output");
    }

    /** A path inside the workspace, {@code what} naming the field: relative, with no ".." step. */
    static FormValidation workspacePath(String value, String what) {
        if (value == null || value.isBlank()) {
            return FormValidation.error(what + " is required: a path relative to the workspace");
        }
        String path = value.strip();
        if (path.startsWith("/")) {
            return FormValidation.error(what + " must be relative to the workspace, not an absolute path");
        }
        for (String step : path.split("/")) {
            if (step.equals("..")) {
                return FormValidation.error(what + " must stay inside the workspace: no '..'");
            }
        }
        return FormValidation.ok();
    }
}
