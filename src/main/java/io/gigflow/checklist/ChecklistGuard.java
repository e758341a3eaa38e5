package io.gigflow.checklist;

import io.gigflow.identity.Parties;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.ForbiddenException;
import org.springframework.stereotype.Component;

/**
 * Who may do what to an order-checklist order, in which state: the one place that Tasklist,
 * /engine-rest, /api and the process's own listeners all ask. {@code by} is the signed-in
 * user, or null for the engine's own jobs (billing-cycle timers), which are trusted. Parties
 * come from the rows: the order's agency and client, the item's team.
 */
@Component
class ChecklistGuard {

    private final Parties parties;

    ChecklistGuard(Parties parties) {
        this.parties = parties;
    }

    /**
     * Marking an item done: only the active item of an open order, only by its team (members of
     * the agency the item names) or, for a client task, by the order's client.
     */
    void checkCompleteItem(ChecklistRepository.Order order, ChecklistRepository.Item item, String by) {
        if (by != null) {
            boolean allowed = item.spec().clientTask() ? by.equals(order.clientId())
                    : item.spec().assignees().contains(by) && parties.isCompanyMember(by, order.agencyId());
            if (!allowed) {
                throw new ForbiddenException(item.spec().clientTask() ? "Only the client marks this task done"
                        : "Only the task's team (" + String.join(", ", item.spec().assignees()) + ") marks this task done");
            }
        }
        if (item.status() == ItemStatus.DONE) {
            throw new ConflictException("Task " + item.id() + " is done already");
        }
        if (order.status() != OrderStatus.OPEN || !item.active()) {
            throw new ConflictException("Task " + item.id() + " is not the active task of an open order; the tasks before it come first");
        }
    }

    /** Changing the checklist (and telling the process with ChecklistChanged): the agency's staff, while the order is OPEN. */
    void checkChange(ChecklistRepository.Order order, String by) {
        checkStaff(order, by);
        if (order.status() != OrderStatus.OPEN) {
            throw new ConflictException("Order " + order.ref() + " is " + order.status() + "; its checklist changes only while it is OPEN");
        }
    }

    /** Cancelling (ChecklistCancelled): the agency's staff, while the order is open or a recurring one waits for its next cycle. */
    void checkCancel(ChecklistRepository.Order order, String by) {
        checkStaff(order, by);
        if (order.status() == OrderStatus.CANCELLED || (order.status() == OrderStatus.COMPLETED && !order.recurring())) {
            throw new ConflictException("Order " + order.ref() + " is " + order.status() + "; it cannot be cancelled");
        }
    }

    void checkStaff(ChecklistRepository.Order order, String by) {
        if (by != null && !parties.isCompanyMember(by, order.agencyId())) {
            throw new ForbiddenException("Only the staff of " + order.agencyId() + " change order " + order.ref());
        }
    }
}
