package hudson.model;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jenkins.model.ModelObjectWithContextMenu;
import org.kohsuke.stapler.export.ExportedBean;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses (with real behaviour, for the plugin's tests). */
@ExportedBean
public abstract class Actionable extends AbstractModelObject implements ModelObjectWithContextMenu {
    private final List<Action> actions = new CopyOnWriteArrayList<>();

    public void addAction(Action a) {
        if (a == null) {
            throw new IllegalArgumentException("Action must be non-null");
        }
        actions.add(a);
    }

    public <T extends Action> T getAction(Class<T> type) {
        for (Action action : actions) {
            if (type.isInstance(action)) {
                return type.cast(action);
            }
        }
        return null;
    }
}
