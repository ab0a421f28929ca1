package hudson.util;

import hudson.Util;
import java.io.IOException;
import org.kohsuke.stapler.HttpResponse;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class FormValidation extends IOException implements HttpResponse {
    public enum Kind {
        OK,
        WARNING,
        ERROR
    }

    private static final FormValidation OK = new FormValidation(Kind.OK) {
        @Override
        public String toString() {
            return kind + ": <div/>";
        }
    };

    public final Kind kind;

    private FormValidation(Kind kind) {
        this.kind = kind;
    }

    private FormValidation(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static FormValidation ok() {
        return OK;
    }

    public static FormValidation error(String message) {
        return _errorWithMarkup(message == null ? null : Util.escape(message), Kind.ERROR);
    }

    public static FormValidation warning(String message) {
        return _errorWithMarkup(message == null ? null : Util.escape(message), Kind.WARNING);
    }

    private static FormValidation _errorWithMarkup(final String message, final Kind kind) {
        if (message == null) {
            return ok();
        }
        return new FormValidation(kind, message) {
            @Override
            public String toString() {
                return kind + ": " + message;
            }
        };
    }
}
