package hudson.util;

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
        return withMarkup(message == null ? null : escape(message), Kind.ERROR);
    }

    private static FormValidation withMarkup(String message, Kind kind) {
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

    private static String escape(String text) {
        StringBuilder buf = new StringBuilder(text.length() + 64);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\n') {
                buf.append("<br>");
            } else if (ch == '<') {
                buf.append("&lt;");
            } else if (ch == '>') {
                buf.append("&gt;");
            } else if (ch == '&') {
                buf.append("&amp;");
            } else if (ch == '"') {
                buf.append("&quot;");
            } else if (ch == '\'') {
                buf.append("&#039;");
            } else if (ch == ' ') {
                char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
                buf.append(next == ' ' ? "&nbsp;" : " ");
            } else {
                buf.append(ch);
            }
        }
        return buf.toString();
    }
}
