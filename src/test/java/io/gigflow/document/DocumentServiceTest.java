package io.gigflow.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gigflow.shared.FaultInjector;
import io.gigflow.shared.Money;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest
@ActiveProfiles("test")
class DocumentServiceTest {

    @Autowired
    DocumentService documents;

    @Autowired
    FaultInjector faultInjector;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    @AfterEach
    void noFaultsLeftOver() {
        faultInjector.reset();
    }

    @Test
    void issuingTheSameDocumentTwiceReturnsTheFirstOneUnchangedAndStoresOneRow() {
        // given
        String task = newTaskId();
        DocumentInfo first = documents.issue(certificate(task, "Logo redesign"));

        // when the step runs again, even with data that changed in between
        DocumentInfo second = documents.issue(certificate(task, "Logo redesign, renamed"));

        // then
        assertThat(second).isEqualTo(first);
        assertThat(rowsFor(task)).isEqualTo(1);
        assertThat(documents.content(first.id())).isEqualTo(documents.content(second.id()));
    }

    @Test
    void storesTheSha256AndSizeOfExactlyTheBytesItHandsOut() throws Exception {
        // given
        String task = newTaskId();

        // when
        DocumentInfo doc = documents.issue(certificate(task, "Logo redesign"));

        // then
        byte[] content = documents.content(doc.id());
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        assertThat(doc.sha256()).isEqualTo(expected).hasSize(64).isLowerCase();
        assertThat(doc.sizeBytes()).isEqualTo(content.length);
        assertThat(new String(content, 0, 5)).isEqualTo("%PDF-");
        assertThat(doc.number()).matches("ACT-\\d{6,}");
        assertThat(doc.fileName()).isEqualTo(doc.number() + ".pdf");
        assertThat(documents.find(doc.id())).contains(doc);
    }

    @Test
    void aFailureWhileRenderingStoresNothingAndTheRetryIssuesTheDocument() {
        // given
        String task = newTaskId();
        faultInjector.failNext(FaultInjector.PDF, 1);

        // when the first attempt fails
        assertThatThrownBy(() -> documents.issue(certificate(task, "Logo redesign")))
                .isInstanceOf(FaultInjector.InjectedFault.class);

        // then nothing is stored, and the retry succeeds
        assertThat(rowsFor(task)).isZero();
        DocumentInfo doc = documents.issue(certificate(task, "Logo redesign"));
        assertThat(documents.forReference("task-payout:" + task)).containsExactly(doc);
    }

    @Test
    void listsEveryDocumentOfAReferenceInTheOrderTheyWereIssued() {
        // given
        String task = newTaskId();
        DocumentInfo certificate = documents.issue(certificate(task, "Logo redesign"));
        DocumentInfo invoice = documents.issue(new DocumentRequest("INVOICE", "task-payout:" + task,
                "Invoice", "acme", "Acme Ltd", "alice", "Alice Contractor", "Logo redesign", Money.of("120.50", "EUR"),
                LocalDate.of(2025, 3, 1), List.of()));

        // when
        List<DocumentInfo> found = documents.forReference("task-payout:" + task);

        // then
        assertThat(found).containsExactly(certificate, invoice);
        assertThat(documents.forReference("task-payout:" + newTaskId())).isEmpty();
    }

    @Test
    void everyTypeNumbersItsDocumentsInASeriesOfItsOwnWhateverTheReferenceSays() {
        // given two pieces of work whose references a user chose to look alike, even like a number
        String task = newTaskId();
        String lookalike = "field-assignment:" + task;
        String numberLike = "task-payout:INV-" + task.substring(2);

        // when each gets its documents
        DocumentInfo certificate = documents.issue(certificate(task, "Logo redesign"));
        DocumentInfo invoice = documents.issue(invoice("task-payout:" + task));
        DocumentInfo secondInvoice = documents.issue(invoice(lookalike));
        DocumentInfo thirdInvoice = documents.issue(invoice(numberLike));

        // then the numbers come from the type's series, increasing, and say nothing of the reference
        assertThat(certificate.number()).matches("ACT-\\d{6,}");
        assertThat(List.of(invoice, secondInvoice, thirdInvoice)).extracting(DocumentInfo::number)
                .allMatch(number -> number.matches("INV-\\d{6,}") && !number.contains(task))
                .doesNotHaveDuplicates();
        assertThat(serial(secondInvoice)).isGreaterThan(serial(invoice));
        assertThat(serial(thirdInvoice)).isGreaterThan(serial(secondInvoice));
    }

    @Test
    void aNumberIssuedBeforeTheSeriesExistedNeverMeetsOneOfTheSeries() {
        // given a document numbered the old way, from its reference
        String task = newTaskId();
        jdbc.sql("""
                insert into document (number, doc_type, reference, title, file_name, content, sha256, size_bytes,
                                      company_id, party_user_id, created_at)
                values (?, 'INVOICE', ?, 'Invoice', 'x.pdf', ?, ?, 1, 'acme', 'alice', current_timestamp)""")
                .param("INV-" + task).param("task-payout:old-" + task).param(new byte[] {1}).param("0".repeat(64)).update();

        // when a new one is issued
        DocumentInfo issued = documents.issue(invoice("task-payout:" + task));

        // then it has a number of its own
        assertThat(issued.number()).isNotEqualTo("INV-" + task).matches("INV-\\d{6,}");
    }

    @Test
    void aRequestForATypeWithoutANumberSeriesIsRefused() {
        assertThatThrownBy(() -> new DocumentRequest("RECEIPT", "task-payout:T-1", "Receipt", "acme", "Acme Ltd", "alice",
                "Alice", "x", Money.of("1.00", "EUR"), LocalDate.of(2025, 3, 1), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RECEIPT");
    }

    @Test
    void aDocumentIssuedByATransactionThatCommitsMeanwhileIsReturnedInsteadOfASecondOne() throws Exception {
        // given a transaction that has issued the document but not committed yet
        String task = newTaskId();
        CountDownLatch issued = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        CompletableFuture<DocumentInfo> first = CompletableFuture.supplyAsync(() -> transaction.execute(status -> {
            DocumentInfo doc = documents.issue(certificate(task, "Logo redesign"));
            issued.countDown();
            await(commit);
            return doc;
        }));
        assertThat(issued.await(30, TimeUnit.SECONDS)).isTrue();

        // when a second transaction issues it too, and the first commits while it does
        CompletableFuture<DocumentInfo> second = CompletableFuture.supplyAsync(() -> documents.issue(certificate(task, "Logo redesign")));
        Thread.sleep(500);
        commit.countDown();

        // then both get the same document, stored once
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(first.get(30, TimeUnit.SECONDS));
        assertThat(rowsFor(task)).isEqualTo(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private long rowsFor(String task) {
        return jdbc.sql("select count(*) from document where reference = ?").param("task-payout:" + task)
                .query(Long.class).single();
    }

    private static String newTaskId() {
        return "T-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static long serial(DocumentInfo doc) {
        return Long.parseLong(doc.number().substring(doc.number().indexOf('-') + 1));
    }

    private static DocumentRequest invoice(String reference) {
        return new DocumentRequest("INVOICE", reference, "Invoice", "acme", "Acme Ltd", "alice", "Alice Contractor",
                "Logo redesign", Money.of("120.50", "EUR"), LocalDate.of(2025, 3, 1), List.of());
    }

    private static DocumentRequest certificate(String task, String subject) {
        return new DocumentRequest("ACCEPTANCE_CERTIFICATE", "task-payout:" + task, "Acceptance certificate",
                "acme", "Acme Ltd", "alice", "Alice Contractor", subject, Money.of("120.50", "EUR"),
                LocalDate.of(2025, 3, 1), List.of("Accepted by the contractor"));
    }
}
