package io.gigflow.support;

import io.gigflow.identity.Parties;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;

/**
 * Companies and people for tests, with ids unique per call so tests sharing a Spring
 * context never see each other's data. Camunda ids are alphanumeric only.
 */
public final class Fixtures {

    /** Meets Camunda's password policy, which the postgres profile turns on. */
    public static final String PASSWORD = "Correct-Horse-42";
    private static final AtomicInteger counter = new AtomicInteger();

    private final IdentityService identityService;

    public Fixtures(IdentityService identityService) {
        this.identityService = identityService;
    }

    public static String unique(String prefix) {
        return prefix + counter.incrementAndGet() + Long.toString(System.nanoTime() % 100_000, 36);
    }

    /** A company (a group of type COMPANY) with one member; returns {companyId, memberId}. */
    public String[] company(String name) {
        String companyId = unique(name);
        Group group = identityService.newGroup(companyId);
        group.setName(name + " Ltd");
        group.setType(Parties.COMPANY_GROUP_TYPE);
        identityService.saveGroup(group);
        String member = person(unique(name + "staff"), companyId);
        return new String[] {companyId, member};
    }

    public String member(String companyId) {
        return person(unique("staff"), companyId);
    }

    public String contractor(String name) {
        return person(unique(name), Parties.CONTRACTORS_GROUP);
    }

    public String provider(String name) {
        return person(unique(name), Parties.PROVIDERS_GROUP);
    }

    public String customer(String name) {
        return person(unique(name), Parties.CUSTOMERS_GROUP);
    }

    public String fieldWorker(String name) {
        return person(unique(name), Parties.FIELD_WORKERS_GROUP);
    }

    /** A finance operator (group {@code finance}): confirms top-ups and withdrawals. */
    public String finance(String name) {
        return person(unique(name), Parties.FINANCE_GROUP);
    }

    public String client(String name) {
        return person(unique(name), Parties.CLIENTS_GROUP);
    }

    /** A member of the agency (company) who is also one of its admins (group {@code <agencyId>admins}). */
    public String agencyAdmin(String agencyId) {
        String adminsGroup = agencyId + Parties.AGENCY_ADMINS_SUFFIX;
        if (identityService.createGroupQuery().groupId(adminsGroup).count() == 0) {
            Group group = identityService.newGroup(adminsGroup);
            group.setName(agencyId + " admins");
            group.setType("AGENCY_ADMINS");
            identityService.saveGroup(group);
        }
        String admin = person(unique("admin"), agencyId);
        identityService.createMembership(admin, adminsGroup);
        return admin;
    }

    public String person(String id, String groupId) {
        User user = identityService.newUser(id);
        user.setFirstName(id.substring(0, 1).toUpperCase() + id.substring(1));
        user.setLastName("Tester");
        user.setEmail(id + "@example.test");
        user.setPassword(PASSWORD);
        identityService.saveUser(user);
        identityService.createMembership(id, groupId);
        return id;
    }

    /** Runs the action as this user, as the API's authentication filter would. */
    public <T> T as(String userId, Supplier<T> action) {
        List<String> groups = identityService.createGroupQuery().groupMember(userId).list().stream().map(Group::getId).toList();
        identityService.setAuthentication(userId, groups);
        try {
            return action.get();
        } finally {
            identityService.clearAuthentication();
        }
    }

    public void as(String userId, Runnable action) {
        as(userId, () -> {
            action.run();
            return null;
        });
    }
}
