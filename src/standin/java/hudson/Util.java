package hudson;

/**
 * Stand-in for the Jenkins 2.479.3 API: only what FormValidation.error uses, with escape's real behaviour (the
 * stand-in tests check the messages it escapes).
 */
public class Util {
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
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
