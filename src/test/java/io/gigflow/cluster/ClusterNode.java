package io.gigflow.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One gigflow application node in a JVM of its own ({@code java -cp ... io.gigflow.GigflowApplication}),
 * its output in {@code target/cluster-logs/<name>.log}. Killed with SIGKILL by {@link #kill()}.
 */
final class ClusterNode {

    private static final Path LOGS = Path.of("target", "cluster-logs");

    final String name;
    final int port;
    private final Path log;
    private final List<String> arguments;
    private final Path directory;
    private Process process;

    ClusterNode(String name, List<String> arguments) {
        this(name, arguments, null);
    }

    /** A node whose working directory is {@code directory} (the default profile keeps its H2 file under ./data there). */
    ClusterNode(String name, List<String> arguments, Path directory) {
        this.name = name;
        this.port = freePort();
        this.log = LOGS.resolve(name + ".log").toAbsolutePath();
        this.arguments = arguments;
        this.directory = directory;
    }

    /** The application's classpath: the test JVM's, without the test classes (their configurations would be scanned). */
    static String applicationClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.replace('\\', '/').endsWith("/test-classes") && !entry.isBlank())
                .collect(Collectors.joining(File.pathSeparator));
    }

    void start() {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx640m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-cp", applicationClasspath(),
                "io.gigflow.GigflowApplication",
                "--server.port=" + port));
        command.addAll(arguments);
        try {
            Files.createDirectories(LOGS);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().put("GIGFLOW_ADMIN_PASSWORD", io.gigflow.support.Fixtures.PASSWORD);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + name, e);
        }
    }

    /** Waits until the node answers HTTP (the engine has started and the start-up tasks have run). */
    void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("node " + name + " exited with " + process.exitValue() + " while starting:\n" + tail(80));
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/engine-rest/engine"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("node " + name + " did not start within " + timeout + ":\n" + tail(80));
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no closing of connections or job executor, as in a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** A graceful stop (SIGTERM), forced after 30 seconds. */
    void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    String tail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log " + log + ")";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "---- " + log + " (last " + Math.min(lines, all.size()) + " of " + all.size() + " lines) ----\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
