package io.gigflow.order;

import io.gigflow.identity.CurrentUser;
import io.gigflow.shared.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
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

/** The service-order domain API: providers' services, and the actions of customer and provider on an order. */
@Tag(name = "Service orders")
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

    record Reason(@Nullable String reason) {
    }

    @Operation(summary = "Publish a service (a provider)")
    @ApiResponse(responseCode = "201", description = "Created; Location names it", useReturnTypeSchema = true)
    @PostMapping("/api/me/services")
    ResponseEntity<ServiceView> publish(@RequestBody ServiceCatalog.NewOffering request) {
        ServiceCatalog.Offering offering = catalog.publish(request);
        return ResponseEntity.created(URI.create("/api/services/" + offering.ref())).body(ServiceView.of(offering));
    }

    @Operation(summary = "List the signed-in provider's services")
    @GetMapping("/api/me/services")
    List<ServiceView> myServices() {
        return catalog.ofProvider(currentUser.require()).stream().map(ServiceView::of).toList();
    }

    @Operation(summary = "Get a service")
    @GetMapping("/api/services/{ref}")
    ServiceView service(@PathVariable String ref) {
        return ServiceView.of(catalog.require(ref));
    }

    @Operation(summary = "Order a service (a customer)")
    @ApiResponse(responseCode = "201", description = "Created; Location names it", useReturnTypeSchema = true)
    @PostMapping("/api/services/{ref}/orders")
    ResponseEntity<OrderView> place(@PathVariable String ref, @RequestBody(required = false) ServiceOrderService.PlaceOrder request) {
        OrderView order = orders.place(ref, request == null ? new ServiceOrderService.PlaceOrder(null, null) : request);
        return ResponseEntity.created(URI.create("/api/orders/" + order.ref())).body(order);
    }

    @Operation(summary = "List the signed-in person's service orders, as customer or provider")
    @GetMapping("/api/me/orders")
    List<OrderView> myOrders(@RequestParam(defaultValue = "customer") String role, @RequestParam(required = false) OrderStatus status,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit, 500);
        return orders.mine(role, status, offset, limit);
    }

    @Operation(summary = "Get a service order")
    @GetMapping("/api/orders/{ref}")
    OrderView get(@PathVariable String ref) {
        return orders.get(ref);
    }

    @Operation(summary = "Start work on an order (the provider)")
    @PostMapping("/api/orders/{ref}/start")
    OrderView start(@PathVariable String ref) {
        return orders.startWork(ref);
    }

    @Operation(summary = "Ask for more on an order, with its extra days and price (the customer)")
    @PostMapping("/api/orders/{ref}/extra-requests")
    OrderView requestExtra(@PathVariable String ref, @RequestBody ServiceOrderService.ExtraRequest request) {
        return orders.requestExtra(ref, request);
    }

    @Operation(summary = "Accept the customer's extra request: its price goes into escrow, its days onto the due date (the provider)")
    @PostMapping("/api/orders/{ref}/extra-requests/{requestId}/accept")
    OrderView acceptRequest(@PathVariable String ref, @PathVariable long requestId) {
        return orders.answerRequest(ref, requestId, true, null);
    }

    @Operation(summary = "Decline the customer's extra request (the provider)")
    @PostMapping("/api/orders/{ref}/extra-requests/{requestId}/decline")
    OrderView declineRequest(@PathVariable String ref, @PathVariable long requestId, @RequestBody(required = false) Reason reason) {
        return orders.answerRequest(ref, requestId, false, reason == null ? null : reason.reason());
    }

    @Operation(summary = "Deliver an order with a message and files (the provider)")
    @PostMapping("/api/orders/{ref}/deliver")
    OrderView deliver(@PathVariable String ref, @RequestBody ServiceOrderService.Delivery delivery) {
        return orders.deliver(ref, delivery);
    }

    @Operation(summary = "Confirm a delivery and release the payment (the customer)")
    @ApiResponse(responseCode = "202", description = "Accepted: the lifecycle goes on in the background; the resource as it is now",
            useReturnTypeSchema = true)
    @PostMapping("/api/orders/{ref}/confirm")
    ResponseEntity<OrderView> confirm(@PathVariable String ref) {
        return ResponseEntity.accepted().body(orders.confirm(ref));
    }

    @Operation(summary = "Ask for a revision of a delivery (the customer)")
    @PostMapping("/api/orders/{ref}/revision")
    OrderView revision(@PathVariable String ref, @RequestBody(required = false) Reason reason) {
        return orders.requestRevision(ref, reason == null ? null : reason.reason());
    }

    @Operation(summary = "Cancel a late order (the customer)")
    @ApiResponse(responseCode = "202", description = "Accepted: the lifecycle goes on in the background; the resource as it is now",
            useReturnTypeSchema = true)
    @PostMapping("/api/orders/{ref}/cancel")
    ResponseEntity<OrderView> cancel(@PathVariable String ref) {
        return ResponseEntity.accepted().body(orders.cancelLate(ref));
    }

    @Operation(summary = "Download a file of an order's delivery or messages")
    @ApiResponse(responseCode = "200", description = "The file as it was uploaded",
            content = @Content(mediaType = "*/*", schema = @Schema(type = "string", format = "binary")))
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
