package io.gigflow.document;

import io.gigflow.identity.Parties;
import io.gigflow.shared.FaultInjector;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.Sequences;
import io.gigflow.shared.TimeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issues closing documents and hands them out. A document is rendered once for its
 * (reference, type) and never again: a retried step gets the stored one back, so the
 * SHA-256 a party was given stays true.
 */
@Service
public class DocumentService {

    private static final String COLUMNS = "id, number, doc_type, reference, title, file_name, sha256, size_bytes, "
            + "company_id, party_user_id, created_at";

    private final JdbcClient jdbc;
    private final FaultInjector faultInjector;
    private final TimeSource time;
    private final Parties parties;
    private final TransactionTemplate savepoint;
    private final DocumentNumbers numbers;
    private final PdfRenderer renderer = new PdfRenderer();

    public DocumentService(JdbcClient jdbc, FaultInjector faultInjector, TimeSource time, Parties parties,
            PlatformTransactionManager transactionManager, Sequences sequences) {
        this.jdbc = jdbc;
        this.numbers = new DocumentNumbers(sequences);
        this.faultInjector = faultInjector;
        this.time = time;
        this.parties = parties;
        // on PostgreSQL a failed insert aborts the whole transaction; a savepoint keeps the caller's alive
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * The document for the request's (reference, type): the one already issued, unchanged,
     * or a new one rendered now with the next number of its type's series. If another
     * transaction issues the same document at the
     * same moment, its document is returned once committed; if it is not visible yet the
     * unique-constraint violation is rethrown, and the step retries.
     */
    @Transactional
    public DocumentInfo issue(DocumentRequest request) {
        Optional<DocumentInfo> existing = find(request.reference(), request.type());
        if (existing.isPresent()) {
            return existing.get();
        }
        faultInjector.check(FaultInjector.PDF);
        OffsetDateTime now = time.now();
        String number = numbers.next(request.type());
        byte[] pdf = renderer.render(request, number, now);
        try {
            savepoint.executeWithoutResult(status -> insert(request, number, pdf, now));
        } catch (DuplicateKeyException e) {
            return find(request.reference(), request.type()).orElseThrow(() -> e);
        }
        return find(request.reference(), request.type())
                .orElseThrow(() -> new IllegalStateException("document " + number + " vanished after insert"));
    }

    @Transactional(readOnly = true)
    public List<DocumentInfo> forReference(String reference) {
        return jdbc.sql("select " + COLUMNS + " from document where reference = ? order by id")
                .param(reference).query(DocumentService::info).list();
    }

    @Transactional(readOnly = true)
    public Optional<DocumentInfo> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from document where id = ?").param(id).query(DocumentService::info).optional();
    }

    /** The PDF exactly as issued. */
    @Transactional(readOnly = true)
    public byte[] content(long id) {
        return jdbc.sql("select content from document where id = ?").param(id)
                .query((rs, row) -> rs.getBytes(1)).optional()
                .orElseThrow(() -> new NotFoundException("No document " + id));
    }

    /** The parties of a document: its contractor and every member of its company. */
    public boolean mayRead(DocumentInfo doc, String userId) {
        return userId != null && (userId.equals(doc.partyUserId()) || parties.isCompanyMember(userId, doc.companyId()));
    }

    private Optional<DocumentInfo> find(String reference, String type) {
        return jdbc.sql("select " + COLUMNS + " from document where reference = ? and doc_type = ?")
                .param(reference).param(type).query(DocumentService::info).optional();
    }

    private void insert(DocumentRequest request, String number, byte[] pdf, OffsetDateTime now) {
        jdbc.sql("""
                insert into document (number, doc_type, reference, title, file_name, content, sha256, size_bytes,
                                      company_id, party_user_id, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .param(number).param(request.type()).param(request.reference()).param(request.title())
                .param(fileName(number)).param(pdf).param(sha256(pdf)).param(pdf.length)
                .param(request.companyId()).param(request.partyUserId()).param(now)
                .update();
    }

    /** A file name that survives every browser and file system: the number, ASCII only. */
    static String fileName(String number) {
        return number.replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf";
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static DocumentInfo info(ResultSet rs, int row) throws SQLException {
        return new DocumentInfo(rs.getLong("id"), rs.getString("number"), rs.getString("doc_type"),
                rs.getString("reference"), rs.getString("title"), rs.getString("file_name"),
                rs.getString("sha256").strip(), rs.getInt("size_bytes"), rs.getString("company_id"),
                rs.getString("party_user_id"),
                rs.getObject("created_at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC));
    }
}
