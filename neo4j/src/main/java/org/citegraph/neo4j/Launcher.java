package org.citegraph.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Embedded Neo4j Community DBMS serving Bolt on 127.0.0.1 with auth enabled and HTTP off.
 * Env: NEO4J_HOME_DIR (data/log root, required), NEO4J_PASSWORD (>= 8 chars, required),
 * NEO4J_BOLT_PORT (default 7687), NEO4J_PAGECACHE_MB (default 512).
 * LOAD CSV reads file URLs from NEO4J_HOME_DIR/import only, as a stock Neo4j does: without an
 * import directory the embedded DBMS would read any file the process can (file:///etc/passwd).
 * The password of user 'neo4j' is (re)set from NEO4J_PASSWORD on every start, so the env is the
 * source of truth. It is passed by environment only and never logged.
 */
public final class Launcher {
    public static void main(String[] args) {
        try {
            run();
        } catch (Throwable t) { // Neo4j leaves non-daemon threads behind on a failed start: exit explicitly.
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static void run() throws Exception {
        Path home = Path.of(require("NEO4J_HOME_DIR")).toAbsolutePath();
        String password = require("NEO4J_PASSWORD");
        if (password.codePoints().count() < 8) fail("NEO4J_PASSWORD must be at least 8 characters");
        int port = Integer.parseInt(System.getenv().getOrDefault("NEO4J_BOLT_PORT", "7687"));
        long pageCacheMb = Long.parseLong(System.getenv().getOrDefault("NEO4J_PAGECACHE_MB", "512"));
        SocketAddress bolt = new SocketAddress("127.0.0.1", port);
        Path importDir = Files.createDirectories(home.resolve("import"));

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(System.out))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress("127.0.0.1"))
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // server.directories.import: file:///x.csv is <home>/import/x.csv, nothing outside it
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, importDir)
                .setConfig(GraphDatabaseSettings.allow_file_urls, true)
                // Dev box: don't preallocate 256 MB per transaction log file, keep few of them.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                // Bolt's netty pools otherwise idle 2 x 5 s after the databases are already stopped.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));

        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (QueryExecutionException e) {
            // Neo4j refuses to "change" a password to its current value: nothing to do then.
            if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) throw e;
        }
        System.out.println("citegraph-neo4j: ready on bolt://" + bolt);
        new CountDownLatch(1).await(); // keep running until SIGTERM/SIGINT runs the shutdown hook
    }

    private static String require(String name) {
        String v = System.getenv(name);
        if (v == null || v.isEmpty()) fail(name + " is not set");
        return v;
    }

    private static void fail(String msg) {
        System.err.println("citegraph-neo4j: " + msg);
        System.exit(2);
    }
}
