package jenkins.widgets;

/** Stand-in for the Jenkins 2.479.3 API: only a supertype of what the plugin uses, declared as the real one, without members. The real one is also {@code @StaplerAccessibleType}, an annotation the stand-in has no jar for. */
public interface HasWidgets {
}
