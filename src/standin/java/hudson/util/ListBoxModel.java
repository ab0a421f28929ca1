package hudson.util;

import java.util.ArrayList;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.export.ExportedBean;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
@ExportedBean
public class ListBoxModel extends ArrayList<ListBoxModel.Option> implements HttpResponse {
    @ExportedBean(defaultVisibility = 999)
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
