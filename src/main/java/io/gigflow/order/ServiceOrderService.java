package io.gigflow.order;

import io.gigflow.identity.CurrentUser;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.HumanSteps;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.ProcessInputs;
import io.gigflow.shared.TimeSource;
import io.gigflow.shared.Transactions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;

/**
 * The service-order use cases behind the domain API. Each checks who asks, then acts
 * through the engine as that user, exactly as Tasklist and /engine-rest would.
 */
@Service
public class ServiceOrderService {

    static final int MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
    private static final Set<String> CONTENT_TYPES = Set.of("application/pdf", "image/png", "image/jpeg", "text/plain",
            "application/zip");

    public record PlaceOrder(@Nullable List<Long> optionIds, @Nullable String reference) {
    }

    public record ExtraRequest(String description, Integer extraDays, String price) {
    }

    public record Attachment(String fileName, String contentType, String contentBase64) {
    }

    public record Delivery(String message, @Nullable Attachment attachment) {
    }

    public record StoredFile(String fileName, String contentType, byte[] content, String sha256) {
    }

    private final ServiceOrderRepository orders;
    private final ServiceCatalog catalog;
    private final CurrentUser currentUser;
    private final RuntimeService runtimeService;
    private final TaskService taskService;
    private final TimeSource time;
    private final Transactions transactions;
    private final HumanSteps steps;

    ServiceOrderService(ServiceOrderRepository orders, ServiceCatalog catalog, CurrentUser currentUser, RuntimeService runtimeService,
            TaskService taskService, TimeSource time, Transactions transactions, HumanSteps steps) {
        this.steps = steps;
        this.transactions = transactions;
        this.orders = orders;
        this.catalog = catalog;
        this.currentUser = currentUser;
        this.runtimeService = runtimeService;
        this.taskService = taskService;
        this.time = time;
    }

    /** Places an order as the signed-in customer: the same start as /engine-rest's. */
    public OrderView place(String serviceRef, PlaceOrder request) {
        return transactions.retryingOnConcurrentChange(() -> {
            catalog.require(serviceRef);
            Map<String, Object> variables = new HashMap<>();
            variables.put(ServiceOrderProcess.VAR_CUSTOMER_ID, currentUser.require());
            variables.put(ServiceOrderProcess.VAR_SERVICE_REF, serviceRef);
            if (request.optionIds() != null && !request.optionIds().isEmpty()) {
                variables.put(ServiceOrderProcess.VAR_OPTION_IDS, request.optionIds().stream().map(String::valueOf).collect(Collectors.joining(",")));
            }
            // transient: the start reads them once and keeps them in the row
            ProcessInstance instance = runtimeService.createProcessInstanceByKey(ServiceOrderProcess.KEY)
                    .businessKey(request.reference()).setVariables(ProcessInputs.readOnce(variables)).execute();
            return view(orders.findByProcessInstance(instance.getId()).orElseThrow());
        });
    }

    public OrderView get(String ref) {
        return view(visible(ref));
    }

    public List<OrderView> mine(String role, OrderStatus status, int offset, int limit) {
        String column = switch (role) {
            case "customer" -> "customer_id";
            case "provider" -> "provider_id";
            default -> throw InvalidInputException.of("Invalid query", "role", "oneOf", "must be customer or provider");
        };
        return orders.ofParty(column, currentUser.require(), status, offset, limit).stream().map(this::view).toList();
    }

    public OrderView startWork(String ref) {
        return transactions.retryingOnConcurrentChange(() -> {
            ServiceOrder order = asProvider(ref);
            order.checkStart(currentUser.require());
            complete(order, ServiceOrderProcess.TASK_START_WORK, Map.of(ServiceOrderProcess.VAR_START_WORK, true));
            return get(ref);
        });
    }

    /** "Add to Service": the customer asks for more; the order pauses until the provider answers. */
    public OrderView requestExtra(String ref, ExtraRequest request) {
        return transactions.retryingOnConcurrentChange(() -> {
            ServiceOrder order = asCustomer(ref);
            order.checkExtraRequest(currentUser.require());
            Map<String, Object> variables = new HashMap<>();
            variables.put(ServiceOrderProcess.VAR_EXTRA_DESCRIPTION, request.description());
            variables.put(ServiceOrderProcess.VAR_EXTRA_DAYS, request.extraDays());
            variables.put(ServiceOrderProcess.VAR_EXTRA_PRICE, request.price());
            InvalidInputException.namingFields(Map.of(ServiceOrderProcess.VAR_EXTRA_DESCRIPTION, "description",
                    ServiceOrderProcess.VAR_EXTRA_DAYS, "extraDays", ServiceOrderProcess.VAR_EXTRA_PRICE, "price"),
                    () -> correlate(order, ServiceOrderProcess.MESSAGE_EXTRA_REQUESTED, variables));
            return get(ref);
        });
    }

    public OrderView answerRequest(String ref, long requestId, boolean accept, String reason) {
        return transactions.retryingOnConcurrentChange(() -> {
            ServiceOrder order = asProvider(ref);
            order.checkAnswerRequest(currentUser.require());
            if (orders.pendingRequest(order).filter(r -> r.id() == requestId).isEmpty()) {
                throw new ConflictException("Request " + requestId + " of order " + ref + " does not await an answer");
            }
            Map<String, Object> variables = new HashMap<>();
            variables.put(ServiceOrderProcess.VAR_REQUEST_DECISION, accept ? ServiceOrderProcess.ACCEPT : ServiceOrderProcess.DECLINE);
            if (reason != null) {
                variables.put(ServiceOrderProcess.VAR_REQUEST_DECLINE_REASON, reason);
            }
            InvalidInputException.namingFields(Map.of(ServiceOrderProcess.VAR_REQUEST_DECLINE_REASON, "reason"),
                    () -> complete(order, ServiceOrderProcess.TASK_REVIEW_EXTRA_REQUEST, variables));
            return get(ref);
        });
    }

    public OrderView deliver(String ref, Delivery delivery) {
        return transactions.retryingOnConcurrentChange(() -> {
            ServiceOrder order = asProvider(ref);
            order.checkDeliver(currentUser.require());
            Task step = step(order, ServiceOrderProcess.TASK_DELIVER_ORDER);
            Map<String, Object> variables = new HashMap<>();
            variables.put(ServiceOrderProcess.VAR_DELIVERY_MESSAGE, delivery.message());
            if (delivery.attachment() != null) {
                variables.put(ServiceOrderProcess.VAR_DELIVERY_FILE_ID, store(order, delivery.attachment()));
            }
            InvalidInputException.namingFields(Map.of(ServiceOrderProcess.VAR_DELIVERY_MESSAGE, "message",
                    ServiceOrderProcess.VAR_DELIVERY_FILE_ID, "attachment"), () -> complete(step, variables));
            return get(ref);
        });
    }

    public OrderView confirm(String ref) {
        return transactions.retryingOnConcurrentChange(() -> {
            ServiceOrder order = asCustomer(ref);
            order.checkDeliveryDecision(currentUser.require());
            complete(order, ServiceOrderProcess.TASK_CONFIRM_DELIVERY,
                    Map.of(ServiceOrderProcess.VAR_DELIVERY_DECISION, ServiceOrderProcess.CONFIRM));
            return get(ref);
        });
    }

    public OrderView requestRevision(String ref, String reason) {
        return transactions.retryingOnConcurrentChange(() -> {
            Map<String, Object> variables = new HashMap<>();
            variables.put(ServiceOrderProcess.VAR_DELIVERY_DECISION, ServiceOrderProcess.REVISION);
            if (reason != null) {
                variables.put(ServiceOrderProcess.VAR_REVISION_REASON, reason);
            }
            ServiceOrder order = asCustomer(ref);
            order.checkDeliveryDecision(currentUser.require());
            InvalidInputException.namingFields(Map.of(ServiceOrderProcess.VAR_REVISION_REASON, "reason"),
                    () -> complete(order, ServiceOrderProcess.TASK_CONFIRM_DELIVERY, variables));
            return get(ref);
        });
    }

    /** A late order, cancelled by its customer for a full refund. */
    public OrderView cancelLate(String ref) {
        return transactions.retryingOnConcurrentChange(() -> {
            ServiceOrder order = asCustomer(ref);
            order.checkLateCancellation(currentUser.require());
            correlate(order, ServiceOrderProcess.MESSAGE_LATE_CANCELLATION_REQUESTED, Map.of());
            return get(ref);
        });
    }

    public StoredFile attachment(String ref, long fileId) {
        ServiceOrder order = visible(ref);
        return orders.file(fileId).filter(f -> f.orderId() == order.id())
                .map(f -> new StoredFile(f.fileName(), f.contentType(), f.content(), f.sha256()))
                .orElseThrow(() -> new NotFoundException("No attachment " + fileId + " of order " + ref));
    }

    private long store(ServiceOrder order, Attachment attachment) {
        FieldErrors errors = new FieldErrors();
        String name = errors.requiredText("attachment.fileName", attachment.fileName(), 200);
        if (name != null && !name.matches("[A-Za-z0-9 ._()-]+")) {
            errors.add("attachment.fileName", "format", "may contain letters, digits, spaces and . _ ( ) - only");
        }
        String type = errors.requiredText("attachment.contentType", attachment.contentType(), 100);
        if (type != null && !CONTENT_TYPES.contains(type)) {
            errors.add("attachment.contentType", "oneOf", "must be one of " + CONTENT_TYPES);
        }
        byte[] content = null;
        if (attachment.contentBase64() == null || attachment.contentBase64().isBlank()) {
            errors.add("attachment.contentBase64", "required", "is required, the file's bytes in base64");
        } else if (attachment.contentBase64().length() > (MAX_ATTACHMENT_BYTES / 3 + 1) * 4) {
            errors.add("attachment.contentBase64", "size", "must be at most " + MAX_ATTACHMENT_BYTES + " bytes");
        } else {
            try {
                content = Base64.getDecoder().decode(attachment.contentBase64());
                if (content.length == 0 || content.length > MAX_ATTACHMENT_BYTES) {
                    errors.add("attachment.contentBase64", "size", "must be 1 to " + MAX_ATTACHMENT_BYTES + " bytes");
                }
            } catch (IllegalArgumentException e) {
                errors.add("attachment.contentBase64", "format", "is not valid base64");
            }
        }
        errors.throwIfAny("Invalid delivery");
        return orders.addFile(order.id(), name, type, content, sha256(content), time.now());
    }

    private void correlate(ServiceOrder order, String message, Map<String, Object> variables) {
        try {
            runtimeService.createMessageCorrelation(message).processInstanceId(order.processInstanceId())
                    .setVariables(variables).correlateWithResult();
        } catch (MismatchingMessageCorrelationException e) {
            throw new ConflictException("Order " + order.ref() + " is " + order.status() + "; it does not take this now");
        }
    }

    private void complete(ServiceOrder order, String taskDefinitionKey, Map<String, Object> variables) {
        complete(step(order, taskDefinitionKey), variables);
    }

    private Task step(ServiceOrder order, String taskDefinitionKey) {
        return steps.open(order.processInstanceId(), taskDefinitionKey).orElseThrow(
                () -> new ConflictException("Order " + order.ref() + " is " + order.status() + "; this step is not open"));
    }

    private void complete(Task step, Map<String, Object> variables) {
        steps.complete(step, variables, "The order changed at the same moment (a deadline passed, or somebody acted); reload it");
    }



    private ServiceOrder visible(String ref) {
        String user = currentUser.require();
        return orders.find(ref).filter(o -> o.isParty(user)).orElseThrow(() -> new NotFoundException("No order " + ref));
    }

    private ServiceOrder asProvider(String ref) {
        ServiceOrder order = visible(ref);
        if (!order.providerId().equals(currentUser.require())) {
            throw new ForbiddenException("Only the provider " + order.providerId() + " does this on order " + ref);
        }
        return order;
    }

    private ServiceOrder asCustomer(String ref) {
        ServiceOrder order = visible(ref);
        if (!order.customerId().equals(currentUser.require())) {
            throw new ForbiddenException("Only the customer " + order.customerId() + " does this on order " + ref);
        }
        return order;
    }

    private OrderView view(ServiceOrder order) {
        List<ServiceOrderRepository.OrderOption> options = orders.options(order);
        List<ServiceOrderRepository.Request> requests = orders.requests(order);
        Money total = order.total(options, requests);
        String serviceRef = catalog.refOf(order.offeringId());
        List<OrderView.FileView> files = orders.files(order.id()).stream()
                .map(f -> new OrderView.FileView(f.id(), f.fileName(), f.contentType(), f.sizeBytes(), f.sha256())).toList();
        return new OrderView(order.ref(), serviceRef, order.title(), order.customerId(), order.providerId(), order.status(),
                order.late(), order.basePrice().currencyCode(), order.basePrice().toDecimalString(),
                options.stream().map(o -> new OrderView.OptionView(o.name(), o.price().toDecimalString(), o.extraDays())).toList(),
                requests.stream().map(r -> new OrderView.RequestView(r.id(), r.description(), r.extraDays(), r.price().toDecimalString(),
                        r.status(), r.requestedAt(), r.answeredAt(), r.answerReason(), r.pausedSeconds())).toList(),
                total.toDecimalString(), order.startedAt(), order.dueAt(), order.deliveredAt(), order.deliveryMessage(), files,
                order.cancelReason(), order.createdAt(),
                orders.events(order.id()).stream().map(e -> new OrderView.HistoryEntry(e.at(), e.actor(), e.event(), e.detail())).toList());
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
