package io.gigflow.checklist;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.TimeSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An agency's services: each carries the ordered list of tasks a new order copies, and a
 * library of further tasks that staff may add to an order. Any member of the agency manages
 * them. Changing a service changes new orders only.
 */
@Service
public class AgencyServices {

    static final int MAX_TASKS = 100;

    public record ServiceInput(@Nullable String title, List<TaskInput> tasks, @Nullable List<TaskInput> library) {
    }

    public record TemplateView(long id, String name, @Nullable String description, @Nullable Integer deadlineDays,
            @Nullable String deadlineFrom, List<String> assignees, boolean visibleInPortal, boolean clientTask) {
    }

    public record ServiceView(String ref, String agencyId, String title, List<TemplateView> tasks, List<TemplateView> library) {
    }

    private final ChecklistRepository repository;
    private final Parties parties;
    private final CurrentUser currentUser;
    private final TimeSource time;
    private final ChecklistFilters filters;

    AgencyServices(ChecklistRepository repository, Parties parties, CurrentUser currentUser, TimeSource time, ChecklistFilters filters) {
        this.repository = repository;
        this.parties = parties;
        this.currentUser = currentUser;
        this.time = time;
        this.filters = filters;
    }

    @Transactional
    public ServiceView create(String agencyId, ServiceInput input) {
        parties.requireMembership(currentUser.require(), agencyId);
        FieldErrors errors = new FieldErrors();
        String title = errors.requiredText("title", input.title(), 200);
        List<ChecklistRepository.TaskSpec> tasks = specs(errors, "tasks", input.tasks(), agencyId, true);
        List<ChecklistRepository.TaskSpec> library = specs(errors, "library", input.library(), agencyId, false);
        errors.throwIfAny("Invalid service");
        long id = repository.insertService(agencyId, title, time.now());
        for (int i = 0; i < tasks.size(); i++) {
            repository.insertTemplate(id, false, i + 1, tasks.get(i));
        }
        for (int i = 0; i < library.size(); i++) {
            repository.insertTemplate(id, true, i + 1, library.get(i));
        }
        filters.ensureAgencyFilters(agencyId);
        return view(repository.service(id).orElseThrow());
    }

    /**
     * Replaces the service's tasks and library. A task that names the {@code id} of one of the
     * service's templates stays that template (orders copied from it follow its team at their
     * next billing cycle); templates left out are removed from the service.
     */
    @Transactional
    public ServiceView replaceTasks(String ref, ServiceInput input) {
        ChecklistRepository.AgencyService service = repository.lockService(ref).filter(this::isMember)
                .orElseThrow(() -> new NotFoundException("No service " + ref));
        FieldErrors errors = new FieldErrors();
        String title = input.title() == null ? service.title() : errors.requiredText("title", input.title(), 200);
        List<ChecklistRepository.TaskSpec> tasks = specs(errors, "tasks", input.tasks(), service.agencyId(), true);
        List<ChecklistRepository.TaskSpec> library = specs(errors, "library", input.library(), service.agencyId(), false);
        Set<Long> own = new HashSet<>();
        repository.templates(service.id()).forEach(t -> own.add(t.id()));
        checkIds(errors, "tasks", input.tasks(), own);
        checkIds(errors, "library", input.library(), own);
        errors.throwIfAny("Invalid service");
        List<Long> kept = new ArrayList<>();
        save(service.id(), false, input.tasks(), tasks, kept);
        save(service.id(), true, input.library(), library, kept);
        repository.removeTemplates(service.id(), kept);
        repository.touchService(service.id(), title, time.now());
        return view(repository.service(service.id()).orElseThrow());
    }

    public ServiceView get(String ref) {
        return view(repository.service(ref).filter(this::isMember).orElseThrow(() -> new NotFoundException("No service " + ref)));
    }

    public List<ServiceView> ofAgency(String agencyId) {
        parties.requireMembership(currentUser.require(), agencyId);
        return repository.servicesOf(agencyId).stream().map(this::view).toList();
    }

    private void save(long serviceId, boolean library, List<TaskInput> inputs, List<ChecklistRepository.TaskSpec> specs, List<Long> kept) {
        for (int i = 0; i < specs.size(); i++) {
            Long id = inputs.get(i).id();
            if (id == null) {
                kept.add(repository.insertTemplate(serviceId, library, i + 1, specs.get(i)));
            } else {
                repository.updateTemplate(id, library, i + 1, specs.get(i));
                kept.add(id);
            }
        }
    }

    private static void checkIds(FieldErrors errors, String field, List<TaskInput> inputs, Set<Long> own) {
        if (inputs == null) {
            return;
        }
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            Long id = inputs.get(i) == null ? null : inputs.get(i).id();
            if (id != null && (!own.contains(id) || !seen.add(id))) {
                errors.add(field + "[" + i + "].id", "exists", "no task " + id + " of this service (or named twice)");
            }
        }
    }

    private List<ChecklistRepository.TaskSpec> specs(FieldErrors errors, String field, List<TaskInput> inputs, String agencyId,
            boolean required) {
        if (inputs == null || inputs.isEmpty()) {
            if (required) {
                errors.add(field, "required", "a service needs at least one task");
            }
            return List.of();
        }
        if (inputs.size() > MAX_TASKS) {
            errors.add(field, "size", "must have at most " + MAX_TASKS + " tasks");
            return List.of();
        }
        List<ChecklistRepository.TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            TaskInput input = inputs.get(i);
            if (input == null) {
                errors.add(field + "[" + i + "]", "required", "must be a task");
                continue;
            }
            specs.add(input.validate(errors, field + "[" + i + "].", agencyId, parties));
        }
        return specs;
    }

    private boolean isMember(ChecklistRepository.AgencyService service) {
        return parties.isCompanyMember(currentUser.require(), service.agencyId());
    }

    ServiceView view(ChecklistRepository.AgencyService service) {
        List<ChecklistRepository.TemplateTask> templates = repository.templates(service.id());
        return new ServiceView(service.ref(), service.agencyId(), service.title(),
                templates.stream().filter(t -> !t.library()).map(AgencyServices::view).toList(),
                templates.stream().filter(ChecklistRepository.TemplateTask::library).map(AgencyServices::view).toList());
    }

    static TemplateView view(ChecklistRepository.TemplateTask t) {
        ChecklistRepository.TaskSpec s = t.spec();
        return new TemplateView(t.id(), s.name(), s.description(), s.deadlineDays(), s.deadlineFrom(), s.assignees(), s.visibleInPortal(),
                s.clientTask());
    }
}
