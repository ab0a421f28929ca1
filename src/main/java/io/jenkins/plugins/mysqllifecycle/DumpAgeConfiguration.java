package io.jenkins.plugins.mysqllifecycle;

import hudson.Extension;
import hudson.util.FormValidation;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The one setting of the page of dump ages ({@link DumpAgesAction}), under Manage Jenkins, System: after how many
 * hours a last dump, or a last verified dump, is marked as old. 26 by default: a nightly dump one day plus a little
 * late still passes, a missed night does not.
 */
@Extension
@Symbol("mysqlDumpAges")
public final class DumpAgeConfiguration extends GlobalConfiguration {
    static final int DEFAULT_STALE_AFTER_HOURS = 26;

    private int staleAfterHours = DEFAULT_STALE_AFTER_HOURS;

    public DumpAgeConfiguration() {
        load();
    }

    static DumpAgeConfiguration get() {
        return Jenkins.get().getDescriptorByType(DumpAgeConfiguration.class);
    }

    public int getStaleAfterHours() {
        return staleAfterHours;
    }

    @DataBoundSetter
    public void setStaleAfterHours(int staleAfterHours) {
        if (staleAfterHours < 1) {
            throw new IllegalArgumentException("Mark dumps older than must be at least 1 hour, not "
                    + staleAfterHours);
        }
        this.staleAfterHours = staleAfterHours;
        save();
    }

    /** Answers administrators only, as the page it is on. */
    @POST
    public FormValidation doCheckStaleAfterHours(@QueryParameter String value) {
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return FormValidation.ok();
        }
        return staleAfterHours(value);
    }

    static FormValidation staleAfterHours(String value) {
        try {
            if (value != null && Integer.parseInt(value.strip()) >= 1) {
                return FormValidation.ok();
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the error
        }
        return FormValidation.error("A whole number of hours, at least 1 (" + DEFAULT_STALE_AFTER_HOURS
                + " marks a nightly dump that was missed)");
    }
}
