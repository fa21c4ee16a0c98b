// SPDX-License-Identifier: GPL-3.0-or-later
package kgraph.neo4j;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Runs a throw-away Neo4j Community DBMS for development and CI: Bolt only, on
 * 127.0.0.1, without authentication unless -Dkgraph.neo4j.auth=true (used to test
 * how clients report a wrong password). Usage: Launcher HOME_DIR [PORT]
 * (PORT defaults to $KGRAPH_NEO4J_PORT, then 7687).
 */
public final class Launcher {
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: Launcher HOME_DIR [PORT]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        String envPort = System.getenv("KGRAPH_NEO4J_PORT");
        int port = Integer.parseInt(args.length > 1 ? args[1]
                : envPort != null && !envPort.isBlank() ? envPort.trim() : "7687");
        boolean auth = Boolean.parseBoolean(System.getProperty("kgraph.neo4j.auth", "false"));
        long pageCacheMb = Long.parseLong(System.getProperty("kgraph.neo4j.pagecache.mb", "512"));

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                // Sized for a small shared machine; the heap is set with -Xmx by the caller.
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                // The data is disposable: don't reserve 256 MiB per transaction log file.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .build();

        // SIGTERM/SIGINT run this hook, which checkpoints and closes the stores cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));
        System.out.println("neo4j: started, bolt://127.0.0.1:" + port + " home=" + home);
        new CountDownLatch(1).await(); // keep running until the process is signalled
    }
}
