package io.gigflow.topup;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The payment provider's door: no sign-in, the signature is the authentication. The body is
 * taken as raw bytes, exactly as signed, and parsed only after the signature checked out.
 */
@Tag(name = "Top-ups")
@RestController
class PaymentWebhookController {

    private final PaymentWebhook webhook;

    PaymentWebhookController(PaymentWebhook webhook) {
        this.webhook = webhook;
    }

    @Operation(summary = "The payment provider's signed payment events (no sign-in: the HMAC signature authenticates)")
    @SecurityRequirements
    @ApiResponse(responseCode = "200", description = "The event was taken (or was already taken)")
    @ApiResponse(responseCode = "400", description = "The event is not readable")
    @ApiResponse(responseCode = "401", description = "No or a wrong signature")
    @ApiResponse(responseCode = "409", description = "The event does not fit the top-up's state")
    @ApiResponse(responseCode = "404", description = "No top-up with the event's reference")
    @ApiResponse(responseCode = "422", description = "The event does not match the top-up (amount, currency, reference)")
    @ApiResponse(responseCode = "503", description = "The webhook's secret is not configured")
    @PostMapping("/api/webhooks/payments")
    ResponseEntity<Map<String, Object>> receive(@RequestHeader(name = PaymentWebhook.SIGNATURE_HEADER, required = false) String signature,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The event, exactly as signed", content = @Content(
                    mediaType = "application/json", schema = @Schema(type = "object"))) @RequestBody(required = false) byte[] body) {
        PaymentWebhook.Outcome outcome = webhook.receive(signature, body);
        return ResponseEntity.status(outcome.status()).body(outcome.body());
    }

    @ExceptionHandler(PaymentWebhook.Refused.class)
    ResponseEntity<ProblemDetail> refused(PaymentWebhook.Refused refused) {
        HttpStatus status = HttpStatus.valueOf(refused.status);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, "The event is refused: " + refused.getMessage());
        problem.setTitle("Event refused");
        return ResponseEntity.status(status).body(problem);
    }
}
