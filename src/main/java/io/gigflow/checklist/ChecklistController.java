package io.gigflow.checklist;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The order-checklist domain API: agencies' services, orders and their checklists, Todo, and client activities. */
@Tag(name = "Order checklists")
@RestController
class ChecklistController {

    private final AgencyServices services;
    private final ChecklistOrderService orders;
    private final ClientActivities activities;

    ChecklistController(AgencyServices services, ChecklistOrderService orders, ClientActivities activities) {
        this.services = services;
        this.orders = orders;
        this.activities = activities;
    }

    @Operation(summary = "Create an agency service with its checklist")
    @ApiResponse(responseCode = "201", description = "Created; Location names it", useReturnTypeSchema = true)
    @PostMapping("/api/agencies/{agencyId}/services")
    ResponseEntity<AgencyServices.ServiceView> createService(@PathVariable String agencyId, @RequestBody AgencyServices.ServiceInput input) {
        AgencyServices.ServiceView service = services.create(agencyId, input);
        return ResponseEntity.created(URI.create("/api/agency-services/" + service.ref())).body(service);
    }

    @Operation(summary = "List an agency's services")
    @GetMapping("/api/agencies/{agencyId}/services")
    List<AgencyServices.ServiceView> servicesOf(@PathVariable String agencyId) {
        return services.ofAgency(agencyId);
    }

    @Operation(summary = "Get an agency service")
    @GetMapping("/api/agency-services/{ref}")
    AgencyServices.ServiceView service(@PathVariable String ref) {
        return services.get(ref);
    }

    @Operation(summary = "Replace an agency service's checklist")
    @PutMapping("/api/agency-services/{ref}")
    AgencyServices.ServiceView replaceTasks(@PathVariable String ref, @RequestBody AgencyServices.ServiceInput input) {
        return services.replaceTasks(ref, input);
    }

    @Operation(summary = "Order an agency service (a client)")
    @ApiResponse(responseCode = "201", description = "Created; Location names it", useReturnTypeSchema = true)
    @PostMapping("/api/agency-services/{ref}/orders")
    ResponseEntity<OrderView> place(@PathVariable String ref, @RequestBody ChecklistOrderService.PlaceOrder request) {
        OrderView order = orders.place(ref, request);
        return ResponseEntity.created(URI.create("/api/checklist-orders/" + order.ref())).body(order);
    }

    @Operation(summary = "List the signed-in person's checklist orders")
    @GetMapping("/api/checklist-orders")
    List<OrderView> myOrders(@RequestParam(required = false) OrderStatus status) {
        return orders.mine(status);
    }

    @Operation(summary = "Get a checklist order")
    @GetMapping("/api/checklist-orders/{ref}")
    OrderView order(@PathVariable String ref) {
        return orders.get(ref);
    }

    @Operation(summary = "Add a task to an order's checklist (agency staff)")
    @ApiResponse(responseCode = "201", description = "Added: the order as it is now", useReturnTypeSchema = true)
    @PostMapping("/api/checklist-orders/{ref}/items")
    ResponseEntity<OrderView> addItem(@PathVariable String ref, @RequestBody TaskInput input) {
        return ResponseEntity.status(201).body(orders.addItem(ref, input));
    }

    @Operation(summary = "Edit a task of an order's checklist (agency staff)")
    @PutMapping("/api/checklist-orders/{ref}/items/{itemId}")
    OrderView editItem(@PathVariable String ref, @PathVariable long itemId, @RequestBody TaskInput input) {
        return orders.editItem(ref, itemId, input);
    }

    @Operation(summary = "Reorder an order's checklist (agency staff)")
    @PutMapping("/api/checklist-orders/{ref}/item-order")
    OrderView reorder(@PathVariable String ref, @RequestBody ChecklistOrderService.Reorder request) {
        return orders.reorder(ref, request);
    }

    @Operation(summary = "Mark a checklist task done")
    @PostMapping("/api/checklist-orders/{ref}/items/{itemId}/done")
    OrderView done(@PathVariable String ref, @PathVariable long itemId) {
        return orders.markDone(ref, itemId);
    }

    @Operation(summary = "Cancel a checklist order")
    @PostMapping("/api/checklist-orders/{ref}/cancel")
    OrderView cancel(@PathVariable String ref) {
        return orders.cancel(ref);
    }

    @Operation(summary = "Todo: checklist tasks by assignee and status (agency staff)")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "403", description = "Not agency staff")
    @GetMapping("/api/todo/tasks")
    ChecklistOrderService.Todo todoTasks(@RequestParam(required = false) String assignee, @RequestParam(required = false) String status) {
        return orders.todo(assignee, status);
    }

    @Operation(summary = "Todo: client activities by assignee and status (agency staff)")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "403", description = "Not agency staff")
    @GetMapping("/api/todo/activities")
    ClientActivities.ActivityTodo todoActivities(@RequestParam(required = false) String assignee,
            @RequestParam(required = false) String status) {
        return activities.todo(assignee, status);
    }

    @Operation(summary = "Add an activity for a client (agency staff)")
    @ApiResponse(responseCode = "201", description = "Added", useReturnTypeSchema = true)
    @PostMapping("/api/clients/{clientId}/activities")
    ResponseEntity<ClientActivities.ActivityView> addActivity(@PathVariable String clientId,
            @RequestBody ClientActivities.NewActivity input) {
        return ResponseEntity.status(201).body(activities.add(clientId, input));
    }

    @Operation(summary = "Complete a client's activity")
    @PostMapping("/api/clients/{clientId}/activities/{id}/complete")
    ClientActivities.ActivityView completeActivity(@PathVariable String clientId, @PathVariable long id) {
        return activities.complete(clientId, id);
    }

    @Operation(summary = "A client's timeline of orders and activities")
    @GetMapping("/api/clients/{clientId}/timeline")
    ClientActivities.Timeline timeline(@PathVariable String clientId) {
        return activities.timeline(clientId);
    }
}
