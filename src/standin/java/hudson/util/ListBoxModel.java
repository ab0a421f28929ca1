package hudson.util;

import java.util.ArrayList;
import org.kohsuke.stapler.HttpResponse;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public class ListBoxModel extends ArrayList<ListBoxModel.Option> implements HttpResponse {
    public static final class Option {
        public String name;
        public String value;
        public boolean selected;

        public Option(String name, String value) {
            this.name = name;
            this.value = value;
            this.selected = false;
        }
    }

    public void add(String displayName, String value) {
        add(new Option(displayName, value));
    }
}
