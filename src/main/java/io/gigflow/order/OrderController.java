package io.gigflow.order;

import io.gigflow.identity.CurrentUser;
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

/** The service-order domain API: providers' services, and the actions of customer and provider on an order. */
@RestController
class OrderController {

    private final ServiceCatalog catalog;
    private final ServiceOrderService orders;
    private final CurrentUser currentUser;

    OrderController(ServiceCatalog catalog, ServiceOrderService orders, CurrentUser currentUser) {
        this.catalog = catalog;
        this.orders = orders;
        this.currentUser = currentUser;
    }

    record Reason(String reason) {
    }

    @PostMapping("/api/me/services")
    ResponseEntity<ServiceCatalog.Offering> publish(@RequestBody ServiceCatalog.NewOffering request) {
        ServiceCatalog.Offering offering = catalog.publish(request);
        return ResponseEntity.created(URI.create("/api/services/" + offering.ref())).body(offering);
    }

    @GetMapping("/api/me/services")
    List<ServiceCatalog.Offering> myServices() {
        return catalog.ofProvider(currentUser.require());
    }

    @GetMapping("/api/services/{ref}")
    ServiceCatalog.Offering service(@PathVariable String ref) {
        return catalog.require(ref);
    }

    @PostMapping("/api/services/{ref}/orders")
    ResponseEntity<OrderView> place(@PathVariable String ref, @RequestBody(required = false) ServiceOrderService.PlaceOrder request) {
        OrderView order = orders.place(ref, request == null ? new ServiceOrderService.PlaceOrder(null, null) : request);
        return ResponseEntity.created(URI.create("/api/orders/" + order.ref())).body(order);
    }

    @GetMapping("/api/me/orders")
    List<OrderView> myOrders(@RequestParam(defaultValue = "customer") String role, @RequestParam(required = false) OrderStatus status,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return orders.mine(role, status, offset, limit);
    }

    @GetMapping("/api/orders/{ref}")
    OrderView get(@PathVariable String ref) {
        return orders.get(ref);
    }

    @PostMapping("/api/orders/{ref}/start")
    OrderView start(@PathVariable String ref) {
        return orders.startWork(ref);
    }

    @PostMapping("/api/orders/{ref}/extra-requests")
    OrderView requestExtra(@PathVariable String ref, @RequestBody ServiceOrderService.ExtraRequest request) {
        return orders.requestExtra(ref, request);
    }

    @PostMapping("/api/orders/{ref}/extra-requests/{requestId}/accept")
    OrderView acceptRequest(@PathVariable String ref, @PathVariable long requestId) {
        return orders.answerRequest(ref, requestId, true, null);
    }

    @PostMapping("/api/orders/{ref}/extra-requests/{requestId}/decline")
    OrderView declineRequest(@PathVariable String ref, @PathVariable long requestId, @RequestBody(required = false) Reason reason) {
        return orders.answerRequest(ref, requestId, false, reason == null ? null : reason.reason());
    }

    @PostMapping("/api/orders/{ref}/deliver")
    OrderView deliver(@PathVariable String ref, @RequestBody ServiceOrderService.Delivery delivery) {
        return orders.deliver(ref, delivery);
    }

    @PostMapping("/api/orders/{ref}/confirm")
    ResponseEntity<OrderView> confirm(@PathVariable String ref) {
        return ResponseEntity.accepted().body(orders.confirm(ref));
    }

    @PostMapping("/api/orders/{ref}/revision")
    OrderView revision(@PathVariable String ref, @RequestBody(required = false) Reason reason) {
        return orders.requestRevision(ref, reason == null ? null : reason.reason());
    }

    @PostMapping("/api/orders/{ref}/cancel")
    ResponseEntity<OrderView> cancel(@PathVariable String ref) {
        return ResponseEntity.accepted().body(orders.cancelLate(ref));
    }

    @GetMapping("/api/orders/{ref}/attachments/{fileId}")
    ResponseEntity<byte[]> attachment(@PathVariable String ref, @PathVariable long fileId) {
        ServiceOrderService.StoredFile file = orders.attachment(ref, fileId);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(file.contentType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(file.fileName()).build().toString())
                .header("X-Content-SHA256", file.sha256())
                .body(file.content());
    }
}
