package io.gigflow.identity;

import io.gigflow.shared.NotFoundException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Who the parties are: companies are Camunda groups of type {@value #COMPANY_GROUP_TYPE},
 * contractors, providers and customers are Camunda users in the groups {@value #CONTRACTORS_GROUP},
 * {@value #PROVIDERS_GROUP} and {@value #CUSTOMERS_GROUP}. One identity for
 * Tasklist, /engine-rest and the domain API.
 *
 * <p>Lookups run without the caller's authorizations: a contractor may not list users, yet
 * the platform must find the company's members to notify them.
 *
 * <p>Within one transaction a company, a person and a membership found once are not looked up
 * again: one request or step asked the identity tables the same questions several times (the
 * caller's membership in the controller, in the use case and in the process step). Only what
 * exists is remembered, so a group or membership created later in the same transaction is
 * still found. Across transactions, a company's and a person's name and address are kept for a
 * short while ({@link KnownParties}, forgotten on every identity write); memberships never are.
 */
@Service
public class Parties {

    public static final String COMPANY_GROUP_TYPE = "COMPANY";
    public static final String CONTRACTORS_GROUP = "contractors";
    public static final String PROVIDERS_GROUP = "providers";
    public static final String CUSTOMERS_GROUP = "customers";
    /** Clients of agencies (order-checklist); an agency is a company group. */
    public static final String CLIENTS_GROUP = "clients";
    /** Field workers (field-assignment; Camunda ids are letters and digits only, hence no hyphen): they apply for clients' on-site assignments. */
    public static final String FIELD_WORKERS_GROUP = "fieldworkers";
    /** The platform's finance operators: they confirm money arriving (top-ups) and leaving (withdrawals). */
    public static final String FINANCE_GROUP = "finance";
    /** An agency's admins are the members of the group {@code <agencyId>admins} (see {@link #isAgencyAdmin}). */
    public static final String AGENCY_ADMINS_SUFFIX = "admins";

    public record Company(String id, String name) {
    }

    public record Person(String id, String name, String email) {
    }

    private final IdentityService identityService;
    private final KnownParties known;

    Parties(IdentityService identityService, KnownParties known) {
        this.identityService = identityService;
        this.known = known;
    }

    public Optional<Company> company(String companyId) {
        return remembered("company:" + companyId, () -> known.get("company:" + companyId, () -> asSystem(() -> {
            Group group = identityService.createGroupQuery().groupId(companyId).groupType(COMPANY_GROUP_TYPE).singleResult();
            return Optional.ofNullable(group).map(g -> new Company(g.getId(), g.getName() == null ? g.getId() : g.getName()));
        })), Optional::isPresent);
    }

    /** How people see a company: its name, or its id when no company group of that id exists. */
    public String companyName(String companyId) {
        return company(companyId).map(Company::name).orElse(companyId);
    }

    /** How people see a person: the full name, or the id when no user of that id exists. */
    public String personName(String userId) {
        return person(userId).map(Person::name).orElse(userId);
    }

    public Optional<Person> person(String userId) {
        return remembered("person:" + userId, () -> known.get("person:" + userId, () -> asSystem(() -> {
            User user = identityService.createUserQuery().userId(userId).singleResult();
            return Optional.ofNullable(user).map(Parties::toPerson);
        })), Optional::isPresent);
    }

    public boolean isContractor(String userId) {
        return isMember(userId, CONTRACTORS_GROUP);
    }

    public boolean isProvider(String userId) {
        return isMember(userId, PROVIDERS_GROUP);
    }

    public boolean isCustomer(String userId) {
        return isMember(userId, CUSTOMERS_GROUP);
    }

    public boolean isFieldWorker(String userId) {
        return isMember(userId, FIELD_WORKERS_GROUP);
    }

    public boolean isClient(String userId) {
        return isMember(userId, CLIENTS_GROUP);
    }

    /** A finance operator, who confirms or rejects money entering and leaving the platform. */
    public boolean isFinance(String userId) {
        return isMember(userId, FINANCE_GROUP);
    }

    /** A member of the agency (company) who is also in the group {@code <agencyId>admins}. */
    public boolean isAgencyAdmin(String userId, String agencyId) {
        return isCompanyMember(userId, agencyId) && isMember(userId, agencyId + AGENCY_ADMINS_SUFFIX);
    }

    /** The companies (groups of type COMPANY) the user is a member of. */
    public List<String> companiesOf(String userId) {
        return asSystem(() -> identityService.createGroupQuery().groupMember(userId).groupType(COMPANY_GROUP_TYPE)
                .listPage(0, 500).stream().map(Group::getId).toList());
    }

    public boolean isCompanyMember(String userId, String companyId) {
        return company(companyId).isPresent() && isMember(userId, companyId);
    }

    /** The company, when the user is one of its members; otherwise it does not exist for them (404). */
    public Company requireMembership(String userId, String companyId) {
        return company(companyId).filter(c -> isMember(userId, companyId))
                .orElseThrow(() -> new NotFoundException("No company " + companyId + " that you are a member of"));
    }

    public List<Person> companyMembers(String companyId) {
        return asSystem(() -> identityService.createUserQuery().memberOfGroup(companyId).orderByUserId().asc()
                .listPage(0, 500).stream().map(Parties::toPerson).toList());
    }

    public List<String> groupsOf(String userId) {
        return asSystem(() -> identityService.createGroupQuery().groupMember(userId).listPage(0, 500).stream()
                .map(Group::getId).toList());
    }

    public boolean checkPassword(String userId, String password) {
        return asSystem(() -> identityService.checkPassword(userId, password));
    }

    private boolean isMember(String userId, String groupId) {
        return remembered("member:" + userId + "\n" + groupId,
                () -> asSystem(() -> identityService.createUserQuery().userId(userId).memberOfGroup(groupId).count() > 0),
                Boolean::booleanValue);
    }

    /** The answer found earlier in this transaction, or the lookup's (kept when {@code keep} says so). */
    @SuppressWarnings("unchecked")
    private static <T> T remembered(String key, Supplier<T> lookup, Predicate<T> keep) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return lookup.get();
        }
        Map<String, Object> answers = (Map<String, Object>) TransactionSynchronizationManager.getResource(Parties.class);
        if (answers == null) {
            Map<String, Object> fresh = new HashMap<>();
            TransactionSynchronizationManager.bindResource(Parties.class, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(Parties.class);
                }
            });
            answers = fresh;
        }
        Object known = answers.get(key);
        if (known != null) {
            return (T) known;
        }
        T answer = lookup.get();
        if (keep.test(answer)) {
            answers.put(key, answer);
        }
        return answer;
    }

    private static Person toPerson(User user) {
        String name = ((user.getFirstName() == null ? "" : user.getFirstName()) + " "
                + (user.getLastName() == null ? "" : user.getLastName())).strip();
        return new Person(user.getId(), name.isEmpty() ? user.getId() : name, user.getEmail());
    }

    private <T> T asSystem(Supplier<T> lookup) {
        Authentication caller = identityService.getCurrentAuthentication();
        if (caller == null) {
            return lookup.get();
        }
        identityService.clearAuthentication();
        try {
            return lookup.get();
        } finally {
            identityService.setAuthentication(caller);
        }
    }
}
