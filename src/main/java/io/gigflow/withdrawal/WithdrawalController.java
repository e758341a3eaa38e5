package io.gigflow.withdrawal;

import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The withdrawal domain API: payout destinations, a person's withdrawals, and finance's view and answers. */
@Tag(name = "Withdrawals")
@RestController
class WithdrawalController {

    private final WithdrawalService withdrawals;
    private final PayoutDestinations destinations;

    WithdrawalController(WithdrawalService withdrawals, PayoutDestinations destinations) {
        this.withdrawals = withdrawals;
        this.destinations = destinations;
    }

    record BankReference(String bankReference) {
    }

    record Reason(String reason) {
    }

    @Operation(summary = "Add a payout destination (a bank account)")
    @ApiResponse(responseCode = "201", description = "Created; Location names it", useReturnTypeSchema = true)
    @PostMapping("/api/me/payout-destinations")
    ResponseEntity<PayoutDestinations.DestinationView> addDestination(@RequestBody PayoutDestinations.NewDestination request) {
        PayoutDestinations.DestinationView added = destinations.add(request);
        return ResponseEntity.created(URI.create("/api/me/payout-destinations/" + added.id())).body(added);
    }

    @Operation(summary = "List the signed-in person's payout destinations")
    @GetMapping("/api/me/payout-destinations")
    List<PayoutDestinations.DestinationView> myDestinations() {
        return destinations.mine();
    }

    @Operation(summary = "Remove a payout destination")
    @ApiResponse(responseCode = "204", description = "Removed")
    @DeleteMapping("/api/me/payout-destinations/{id}")
    ResponseEntity<Void> removeDestination(@PathVariable long id) {
        destinations.remove(id);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Request a withdrawal from the own balance")
    @ApiResponse(responseCode = "201", description = "Created; Location names it", useReturnTypeSchema = true)
    @PostMapping("/api/me/withdrawals")
    ResponseEntity<WithdrawalView> request(@RequestBody WithdrawalService.WithdrawalRequest request) {
        WithdrawalView requested = withdrawals.request(request);
        return ResponseEntity.created(URI.create("/api/me/withdrawals/" + requested.ref())).body(requested);
    }

    @Operation(summary = "List the signed-in person's withdrawals")
    @GetMapping("/api/me/withdrawals")
    List<WithdrawalView> mine(@RequestParam(required = false) WithdrawalStatus status, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return withdrawals.mine(status, offset, limit);
    }

    @Operation(summary = "Get one of the own withdrawals")
    @GetMapping("/api/me/withdrawals/{ref}")
    WithdrawalView get(@PathVariable String ref) {
        return withdrawals.get(ref);
    }

    @Operation(summary = "Cancel a withdrawal that finance has not answered yet")
    @ApiResponse(responseCode = "202", description = "Accepted: the lifecycle goes on in the background; the resource as it is now",
            useReturnTypeSchema = true)
    @PostMapping("/api/me/withdrawals/{ref}/cancellation")
    ResponseEntity<WithdrawalView> cancel(@PathVariable String ref) {
        return ResponseEntity.accepted().body(withdrawals.cancel(ref));
    }

    /** A company's balance is not withdrawn through the platform: not offered (403), whoever asks. */
    @Operation(summary = "A company's balance is not withdrawn through the platform: always 403")
    @ApiResponse(responseCode = "403", description = "Not offered for a company's balance")
    @RequestMapping("/api/companies/{companyId}/withdrawals")
    ResponseEntity<Void> companyWithdrawals(@PathVariable String companyId) {
        throw new ForbiddenException("Withdrawals are not offered for a company's balance; a person withdraws from its own balance "
                + "with POST /api/me/withdrawals");
    }

    // ---- finance

    @Operation(summary = "List everybody's withdrawals (finance)")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "403", description = "Not a finance operator")
    @GetMapping("/api/withdrawals")
    List<WithdrawalView> all(@RequestParam(required = false) WithdrawalStatus status, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return withdrawals.all(status, offset, limit);
    }

    @Operation(summary = "Get any withdrawal (finance)")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "403", description = "Not a finance operator")
    @GetMapping("/api/withdrawals/{ref}")
    WithdrawalView forFinance(@PathVariable String ref) {
        return withdrawals.forFinance(ref);
    }

    @Operation(summary = "Pay a withdrawal out with the bank reference (finance)")
    @ApiResponse(responseCode = "202", description = "Accepted: the lifecycle goes on in the background; the resource as it is now",
            useReturnTypeSchema = true)
    @PostMapping("/api/withdrawals/{ref}/payout")
    ResponseEntity<WithdrawalView> payOut(@PathVariable String ref, @RequestBody BankReference body) {
        return ResponseEntity.accepted().body(withdrawals.payOut(ref, body.bankReference()));
    }

    @Operation(summary = "Reject a withdrawal, with a reason (finance)")
    @ApiResponse(responseCode = "202", description = "Accepted: the lifecycle goes on in the background; the resource as it is now",
            useReturnTypeSchema = true)
    @PostMapping("/api/withdrawals/{ref}/rejection")
    ResponseEntity<WithdrawalView> reject(@PathVariable String ref, @RequestBody Reason body) {
        return ResponseEntity.accepted().body(withdrawals.reject(ref, body.reason()));
    }
}
