package io.gigflow.milestone;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The contractor-milestone domain API: what a company's and a contractor's front end call, and Pay Contractor. */
@Tag(name = "Contractor milestones")
@RestController
class MilestoneController {

    private final ContractorMilestoneService milestones;
    private final MilestonePaymentService payments;
    private final MilestoneSettings settings;
    private final Parties parties;
    private final CurrentUser currentUser;

    MilestoneController(ContractorMilestoneService milestones, MilestonePaymentService payments, MilestoneSettings settings,
            Parties parties, CurrentUser currentUser) {
        this.milestones = milestones;
        this.payments = payments;
        this.settings = settings;
        this.parties = parties;
        this.currentUser = currentUser;
    }

    record CompleteRequest(String note, @Nullable FileInput.FileRequest deliverable) {
    }

    record RejectRequest(String reason) {
    }

    record PayRequest(List<Long> paymentIds) {
    }

    record Settings(Integer autoApproveAfterDays) {
    }

    @Operation(summary = "Create a milestone for a contractor (the company)")
    @ApiResponse(responseCode = "201", description = "Created; Location names it", useReturnTypeSchema = true)
    @PostMapping("/api/companies/{companyId}/contractors/{contractorId}/milestones")
    ResponseEntity<MilestoneView> create(@PathVariable String companyId, @PathVariable String contractorId,
            @RequestBody ContractorMilestoneService.CreateMilestone request) {
        MilestoneView milestone = milestones.create(companyId, contractorId, request);
        return ResponseEntity.created(URI.create("/api/milestones/" + milestone.ref())).body(milestone);
    }

    @Operation(summary = "A contractor's milestones with the company, grouped")
    @GetMapping("/api/companies/{companyId}/contractors/{contractorId}/milestones")
    MilestoneView.Grouped contractorMilestones(@PathVariable String companyId, @PathVariable String contractorId) {
        return milestones.contractorMilestones(companyId, contractorId);
    }

    @Operation(summary = "List a company's milestones")
    @GetMapping("/api/companies/{companyId}/milestones")
    List<MilestoneView> companyMilestones(@PathVariable String companyId, @RequestParam(required = false) MilestoneStatus status,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return milestones.companyMilestones(companyId, status, offset, limit);
    }

    @Operation(summary = "The signed-in contractor's milestones, grouped")
    @GetMapping("/api/me/milestones")
    MilestoneView.Grouped myMilestones(@RequestParam(required = false) String companyId) {
        return milestones.myMilestones(companyId);
    }

    @Operation(summary = "Get a milestone")
    @GetMapping("/api/milestones/{ref}")
    MilestoneView get(@PathVariable String ref) {
        return milestones.get(ref);
    }

    @Operation(summary = "Edit a milestone (the company)")
    @PutMapping("/api/milestones/{ref}")
    MilestoneView edit(@PathVariable String ref, @RequestBody ContractorMilestoneService.EditMilestone request) {
        return milestones.edit(ref, request);
    }

    @Operation(summary = "Delete a milestone (the company)")
    @DeleteMapping("/api/milestones/{ref}")
    MilestoneView delete(@PathVariable String ref) {
        return milestones.delete(ref);
    }

    @Operation(summary = "Remove a milestone's attachment (the company)")
    @DeleteMapping("/api/milestones/{ref}/attachment")
    MilestoneView removeAttachment(@PathVariable String ref) {
        return milestones.removeAttachment(ref);
    }

    @Operation(summary = "Complete a milestone with a note and a deliverable (the contractor)")
    @PostMapping("/api/milestones/{ref}/complete")
    MilestoneView complete(@PathVariable String ref, @RequestBody CompleteRequest request) {
        return milestones.complete(ref, request.note(), request.deliverable());
    }

    @Operation(summary = "Approve a completed milestone (the company)")
    @PostMapping("/api/milestones/{ref}/approve")
    MilestoneView approve(@PathVariable String ref) {
        return milestones.approve(ref);
    }

    @Operation(summary = "Reject a completed milestone with a reason (the company)")
    @PostMapping("/api/milestones/{ref}/reject")
    MilestoneView reject(@PathVariable String ref, @RequestBody(required = false) RejectRequest request) {
        return milestones.reject(ref, request == null ? null : request.reason());
    }

    @Operation(summary = "A milestone's history")
    @GetMapping("/api/milestones/{ref}/history")
    List<ContractorMilestoneService.HistoryEntry> history(@PathVariable String ref) {
        return milestones.history(ref);
    }

    /** The attachment or a deliverable, for the two parties only; never rendered inline by a browser. */
    @Operation(summary = "Download a milestone's attachment or deliverable")
    @ApiResponse(responseCode = "200", description = "The file as it was uploaded",
            content = @Content(mediaType = "*/*", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "304", description = "Not modified: the copy the caller holds (If-None-Match) is this file")
    @GetMapping("/api/milestones/{ref}/files/{fileId}")
    ResponseEntity<byte[]> file(@PathVariable String ref, @PathVariable long fileId) {
        ContractorMilestoneService.Download download = milestones.file(ref, fileId);
        MilestoneFile file = download.file();
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(file.contentType()))
                .contentLength(download.content().length)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(file.fileName(), StandardCharsets.UTF_8).build().toString())
                .header("X-Content-SHA256", file.sha256())
                .header("X-Content-Type-Options", "nosniff")
                .cacheControl(CacheControl.noCache().cachePrivate())
                .eTag(file.sha256())
                .body(download.content());
    }

    @Operation(summary = "List a company's milestone payments")
    @GetMapping("/api/companies/{companyId}/milestone-payments")
    List<PaymentView> companyPayments(@PathVariable String companyId, @RequestParam(required = false) PaymentStatus status,
            @RequestParam(required = false) String contractorId, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return payments.companyPayments(companyId, status, contractorId, offset, limit);
    }

    /** Pay Contractor: each selected payment is paid in its own transaction; 200 with every payment's outcome. */
    @Operation(summary = "Pay Contractor: pay the selected milestone payments, each on its own")
    @PostMapping("/api/companies/{companyId}/milestone-payments/pay")
    MilestonePaymentService.PayResult pay(@PathVariable String companyId, @RequestBody PayRequest request) {
        return payments.pay(companyId, request.paymentIds());
    }

    @Operation(summary = "List the signed-in contractor's milestone payments")
    @GetMapping("/api/me/milestone-payments")
    List<PaymentView> myPayments(@RequestParam(required = false) PaymentStatus status,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return payments.myPayments(status, offset, limit);
    }

    @Operation(summary = "A company's milestone settings")
    @GetMapping("/api/companies/{companyId}/milestone-settings")
    Settings settings(@PathVariable String companyId) {
        parties.requireMembership(currentUser.require(), companyId);
        return new Settings(settings.autoApproveAfterDays(companyId));
    }

    @Operation(summary = "Change a company's milestone settings")
    @PutMapping("/api/companies/{companyId}/milestone-settings")
    Settings updateSettings(@PathVariable String companyId, @RequestBody Settings request) {
        String user = currentUser.require();
        parties.requireMembership(user, companyId);
        FieldErrors errors = new FieldErrors();
        Integer days = MilestoneInput.autoApproveAfterDays(errors, request.autoApproveAfterDays());
        if (request.autoApproveAfterDays() == null) {
            errors.add(ContractorMilestoneProcess.VAR_AUTO_APPROVE_AFTER_DAYS, "required",
                    "is required, 0 (never) to " + MilestoneInput.AUTO_APPROVE_MAX_DAYS + " days");
        }
        errors.throwIfAny("Invalid settings");
        settings.setAutoApproveAfterDays(companyId, days, user);
        return new Settings(settings.autoApproveAfterDays(companyId));
    }

}
