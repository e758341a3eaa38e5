package io.gigflow.document;

import io.gigflow.shared.Money;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

/**
 * Prints the CPU time one closing document costs to render (the thread's own CPU time, so a
 * busy shared machine does not inflate it). Asserts nothing.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.gigflow.document.PdfRenderingBenchmark</pre>
 */
public final class PdfRenderingBenchmark {

    private PdfRenderingBenchmark() {
    }

    public static void main(String[] args) {
        PdfRenderer renderer = new PdfRenderer();
        DocumentRequest request = new DocumentRequest("INVOICE", "task-payout:T-1", "Invoice", "acme", "Acme Ltd",
                "alice", "Alice Tester", "Logo for the shop", new Money(new BigDecimal("40.00"), Currency.getInstance("EUR")),
                LocalDate.of(2026, 11, 21), List.of("Issued on behalf of Alice Tester to Acme Ltd. Paid in full.", "Reference task-payout:T-1"));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 300; i++) { // warm-up
            renderer.render(request, "INV-000001", OffsetDateTime.now());
        }
        int documents = 1000;
        long cpu = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < documents; i++) {
            renderer.render(request, "INV-000001", OffsetDateTime.now());
        }
        double perDocument = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / documents;
        System.out.printf(Locale.ROOT, "PDF rendering: %.2f ms CPU a document (%d documents)%n", perDocument, documents);
    }
}
