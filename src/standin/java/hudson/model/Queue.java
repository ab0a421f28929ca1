package hudson.model;

import hudson.model.queue.SubTask;
import jenkins.console.WithConsoleUrl;

/**
 * Stand-in for the Jenkins 2.479.3 API: only the enclosing class of Task and Executable, which are supertypes of what
 * the plugin uses, with the real constructor (the real class has no other).
 */
public class Queue extends ResourceController implements Saveable {
    public Queue(LoadBalancer loadBalancer) {
        throw new UnsupportedOperationException("stand-in");
    }

    /** Stand-in for the Jenkins 2.479.3 API: only a supertype of what the plugin uses, declared as the real one, without members. */
    public interface Task extends ModelObject, SubTask {
    }

    /** Stand-in for the Jenkins 2.479.3 API: only a supertype of what the plugin uses, declared as the real one, without members. The real one is also {@code @StaplerAccessibleType}, an annotation the stand-in has no jar for. */
    public interface Executable extends Runnable, WithConsoleUrl {
    }
}
