package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.*;

import io.gigflow.document.DocumentInfo;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The field-assignment domain API: the client's and the field workers' actions on an assignment. */
@Tag(name = "Field assignments")
@RestController
class FieldAssignmentController {

    private final FieldAssignmentService service;

    FieldAssignmentController(FieldAssignmentService service) {
        this.service = service;
    }

    record Reason(@Nullable String reason) {
    }

    record Question(String question) {
    }

    record Answer(String answer) {
    }

    record Choice(Long applicationId) {
    }

    record Hold(String reason, @Nullable String note) {
    }

    record Schedule(String scheduledStart, String scheduledEnd) {
    }

    record Cancellation(@Nullable String payment, @Nullable String reason) {
    }

    record Message(String body) {
    }

    @Operation(summary = "Publish a field assignment (the company)")
    @ApiResponse(responseCode = "201", description = "Created; Location names it", useReturnTypeSchema = true)
    @PostMapping("/api/companies/{companyId}/field-assignments")
    ResponseEntity<FieldAssignmentView> publish(@PathVariable String companyId, @RequestBody FieldAssignmentService.NewAssignment request) {
        FieldAssignmentView view = service.publish(companyId, request);
        return ResponseEntity.created(URI.create("/api/field-assignments/" + view.ref())).body(view);
    }

    @Operation(summary = "List a company's field assignments")
    @GetMapping("/api/companies/{companyId}/field-assignments")
    List<FieldAssignmentView> ofCompany(@PathVariable String companyId, @RequestParam(required = false) FieldStatus status,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return service.ofCompany(companyId, status, offset, limit);
    }

    @Operation(summary = "List the published assignments (field workers)")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "403", description = "Not a field worker")
    @GetMapping("/api/field-assignments/published")
    List<FieldAssignmentView> published(@RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return service.published(offset, limit);
    }

    @Operation(summary = "List the signed-in field worker's assignments")
    @GetMapping("/api/me/field-assignments")
    List<FieldAssignmentView> mine(@RequestParam(required = false) FieldStatus status, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return service.mine(status, offset, limit);
    }

    @Operation(summary = "Get a field assignment")
    @GetMapping("/api/field-assignments/{ref}")
    FieldAssignmentView get(@PathVariable String ref) {
        return service.get(ref);
    }

    @Operation(summary = "Apply for an assignment (a field worker)")
    @PostMapping("/api/field-assignments/{ref}/applications")
    FieldAssignmentView apply(@PathVariable String ref, @RequestBody(required = false) FieldAssignmentService.Application application) {
        return named(() -> service.apply(ref, application == null ? new FieldAssignmentService.Application(null, null, null, null, null)
                : application), VAR_APPLICATION_KIND, "kind", VAR_APPLICATION_MESSAGE, "message", VAR_PROPOSED_PRICE, "price",
                VAR_PROPOSED_START, "scheduledStart", VAR_PROPOSED_END, "scheduledEnd");
    }

    @Operation(summary = "Ask a question about an assignment (a field worker)")
    @PostMapping("/api/field-assignments/{ref}/questions")
    FieldAssignmentView ask(@PathVariable String ref, @RequestBody Question question) {
        return named(() -> service.ask(ref, question.question()), VAR_APPLICATION_MESSAGE, "question");
    }

    @Operation(summary = "Answer a worker's question (the company)")
    @PostMapping("/api/field-assignments/{ref}/questions/{questionId}/answer")
    FieldAssignmentView answer(@PathVariable String ref, @PathVariable long questionId, @RequestBody Answer answer) {
        return named(() -> service.answer(ref, questionId, answer.answer()), VAR_QUESTION_ANSWER, "answer");
    }

    @Operation(summary = "Choose an application (the company)")
    @PostMapping("/api/field-assignments/{ref}/choose")
    FieldAssignmentView choose(@PathVariable String ref, @RequestBody Choice choice) {
        return named(() -> service.choose(ref, choice.applicationId()), VAR_CHOSEN_APPLICATION_ID, "applicationId");
    }

    @Operation(summary = "Confirm the assignment (the chosen worker)")
    @PostMapping("/api/field-assignments/{ref}/confirm")
    FieldAssignmentView confirm(@PathVariable String ref) {
        return service.confirm(ref);
    }

    @Operation(summary = "Check in on site (the worker)")
    @PostMapping("/api/field-assignments/{ref}/check-in")
    FieldAssignmentView checkIn(@PathVariable String ref) {
        return service.checkIn(ref);
    }

    @Operation(summary = "Check out (the worker)")
    @PostMapping("/api/field-assignments/{ref}/check-out")
    FieldAssignmentView checkOut(@PathVariable String ref) {
        return service.checkOut(ref);
    }

    @Operation(summary = "Post a message between the company and the worker")
    @PostMapping("/api/field-assignments/{ref}/messages")
    FieldAssignmentView message(@PathVariable String ref, @RequestBody Message message) {
        return service.postMessage(ref, message.body());
    }

    @Operation(summary = "Request more time, money or a change (the worker)")
    @PostMapping("/api/field-assignments/{ref}/requests")
    FieldAssignmentView request(@PathVariable String ref, @RequestBody FieldAssignmentService.WorkerRequest request) {
        return named(() -> service.request(ref, request), VAR_REQUEST_KIND, "kind", VAR_REQUEST_AMOUNT, "amount",
                VAR_REQUEST_NEW_START, "scheduledStart", VAR_REQUEST_NEW_END, "scheduledEnd", VAR_REQUEST_REASON, "reason");
    }

    @Operation(summary = "Approve the worker's request (the company)")
    @PostMapping("/api/field-assignments/{ref}/requests/{requestId}/approve")
    FieldAssignmentView approveRequest(@PathVariable String ref, @PathVariable long requestId, @RequestBody(required = false) Reason reason) {
        return named(() -> service.answerRequest(ref, requestId, true, reason == null ? null : reason.reason()),
                VAR_REQUEST_ANSWER_REASON, "reason");
    }

    @Operation(summary = "Decline the worker's request (the company)")
    @PostMapping("/api/field-assignments/{ref}/requests/{requestId}/decline")
    FieldAssignmentView declineRequest(@PathVariable String ref, @PathVariable long requestId, @RequestBody(required = false) Reason reason) {
        return named(() -> service.answerRequest(ref, requestId, false, reason == null ? null : reason.reason()),
                VAR_REQUEST_ANSWER_REASON, "reason");
    }

    @Operation(summary = "Submit the work with a note and files (the worker)")
    @PostMapping("/api/field-assignments/{ref}/submit")
    FieldAssignmentView submit(@PathVariable String ref, @RequestBody(required = false) FieldAssignmentService.Submission submission) {
        return service.submit(ref, submission == null ? new FieldAssignmentService.Submission(null, null) : submission);
    }

    @Operation(summary = "Approve the submitted work (the company)")
    @PostMapping("/api/field-assignments/{ref}/approve")
    FieldAssignmentView approve(@PathVariable String ref) {
        return service.approve(ref);
    }

    @Operation(summary = "Send the submitted work back, with a reason (the company)")
    @PostMapping("/api/field-assignments/{ref}/not-satisfied")
    FieldAssignmentView notSatisfied(@PathVariable String ref, @RequestBody(required = false) Reason reason) {
        return named(() -> service.notSatisfied(ref, reason == null ? null : reason.reason()), VAR_NOT_SATISFIED_REASON, "reason");
    }

    @Operation(summary = "Put the assignment on hold (the company)")
    @PostMapping("/api/field-assignments/{ref}/hold")
    FieldAssignmentView hold(@PathVariable String ref, @RequestBody Hold hold) {
        return named(() -> service.hold(ref, hold.reason(), hold.note()), VAR_HOLD_REASON, "reason", VAR_HOLD_NOTE, "note");
    }

    @Operation(summary = "Take the assignment off hold with a new schedule (the company)")
    @PostMapping("/api/field-assignments/{ref}/remove-hold")
    FieldAssignmentView removeHold(@PathVariable String ref, @RequestBody Schedule schedule) {
        return named(() -> service.removeHold(ref, schedule.scheduledStart(), schedule.scheduledEnd()), VAR_NEW_START, "scheduledStart",
                VAR_NEW_END, "scheduledEnd");
    }

    @Operation(summary = "Accept the new schedule (the worker)")
    @PostMapping("/api/field-assignments/{ref}/reschedule/accept")
    FieldAssignmentView acceptReschedule(@PathVariable String ref) {
        return service.answerReschedule(ref, true);
    }

    /** 204: the worker who declines is removed and no longer sees the assignment. */
    @Operation(summary = "Decline the new schedule (the worker)")
    @ApiResponse(responseCode = "200", description = "Declined: the assignment as it is now", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "204", description = "Declined: the worker is removed from the assignment and no longer sees it")
    @PostMapping("/api/field-assignments/{ref}/reschedule/decline")
    ResponseEntity<FieldAssignmentView> declineReschedule(@PathVariable String ref) {
        FieldAssignmentView view = service.answerReschedule(ref, false);
        return view == null ? ResponseEntity.noContent().build() : ResponseEntity.ok(view);
    }

    @Operation(summary = "Ask for fast funds: be paid at once, for a fee (the worker)")
    @ApiResponse(responseCode = "202", description = "Accepted: the lifecycle goes on in the background; the resource as it is now",
            useReturnTypeSchema = true)
    @PostMapping("/api/field-assignments/{ref}/fast-funds")
    ResponseEntity<FieldAssignmentView> fastFunds(@PathVariable String ref) {
        return ResponseEntity.accepted().body(service.fastFunds(ref));
    }

    @Operation(summary = "Cancel the assignment, with or without payment (the company)")
    @PostMapping("/api/field-assignments/{ref}/cancel")
    FieldAssignmentView cancel(@PathVariable String ref, @RequestBody(required = false) Cancellation cancellation) {
        return named(() -> service.cancel(ref, cancellation == null ? null : cancellation.payment(),
                cancellation == null ? null : cancellation.reason()), VAR_CANCEL_PAYMENT, "payment", VAR_CANCEL_REASON, "reason");
    }

    @Operation(summary = "Download a file of an assignment")
    @ApiResponse(responseCode = "200", description = "The file as it was uploaded",
            content = @Content(mediaType = "*/*", schema = @Schema(type = "string", format = "binary")))
    @GetMapping("/api/field-assignments/{ref}/attachments/{fileId}")
    ResponseEntity<byte[]> attachment(@PathVariable String ref, @PathVariable long fileId) {
        FieldAssignmentService.StoredFile file = service.attachment(ref, fileId);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(file.contentType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(file.fileName()).build().toString())
                .header("X-Content-SHA256", file.sha256())
                .body(file.content());
    }

    @Operation(summary = "A field assignment's documents")
    @GetMapping("/api/field-assignments/{ref}/documents")
    List<DocumentInfo> documents(@PathVariable String ref) {
        return service.documents(ref);
    }

    /**
     * A step whose body the service passes on to the engine as the process's variables: a refusal
     * names each field as this API's body does ({@code reason}, not {@code holdReason}). The engine's
     * own doors (Tasklist, /engine-rest) keep the variables' names.
     */
    private static FieldAssignmentView named(Supplier<FieldAssignmentView> step, String... variableAndField) {
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < variableAndField.length; i += 2) {
            names.put(variableAndField[i], variableAndField[i + 1]);
        }
        return InvalidInputException.namingFields(names, step);
    }
}
