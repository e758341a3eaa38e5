package io.gigflow.field;

import io.gigflow.document.DocumentInfo;
import io.gigflow.shared.Paging;
import java.net.URI;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The field-assignment domain API: the client's and the field workers' actions on an assignment. */
@RestController
class FieldAssignmentController {

    private final FieldAssignmentService service;

    FieldAssignmentController(FieldAssignmentService service) {
        this.service = service;
    }

    record Reason(String reason) {
    }

    record Question(String question) {
    }

    record Answer(String answer) {
    }

    record Choice(Long applicationId) {
    }

    record Hold(String reason, String note) {
    }

    record Schedule(String scheduledStart, String scheduledEnd) {
    }

    record Cancellation(String payment, String reason) {
    }

    record Message(String body) {
    }

    @PostMapping("/api/companies/{companyId}/field-assignments")
    ResponseEntity<FieldAssignmentView> publish(@PathVariable String companyId, @RequestBody FieldAssignmentService.NewAssignment request) {
        FieldAssignmentView view = service.publish(companyId, request);
        return ResponseEntity.created(URI.create("/api/field-assignments/" + view.ref())).body(view);
    }

    @GetMapping("/api/companies/{companyId}/field-assignments")
    List<FieldAssignmentView> ofCompany(@PathVariable String companyId, @RequestParam(required = false) FieldStatus status,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return service.ofCompany(companyId, status, offset, limit);
    }

    @GetMapping("/api/field-assignments/published")
    List<FieldAssignmentView> published(@RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return service.published(offset, limit);
    }

    @GetMapping("/api/me/field-assignments")
    List<FieldAssignmentView> mine(@RequestParam(required = false) FieldStatus status, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return service.mine(status, offset, limit);
    }

    @GetMapping("/api/field-assignments/{ref}")
    FieldAssignmentView get(@PathVariable String ref) {
        return service.get(ref);
    }

    @PostMapping("/api/field-assignments/{ref}/applications")
    FieldAssignmentView apply(@PathVariable String ref, @RequestBody(required = false) FieldAssignmentService.Application application) {
        return service.apply(ref, application == null ? new FieldAssignmentService.Application(null, null, null, null, null) : application);
    }

    @PostMapping("/api/field-assignments/{ref}/questions")
    FieldAssignmentView ask(@PathVariable String ref, @RequestBody Question question) {
        return service.ask(ref, question.question());
    }

    @PostMapping("/api/field-assignments/{ref}/questions/{questionId}/answer")
    FieldAssignmentView answer(@PathVariable String ref, @PathVariable long questionId, @RequestBody Answer answer) {
        return service.answer(ref, questionId, answer.answer());
    }

    @PostMapping("/api/field-assignments/{ref}/choose")
    FieldAssignmentView choose(@PathVariable String ref, @RequestBody Choice choice) {
        return service.choose(ref, choice.applicationId());
    }

    @PostMapping("/api/field-assignments/{ref}/confirm")
    FieldAssignmentView confirm(@PathVariable String ref) {
        return service.confirm(ref);
    }

    @PostMapping("/api/field-assignments/{ref}/check-in")
    FieldAssignmentView checkIn(@PathVariable String ref) {
        return service.checkIn(ref);
    }

    @PostMapping("/api/field-assignments/{ref}/check-out")
    FieldAssignmentView checkOut(@PathVariable String ref) {
        return service.checkOut(ref);
    }

    @PostMapping("/api/field-assignments/{ref}/messages")
    FieldAssignmentView message(@PathVariable String ref, @RequestBody Message message) {
        return service.postMessage(ref, message.body());
    }

    @PostMapping("/api/field-assignments/{ref}/requests")
    FieldAssignmentView request(@PathVariable String ref, @RequestBody FieldAssignmentService.WorkerRequest request) {
        return service.request(ref, request);
    }

    @PostMapping("/api/field-assignments/{ref}/requests/{requestId}/approve")
    FieldAssignmentView approveRequest(@PathVariable String ref, @PathVariable long requestId, @RequestBody(required = false) Reason reason) {
        return service.answerRequest(ref, requestId, true, reason == null ? null : reason.reason());
    }

    @PostMapping("/api/field-assignments/{ref}/requests/{requestId}/decline")
    FieldAssignmentView declineRequest(@PathVariable String ref, @PathVariable long requestId, @RequestBody(required = false) Reason reason) {
        return service.answerRequest(ref, requestId, false, reason == null ? null : reason.reason());
    }

    @PostMapping("/api/field-assignments/{ref}/submit")
    FieldAssignmentView submit(@PathVariable String ref, @RequestBody(required = false) FieldAssignmentService.Submission submission) {
        return service.submit(ref, submission == null ? new FieldAssignmentService.Submission(null, null) : submission);
    }

    @PostMapping("/api/field-assignments/{ref}/approve")
    FieldAssignmentView approve(@PathVariable String ref) {
        return service.approve(ref);
    }

    @PostMapping("/api/field-assignments/{ref}/not-satisfied")
    FieldAssignmentView notSatisfied(@PathVariable String ref, @RequestBody(required = false) Reason reason) {
        return service.notSatisfied(ref, reason == null ? null : reason.reason());
    }

    @PostMapping("/api/field-assignments/{ref}/hold")
    FieldAssignmentView hold(@PathVariable String ref, @RequestBody Hold hold) {
        return service.hold(ref, hold.reason(), hold.note());
    }

    @PostMapping("/api/field-assignments/{ref}/remove-hold")
    FieldAssignmentView removeHold(@PathVariable String ref, @RequestBody Schedule schedule) {
        return service.removeHold(ref, schedule.scheduledStart(), schedule.scheduledEnd());
    }

    @PostMapping("/api/field-assignments/{ref}/reschedule/accept")
    FieldAssignmentView acceptReschedule(@PathVariable String ref) {
        return service.answerReschedule(ref, true);
    }

    /** 204: the worker who declines is removed and no longer sees the assignment. */
    @PostMapping("/api/field-assignments/{ref}/reschedule/decline")
    ResponseEntity<FieldAssignmentView> declineReschedule(@PathVariable String ref) {
        FieldAssignmentView view = service.answerReschedule(ref, false);
        return view == null ? ResponseEntity.noContent().build() : ResponseEntity.ok(view);
    }

    @PostMapping("/api/field-assignments/{ref}/fast-funds")
    ResponseEntity<FieldAssignmentView> fastFunds(@PathVariable String ref) {
        return ResponseEntity.accepted().body(service.fastFunds(ref));
    }

    @PostMapping("/api/field-assignments/{ref}/cancel")
    FieldAssignmentView cancel(@PathVariable String ref, @RequestBody(required = false) Cancellation cancellation) {
        return service.cancel(ref, cancellation == null ? null : cancellation.payment(), cancellation == null ? null : cancellation.reason());
    }

    @GetMapping("/api/field-assignments/{ref}/attachments/{fileId}")
    ResponseEntity<byte[]> attachment(@PathVariable String ref, @PathVariable long fileId) {
        FieldAssignmentService.StoredFile file = service.attachment(ref, fileId);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(file.contentType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(file.fileName()).build().toString())
                .header("X-Content-SHA256", file.sha256())
                .body(file.content());
    }

    @GetMapping("/api/field-assignments/{ref}/documents")
    List<DocumentInfo> documents(@PathVariable String ref) {
        return service.documents(ref);
    }
}
