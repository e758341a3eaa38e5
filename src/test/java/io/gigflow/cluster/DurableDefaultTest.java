package io.gigflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * The default install (H2 file database under ./data, demo data) keeps every change it answered
 * 2xx for across a kill -9 of its JVM: four clients create tasks as fast as the node answers,
 * the node is killed in the middle of it, started again on the same folder, and every task it had
 * answered 201 for is there. H2 writes a commit to its file before the commit returns
 * ({@code WRITE_DELAY=0} in the default datasource URL); with its default delay of half a second,
 * the last answered tasks were gone after the restart.
 */
class DurableDefaultTest {

    private static final String DEMO_PASSWORD = "demo";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ClusterNode> nodes = new ArrayList<>();
    private Path folder;

    @AfterEach
    void stopNodesAndRemoveTheFolder() throws Exception {
        for (ClusterNode node : nodes) {
            node.stop();
        }
        if (folder != null) {
            FileSystemUtils.deleteRecursively(folder);
        }
    }

    @Test
    void everyTaskAnswered201IsThereAfterTheDefaultInstallIsKilledAndStartedAgain() throws Exception {
        folder = Files.createTempDirectory("gigflow-default-install");
        ClusterNode first = node("default-install-1");
        Queue<String> answered = new ConcurrentLinkedQueue<>();
        // a person's pace, one task after another, and the kill right after the last answer: the
        // commits of the last moments are what a delayed write loses
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> created = send(first, "POST", "/api/companies/acme/tasks", """
                    {"contractorId":"alice","title":"Crash %d","amount":"1.00","currency":"EUR"}""".formatted(i));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            answered.add(json.readTree(created.body()).get("ref").asText());
            Thread.sleep(40);
        }
        first.kill();
        assertThat(answered).as("tasks answered 201 before the kill").hasSize(12);

        ClusterNode second = node("default-install-2");
        List<String> lost = new ArrayList<>();
        for (String ref : answered) {
            if (send(second, "GET", "/api/tasks/" + ref, null).statusCode() != 200) {
                lost.add(ref);
            }
        }
        assertThat(lost).as("of %d tasks answered 201 before the kill, lost after the restart", answered.size()).isEmpty();
    }

    /** A node of the default profile on the test's folder, once its demo data is there (carol signs in). */
    private ClusterNode node(String name) throws Exception {
        ClusterNode node = new ClusterNode(name, List.of(), folder);
        nodes.add(node);
        node.start();
        node.awaitReady(Duration.ofSeconds(120));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (send(node, "GET", "/api/companies/acme/tasks?limit=1", null).statusCode() != 200) {
            assertThat(System.nanoTime()).as("demo data on " + name + "\n" + node.tail(60)).isLessThan(deadline);
            Thread.sleep(500);
        }
        return node;
    }

    private HttpResponse<String> send(ClusterNode node, String method, String path, String body) throws IOException, InterruptedException {
        String token = Base64.getEncoder().encodeToString(("carol:" + DEMO_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Basic " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
