package io.jenkins.plugins.mysqllifecycle;

import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mysqllifecycle.engine.Compression;

/**
 * Form checks shared by the steps' and builders' descriptors. Each descriptor method calls {@link #allowed} first:
 * only users who may configure the job get answers.
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

    static ListBoxModel compressions(Item item) {
        ListBoxModel items = new ListBoxModel();
        if (allowed(item)) {
            items.add("gzip (level 1)", Compression.GZIP.id());
            items.add("zstd (level 1)", Compression.ZSTD.id());
            items.add("none", Compression.NONE.id());
        }
        return items;
    }

    /** An output path stays inside the workspace: relative, with no ".." step. */
    static FormValidation workspacePath(String value) {
        if (value == null || value.isBlank()) {
            return FormValidation.error("Output is required: a file path relative to the workspace");
        }
        String path = value.strip();
        if (path.startsWith("/")) {
            return FormValidation.error("Output must be relative to the workspace, not an absolute path");
        }
        for (String step : path.split("/")) {
            if (step.equals("..")) {
                return FormValidation.error("Output must stay inside the workspace: no '..'");
            }
        }
        return FormValidation.ok();
    }
}
