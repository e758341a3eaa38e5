package io.gigflow.topup;

import io.gigflow.shared.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The top-up domain API: payers register top-ups and follow them; finance lists what awaits its
 * funds and confirms or rejects it (the same step as in Tasklist).
 */
@Tag(name = "Top-ups")
@RestController
class TopUpController {

    private final TopUpService topUps;

    TopUpController(TopUpService topUps) {
        this.topUps = topUps;
    }

    @Operation(summary = "Register a top-up of a company's balance (a member)")
    @ApiResponse(responseCode = "201", description = "Created; Location names it", useReturnTypeSchema = true)
    @PostMapping("/api/companies/{companyId}/top-ups")
    ResponseEntity<TopUpView> registerForCompany(@PathVariable String companyId,
            @RequestBody(required = false) TopUpService.Registration request) {
        return created(topUps.registerForCompany(companyId, request));
    }

    @Operation(summary = "Register a top-up of the signed-in customer's balance")
    @ApiResponse(responseCode = "201", description = "Created; Location names it", useReturnTypeSchema = true)
    @PostMapping("/api/me/top-ups")
    ResponseEntity<TopUpView> registerForMe(@RequestBody(required = false) TopUpService.Registration request) {
        return created(topUps.registerForMe(request));
    }

    @Operation(summary = "List a company's top-ups")
    @GetMapping("/api/companies/{companyId}/top-ups")
    List<TopUpView> ofCompany(@PathVariable String companyId, @RequestParam(required = false) TopUpStatus status,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return topUps.ofCompany(companyId, status, offset, limit);
    }

    @Operation(summary = "List the signed-in person's top-ups")
    @GetMapping("/api/me/top-ups")
    List<TopUpView> mine(@RequestParam(required = false) TopUpStatus status, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return topUps.mine(status, offset, limit);
    }

    /** Finance: every top-up awaiting its funds, oldest first. */
    @Operation(summary = "List every top-up awaiting its funds, oldest first (finance)")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "403", description = "Not a finance operator")
    @GetMapping("/api/top-ups")
    List<TopUpView> awaitingFunds(@RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return topUps.awaitingFunds(offset, limit);
    }

    @Operation(summary = "Get a top-up")
    @GetMapping("/api/top-ups/{id}")
    TopUpView get(@PathVariable long id) {
        return topUps.get(id);
    }

    @Operation(summary = "Confirm a top-up's funds arrived (finance)")
    @ApiResponse(responseCode = "202", description = "Accepted: the lifecycle goes on in the background; the resource as it is now",
            useReturnTypeSchema = true)
    @PostMapping("/api/top-ups/{id}/confirmation")
    ResponseEntity<TopUpView> confirm(@PathVariable long id, @RequestBody(required = false) TopUpService.Confirmation confirmation) {
        return ResponseEntity.accepted().body(topUps.confirm(id, confirmation));
    }

    @Operation(summary = "Reject a top-up (finance)")
    @PostMapping("/api/top-ups/{id}/rejection")
    TopUpView reject(@PathVariable long id, @RequestBody(required = false) TopUpService.Rejection rejection) {
        return topUps.reject(id, rejection);
    }

    private static ResponseEntity<TopUpView> created(TopUpView view) {
        return ResponseEntity.created(URI.create("/api/top-ups/" + view.id())).body(view);
    }
}
