package io.gigflow.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gigflow.identity.Parties;
import io.gigflow.shared.Money;
import io.gigflow.support.ContractCheckedHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DocumentControllerTest {

    private static final String PASSWORD = "secret";

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identityService;

    @Autowired
    DocumentService documents;

    // every exchange held to the API's description
    private final HttpClient http = ContractCheckedHttpClient.of(HttpClient.newHttpClient());
    private final ObjectMapper json = new ObjectMapper();

    private DocumentInfo doc;

    @BeforeEach
    void givenACertificateBetweenAcmeAndAlice() {
        group(Parties.CONTRACTORS_GROUP, "Contractors", "WORKFLOW");
        group("acme", "Acme Ltd", Parties.COMPANY_GROUP_TYPE);
        group("globex", "Globex Corporation", Parties.COMPANY_GROUP_TYPE);
        user("alice", "Alice", "Contractor", Parties.CONTRACTORS_GROUP);
        user("bob", "Bob", "Accountant", "acme");
        user("carol", "Carol", "Contractor", Parties.CONTRACTORS_GROUP);
        user("dave", "Dave", "Buyer", "globex");
        String task = "T-" + UUID.randomUUID().toString().substring(0, 8);
        doc = documents.issue(new DocumentRequest("ACCEPTANCE_CERTIFICATE", "task-payout:" + task,
                "Acceptance certificate", "acme", "Acme Ltd", "alice", "Alice Contractor", "Logo redesign",
                Money.of("120.50", "EUR"), LocalDate.of(2025, 3, 1), List.of()));
    }

    @Test
    void theContractorDownloadsThePdfWithItsSha256() throws Exception {
        // when
        HttpResponse<byte[]> response = get("/api/documents/" + doc.id() + "/content", "alice");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(response.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"" + doc.fileName() + "\"");
        byte[] body = response.body();
        assertThat(new String(body, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("%PDF");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
        assertThat(response.headers().firstValue("X-Content-SHA256")).hasValue(HexFormat.of().formatHex(digest));
        assertThat(response.headers().firstValue("Digest")).hasValue("sha-256=" + Base64.getEncoder().encodeToString(digest));
        assertThat(HexFormat.of().formatHex(digest)).isEqualTo(doc.sha256());
    }

    @Test
    void aMemberOfTheCompanyDownloadsThePdf() throws Exception {
        // when
        HttpResponse<byte[]> response = get("/api/documents/" + doc.id() + "/content", "bob");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(documents.content(doc.id()));
    }

    @Test
    void aPartySeesTheDocumentsMetadata() throws Exception {
        // when
        HttpResponse<byte[]> response = get("/api/documents/" + doc.id(), "alice");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("id").asLong()).isEqualTo(doc.id());
        assertThat(body.get("number").asText()).isEqualTo(doc.number());
        assertThat(body.get("type").asText()).isEqualTo("ACCEPTANCE_CERTIFICATE");
        assertThat(body.get("reference").asText()).isEqualTo(doc.reference());
        assertThat(body.get("title").asText()).isEqualTo("Acceptance certificate");
        assertThat(body.get("fileName").asText()).isEqualTo(doc.fileName());
        assertThat(body.get("sha256").asText()).isEqualTo(doc.sha256());
        assertThat(body.get("sizeBytes").asInt()).isEqualTo(doc.sizeBytes());
        assertThat(body.get("createdAt").asText()).isNotBlank();
    }

    @Test
    void anybodyElseGetsTheSame404AsForADocumentThatDoesNotExist() throws Exception {
        // given
        long unknown = doc.id() + 1_000_000;

        // when
        HttpResponse<byte[]> otherContractor = get("/api/documents/" + doc.id() + "/content", "carol");
        HttpResponse<byte[]> otherCompany = get("/api/documents/" + doc.id(), "dave");
        HttpResponse<byte[]> missing = get("/api/documents/" + unknown + "/content", "alice");

        // then
        assertThat(otherContractor.statusCode()).isEqualTo(404);
        assertThat(json.readTree(otherContractor.body()).get("detail").asText()).isEqualTo("No document " + doc.id());
        assertThat(otherCompany.statusCode()).isEqualTo(404);
        assertThat(json.readTree(otherCompany.body()).get("detail").asText()).isEqualTo("No document " + doc.id());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json.readTree(missing.body()).get("detail").asText()).isEqualTo("No document " + unknown);
    }

    @Test
    void aStrangerAskingOnlyForAPdfGetsThe404Too() throws Exception {
        // when
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri("/api/documents/" + doc.id() + "/content"))
                .header("Authorization", basic("carol", PASSWORD)).header("Accept", "application/pdf").build(),
                HttpResponse.BodyHandlers.ofByteArray());

        // then
        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void aPartyThatHasTheDocumentAlreadyIsToldItIsUnchanged() throws Exception {
        // when
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri("/api/documents/" + doc.id() + "/content"))
                .header("Authorization", basic("alice", PASSWORD)).header("If-None-Match", "\"" + doc.sha256() + "\"").build(),
                HttpResponse.BodyHandlers.ofByteArray());

        // then
        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void withoutCredentialsTheAnswerIs401() throws Exception {
        // when
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri("/api/documents/" + doc.id() + "/content")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        // then
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).doesNotContain("%PDF");
    }

    @Test
    void aWrongPasswordIsAnswered401() throws Exception {
        // given a party of the document who mistypes (not alice: Camunda locks a user out for
        // seconds after a failed attempt, which would fail the other tests)
        user("erin", "Erin", "Clerk", "acme");

        // when
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri("/api/documents/" + doc.id() + "/content"))
                .header("Authorization", basic("erin", "wrong")).build(), HttpResponse.BodyHandlers.ofByteArray());

        // then
        assertThat(response.statusCode()).isEqualTo(401);
    }

    private HttpResponse<byte[]> get(String path, String userId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).header("Authorization", basic(userId, PASSWORD)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String basic(String userId, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((userId + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void group(String id, String name, String type) {
        if (identityService.createGroupQuery().groupId(id).count() == 0) {
            Group group = identityService.newGroup(id);
            group.setName(name);
            group.setType(type);
            identityService.saveGroup(group);
        }
    }

    private void user(String id, String firstName, String lastName, String groupId) {
        if (identityService.createUserQuery().userId(id).count() == 0) {
            User user = identityService.newUser(id);
            user.setFirstName(firstName);
            user.setLastName(lastName);
            user.setEmail(id + "@example.com");
            user.setPassword(PASSWORD);
            identityService.saveUser(user);
            identityService.createMembership(id, groupId);
        }
    }
}
