package io.gigflow.topup;

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
@RestController
class PaymentWebhookController {

    private final PaymentWebhook webhook;

    PaymentWebhookController(PaymentWebhook webhook) {
        this.webhook = webhook;
    }

    @PostMapping("/api/webhooks/payments")
    ResponseEntity<Map<String, Object>> receive(@RequestHeader(name = PaymentWebhook.SIGNATURE_HEADER, required = false) String signature,
            @RequestBody(required = false) byte[] body) {
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
