package io.gigflow.document;

import io.gigflow.identity.CurrentUser;
import io.gigflow.shared.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Documents for their parties. Anybody else gets the same 404 as for an id that does not
 * exist, so ids cannot be probed for which documents exist.
 */
@Tag(name = "Documents")
@RestController
@RequestMapping("/api/documents")
class DocumentController {

    private final DocumentService documents;
    private final CurrentUser currentUser;

    DocumentController(DocumentService documents, CurrentUser currentUser) {
        this.documents = documents;
        this.currentUser = currentUser;
    }

    record DocumentView(long id, String number, String type, String reference, String title, String fileName,
            String sha256, int sizeBytes, OffsetDateTime createdAt) {

        static DocumentView of(DocumentInfo doc) {
            return new DocumentView(doc.id(), doc.number(), doc.type(), doc.reference(), doc.title(), doc.fileName(),
                    doc.sha256(), doc.sizeBytes(), doc.createdAt());
        }
    }

    @Operation(summary = "A document's metadata")
    @GetMapping("/{id}")
    DocumentView metadata(@PathVariable long id) {
        return DocumentView.of(readable(id));
    }

    @Operation(summary = "Download a document (PDF)")
    @ApiResponse(responseCode = "200", description = "The PDF, with its SHA-256 in Digest and X-Content-SHA256",
            content = @Content(mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "304", description = "Not modified: the copy the caller holds (If-None-Match) is this document")
    @GetMapping("/{id}/content")
    ResponseEntity<byte[]> content(@PathVariable long id) {
        DocumentInfo doc = readable(id);
        byte[] pdf = documents.content(id);
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .contentLength(pdf.length)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(doc.fileName()).build().toString())
                .header("Digest", "sha-256=" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(doc.sha256())))
                .header("X-Content-SHA256", doc.sha256())
                // a document never changes, but only its parties may hold a copy
                .cacheControl(CacheControl.noCache().cachePrivate())
                .eTag(doc.sha256())
                .body(pdf);
    }

    private DocumentInfo readable(long id) {
        String userId = currentUser.require();
        return documents.find(id).filter(doc -> documents.mayRead(doc, userId))
                .orElseThrow(() -> new NotFoundException("No document " + id));
    }
}
