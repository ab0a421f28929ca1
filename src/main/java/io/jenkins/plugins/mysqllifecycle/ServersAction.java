package io.jenkins.plugins.mysqllifecycle;

import hudson.model.Run;
import jenkins.model.RunAction2;

import java.util.ArrayList;
import java.util.List;

/** The MySQL servers a build started, shown on the build page (summary.jelly) and stopped when the build ends. */
public final class ServersAction implements RunAction2 {
    private final List<ServerRecord> servers = new ArrayList<>();

    /** The build's action, added on first use; parallel branches of one build share it. */
    static ServersAction of(Run<?, ?> run) {
        synchronized (run) {
            ServersAction action = run.getAction(ServersAction.class);
            if (action == null) {
                action = new ServersAction();
                run.addAction(action);
            }
            return action;
        }
    }

    synchronized void add(ServerRecord server) {
        servers.add(server);
    }

    public synchronized List<ServerRecord> getServers() {
        return new ArrayList<>(servers);
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return "MySQL servers";
    }

    @Override
    public String getUrlName() {
        return null;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        // nothing to remember: the records carry all they need
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        // as above
    }
}
