package io.gigflow.payout;

import io.gigflow.document.DocumentInfo;
import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.Paging;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The task-payout domain API: what a company's and a contractor's front end call. */
@RestController
class TaskController {

    private final TaskPayoutService payouts;
    private final BulkSendService bulkSends;
    private final PayoutSettings settings;
    private final Parties parties;
    private final CurrentUser currentUser;

    TaskController(TaskPayoutService payouts, BulkSendService bulkSends, PayoutSettings settings, Parties parties,
            CurrentUser currentUser) {
        this.payouts = payouts;
        this.bulkSends = bulkSends;
        this.settings = settings;
        this.parties = parties;
        this.currentUser = currentUser;
    }

    record TaskRefs(List<String> taskRefs) {
    }

    record DeclineRequest(String reason) {
    }

    record CompanySettings(Boolean autoPublish) {
    }

    @PostMapping("/api/companies/{companyId}/tasks")
    ResponseEntity<TaskView> create(@PathVariable String companyId, @RequestBody TaskPayoutService.CreateTask request) {
        TaskView task = payouts.create(companyId, request);
        return ResponseEntity.created(URI.create("/api/tasks/" + task.ref())).body(task);
    }

    @GetMapping("/api/companies/{companyId}/tasks")
    List<TaskView> companyTasks(@PathVariable String companyId, @RequestParam(required = false) TaskStatus status,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return payouts.companyTasks(companyId, status, offset, limit);
    }

    @GetMapping("/api/me/tasks")
    List<TaskView> myTasks(@RequestParam(required = false) TaskStatus status,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return payouts.contractorTasks(status, offset, limit);
    }

    @GetMapping("/api/tasks/{ref}")
    TaskView get(@PathVariable String ref) {
        return payouts.get(ref);
    }

    @PutMapping("/api/tasks/{ref}")
    TaskView edit(@PathVariable String ref, @RequestBody TaskPayoutService.EditTask request) {
        return payouts.edit(ref, request);
    }

    @DeleteMapping("/api/tasks/{ref}")
    TaskView delete(@PathVariable String ref) {
        return payouts.delete(ref);
    }

    /** One draft to payment: 200 when sent; 422 when the balance does not cover it; 409 when it is not a draft. */
    @PostMapping("/api/tasks/{ref}/send")
    ResponseEntity<?> send(@PathVariable String ref) {
        SendOutcome outcome = payouts.send(ref);
        return switch (outcome.result()) {
            case SENT -> ResponseEntity.ok(payouts.get(ref));
            case NOT_FOUND -> problem(HttpStatus.NOT_FOUND, "Not found", outcome);
            case INSUFFICIENT_BALANCE -> problem(HttpStatus.UNPROCESSABLE_ENTITY, "Insufficient balance", outcome);
            default -> problem(HttpStatus.CONFLICT, "Conflict", outcome);
        };
    }

    @PostMapping("/api/tasks/{ref}/accept")
    ResponseEntity<TaskView> accept(@PathVariable String ref) {
        return ResponseEntity.accepted().body(payouts.accept(ref));
    }

    @PostMapping("/api/tasks/{ref}/decline")
    ResponseEntity<TaskView> decline(@PathVariable String ref, @RequestBody(required = false) DeclineRequest request) {
        return ResponseEntity.accepted().body(payouts.decline(ref, request == null ? null : request.reason()));
    }

    @PostMapping("/api/tasks/{ref}/cancel")
    ResponseEntity<TaskView> cancel(@PathVariable String ref) {
        return ResponseEntity.accepted().body(payouts.cancel(ref));
    }

    @GetMapping("/api/tasks/{ref}/history")
    List<TaskPayoutService.HistoryEntry> history(@PathVariable String ref) {
        return payouts.history(ref);
    }

    @GetMapping("/api/tasks/{ref}/documents")
    List<DocumentInfo> documents(@PathVariable String ref) {
        return payouts.documents(ref);
    }

    @PostMapping("/api/companies/{companyId}/tasks/amount-preview")
    TaskPayoutService.Preview preview(@PathVariable String companyId, @RequestBody TaskRefs request) {
        return payouts.preview(companyId, request.taskRefs());
    }

    /** Many drafts to payment: 200 with every outcome when done within a few seconds, else 202 to poll. */
    @PostMapping("/api/companies/{companyId}/task-sends")
    ResponseEntity<BulkSendService.BatchView> bulkSend(@PathVariable String companyId, @RequestBody TaskRefs request) {
        BulkSendService.BatchView batch = bulkSends.submit(companyId, request.taskRefs());
        URI location = URI.create("/api/companies/" + companyId + "/task-sends/" + batch.id());
        return batch.finished() ? ResponseEntity.ok().location(location).body(batch)
                : ResponseEntity.accepted().location(location).body(batch);
    }

    @GetMapping("/api/companies/{companyId}/task-sends/{batchId}")
    BulkSendService.BatchView bulkSendStatus(@PathVariable String companyId, @PathVariable long batchId) {
        return bulkSends.get(companyId, batchId);
    }

    @GetMapping("/api/companies/{companyId}/settings")
    CompanySettings settings(@PathVariable String companyId) {
        parties.requireMembership(currentUser.require(), companyId);
        return new CompanySettings(settings.autoPublish(companyId));
    }

    @PutMapping("/api/companies/{companyId}/settings")
    CompanySettings updateSettings(@PathVariable String companyId, @RequestBody CompanySettings request) {
        String user = currentUser.require();
        parties.requireMembership(user, companyId);
        if (request.autoPublish() == null) {
            new FieldErrors().add("autoPublish", "required", "is required, true or false").throwIfAny("Invalid settings");
        }
        settings.setAutoPublish(companyId, request.autoPublish(), user);
        return new CompanySettings(settings.autoPublish(companyId));
    }


    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, SendOutcome outcome) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, outcome.message());
        problem.setTitle(title);
        problem.setProperty("ref", outcome.ref());
        problem.setProperty("outcome", outcome.result().name());
        return ResponseEntity.status(status).body(problem);
    }
}
