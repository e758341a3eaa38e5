package io.gigflow.payout;

import io.gigflow.document.DocumentInfo;
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
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
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

/** The task-payout domain API: what a company's and a contractor's front end call. */
@Tag(name = "Task payouts")
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

    record DeclineRequest(@Nullable String reason) {
    }

    record CompanySettings(Boolean autoPublish) {
    }

    @Operation(summary = "Create a task payout (a draft, or published at once when the company publishes automatically)")
    @ApiResponse(responseCode = "201", description = "Created; Location names it", useReturnTypeSchema = true)
    @PostMapping("/api/companies/{companyId}/tasks")
    ResponseEntity<TaskView> create(@PathVariable String companyId, @RequestBody TaskPayoutService.CreateTask request) {
        TaskView task = payouts.create(companyId, request);
        return ResponseEntity.created(URI.create("/api/tasks/" + task.ref())).body(task);
    }

    @Operation(summary = "List a company's task payouts")
    @GetMapping("/api/companies/{companyId}/tasks")
    List<TaskView> companyTasks(@PathVariable String companyId, @RequestParam(required = false) TaskStatus status,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return payouts.companyTasks(companyId, status, offset, limit);
    }

    @Operation(summary = "List the signed-in contractor's task payouts")
    @GetMapping("/api/me/tasks")
    List<TaskView> myTasks(@RequestParam(required = false) TaskStatus status,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return payouts.contractorTasks(status, offset, limit);
    }

    @Operation(summary = "Get a task payout")
    @GetMapping("/api/tasks/{ref}")
    TaskView get(@PathVariable String ref) {
        return payouts.get(ref);
    }

    @Operation(summary = "Edit a draft task payout")
    @PutMapping("/api/tasks/{ref}")
    TaskView edit(@PathVariable String ref, @RequestBody TaskPayoutService.EditTask request) {
        return payouts.edit(ref, request);
    }

    @Operation(summary = "Delete a draft task payout")
    @DeleteMapping("/api/tasks/{ref}")
    TaskView delete(@PathVariable String ref) {
        return payouts.delete(ref);
    }

    /** One draft to payment: 200 when sent; 422 when the balance does not cover it; 409 when it is not a draft. */
    @Operation(summary = "Send one draft to payment")
    @ApiResponse(responseCode = "200", description = "Sent: the task as it is now",
            content = @Content(schema = @Schema(implementation = TaskView.class)))
    @ApiResponse(responseCode = "404", description = "No such task, or not one of your company's (ref and outcome name it)")
    @ApiResponse(responseCode = "409", description = "The task is not a draft (any more) (ref and outcome name it)")
    @ApiResponse(responseCode = "422", description = "The company's balance does not cover the amount (ref and outcome name it)")
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

    @Operation(summary = "Accept a task payout (the contractor)")
    @ApiResponse(responseCode = "202", description = "Accepted: the lifecycle goes on in the background; the resource as it is now",
            useReturnTypeSchema = true)
    @PostMapping("/api/tasks/{ref}/accept")
    ResponseEntity<TaskView> accept(@PathVariable String ref) {
        return ResponseEntity.accepted().body(payouts.accept(ref));
    }

    @Operation(summary = "Decline a task payout (the contractor), with a reason")
    @ApiResponse(responseCode = "202", description = "Accepted: the lifecycle goes on in the background; the resource as it is now",
            useReturnTypeSchema = true)
    @PostMapping("/api/tasks/{ref}/decline")
    ResponseEntity<TaskView> decline(@PathVariable String ref, @RequestBody(required = false) DeclineRequest request) {
        return ResponseEntity.accepted().body(payouts.decline(ref, request == null ? null : request.reason()));
    }

    @Operation(summary = "Cancel a task payout (the company)")
    @ApiResponse(responseCode = "202", description = "Accepted: the lifecycle goes on in the background; the resource as it is now",
            useReturnTypeSchema = true)
    @PostMapping("/api/tasks/{ref}/cancel")
    ResponseEntity<TaskView> cancel(@PathVariable String ref) {
        return ResponseEntity.accepted().body(payouts.cancel(ref));
    }

    @Operation(summary = "A task payout's history")
    @GetMapping("/api/tasks/{ref}/history")
    List<TaskPayoutService.HistoryEntry> history(@PathVariable String ref) {
        return payouts.history(ref);
    }

    @Operation(summary = "A task payout's documents")
    @GetMapping("/api/tasks/{ref}/documents")
    List<DocumentInfo> documents(@PathVariable String ref) {
        return payouts.documents(ref);
    }

    @Operation(summary = "Preview the amounts of sending some drafts (totals, fees, balance after)")
    @PostMapping("/api/companies/{companyId}/tasks/amount-preview")
    TaskPayoutService.Preview preview(@PathVariable String companyId, @RequestBody TaskRefs request) {
        return payouts.preview(companyId, request.taskRefs());
    }

    /** Many drafts to payment: 200 with every outcome when done within a few seconds, else 202 to poll. */
    @Operation(summary = "Send many drafts to payment")
    @ApiResponse(responseCode = "200", description = "Done within a few seconds: every task's outcome", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "202", description = "Still running: poll the Location", useReturnTypeSchema = true)
    @PostMapping("/api/companies/{companyId}/task-sends")
    ResponseEntity<BulkSendService.BatchView> bulkSend(@PathVariable String companyId, @RequestBody TaskRefs request) {
        BulkSendService.BatchView batch = bulkSends.submit(companyId, request.taskRefs());
        URI location = URI.create("/api/companies/" + companyId + "/task-sends/" + batch.id());
        return batch.finished() ? ResponseEntity.ok().location(location).body(batch)
                : ResponseEntity.accepted().location(location).body(batch);
    }

    @Operation(summary = "Follow a bulk send")
    @GetMapping("/api/companies/{companyId}/task-sends/{batchId}")
    BulkSendService.BatchView bulkSendStatus(@PathVariable String companyId, @PathVariable long batchId) {
        return bulkSends.get(companyId, batchId);
    }

    @Operation(summary = "A company's task-payout settings")
    @GetMapping("/api/companies/{companyId}/settings")
    CompanySettings settings(@PathVariable String companyId) {
        parties.requireMembership(currentUser.require(), companyId);
        return new CompanySettings(settings.autoPublish(companyId));
    }

    @Operation(summary = "Change a company's task-payout settings")
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
