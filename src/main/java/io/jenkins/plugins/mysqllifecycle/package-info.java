/**
 * The Jenkins side of mysql-lifecycle: the {@code mysqlStart}, {@code mysqlDump}, {@code mysqlRestore} and
 * {@code mysqlStop} steps, the {@code withMysql} block, their freestyle builders and build wrapper, and the calls that
 * carry a spec to the node and a result back. It binds arguments and finds secrets; the work is the engine's.
 */
package io.jenkins.plugins.mysqllifecycle;
