package org.jvnet.hudson.annotation_indexer;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Stand-in for annotation-indexer 1.17, which Jenkins 2.479.3 bundles: only what {@link org.jenkinsci.Symbol} needs
 * (the real one's optional {@code validators} is not used). The real library is served only by the Jenkins
 * repository; the versions on Maven Central are older and their annotation processor writes the index where Jenkins no
 * longer reads it (META-INF/annotations instead of META-INF/services/annotations), so the stand-in runs no processor
 * and the plugin keeps its @Symbol index in src/main/resources/META-INF/services/annotations, as before.
 */
@Documented
@Retention(RUNTIME)
@Target(ANNOTATION_TYPE)
public @interface Indexed {
}
