package io.gigflow.milestone;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.Paging;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The contractor-milestone domain API: what a company's and a contractor's front end call, and Pay Contractor. */
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

    record CompleteRequest(String note, FileInput.FileRequest deliverable) {
    }

    record RejectRequest(String reason) {
    }

    record PayRequest(List<Long> paymentIds) {
    }

    record Settings(Integer autoApproveAfterDays) {
    }

    @PostMapping("/api/companies/{companyId}/contractors/{contractorId}/milestones")
    ResponseEntity<MilestoneView> create(@PathVariable String companyId, @PathVariable String contractorId,
            @RequestBody ContractorMilestoneService.CreateMilestone request) {
        MilestoneView milestone = milestones.create(companyId, contractorId, request);
        return ResponseEntity.created(URI.create("/api/milestones/" + milestone.ref())).body(milestone);
    }

    @GetMapping("/api/companies/{companyId}/contractors/{contractorId}/milestones")
    MilestoneView.Grouped contractorMilestones(@PathVariable String companyId, @PathVariable String contractorId) {
        return milestones.contractorMilestones(companyId, contractorId);
    }

    @GetMapping("/api/companies/{companyId}/milestones")
    List<MilestoneView> companyMilestones(@PathVariable String companyId, @RequestParam(required = false) MilestoneStatus status,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return milestones.companyMilestones(companyId, status, offset, limit);
    }

    @GetMapping("/api/me/milestones")
    MilestoneView.Grouped myMilestones(@RequestParam(required = false) String companyId) {
        return milestones.myMilestones(companyId);
    }

    @GetMapping("/api/milestones/{ref}")
    MilestoneView get(@PathVariable String ref) {
        return milestones.get(ref);
    }

    @PutMapping("/api/milestones/{ref}")
    MilestoneView edit(@PathVariable String ref, @RequestBody ContractorMilestoneService.EditMilestone request) {
        return milestones.edit(ref, request);
    }

    @DeleteMapping("/api/milestones/{ref}")
    MilestoneView delete(@PathVariable String ref) {
        return milestones.delete(ref);
    }

    @DeleteMapping("/api/milestones/{ref}/attachment")
    MilestoneView removeAttachment(@PathVariable String ref) {
        return milestones.removeAttachment(ref);
    }

    @PostMapping("/api/milestones/{ref}/complete")
    MilestoneView complete(@PathVariable String ref, @RequestBody CompleteRequest request) {
        return milestones.complete(ref, request.note(), request.deliverable());
    }

    @PostMapping("/api/milestones/{ref}/approve")
    MilestoneView approve(@PathVariable String ref) {
        return milestones.approve(ref);
    }

    @PostMapping("/api/milestones/{ref}/reject")
    MilestoneView reject(@PathVariable String ref, @RequestBody(required = false) RejectRequest request) {
        return milestones.reject(ref, request == null ? null : request.reason());
    }

    @GetMapping("/api/milestones/{ref}/history")
    List<ContractorMilestoneService.HistoryEntry> history(@PathVariable String ref) {
        return milestones.history(ref);
    }

    /** The attachment or a deliverable, for the two parties only; never rendered inline by a browser. */
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

    @GetMapping("/api/companies/{companyId}/milestone-payments")
    List<PaymentView> companyPayments(@PathVariable String companyId, @RequestParam(required = false) PaymentStatus status,
            @RequestParam(required = false) String contractorId, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return payments.companyPayments(companyId, status, contractorId, offset, limit);
    }

    /** Pay Contractor: each selected payment is paid in its own transaction; 200 with every payment's outcome. */
    @PostMapping("/api/companies/{companyId}/milestone-payments/pay")
    MilestonePaymentService.PayResult pay(@PathVariable String companyId, @RequestBody PayRequest request) {
        return payments.pay(companyId, request.paymentIds());
    }

    @GetMapping("/api/me/milestone-payments")
    List<PaymentView> myPayments(@RequestParam(required = false) PaymentStatus status,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return payments.myPayments(status, offset, limit);
    }

    @GetMapping("/api/companies/{companyId}/milestone-settings")
    Settings settings(@PathVariable String companyId) {
        parties.requireMembership(currentUser.require(), companyId);
        return new Settings(settings.autoApproveAfterDays(companyId));
    }

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
