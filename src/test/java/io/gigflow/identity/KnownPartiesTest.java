package io.gigflow.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A company's and a person's name and address are kept across transactions for a short while,
 * and forgotten as soon as the identity changes through any door (the Java API, Camunda's
 * /engine-rest); what was not found is never kept, and memberships are always asked afresh.
 */
class KnownPartiesTest extends WebTestBase {

    @Autowired IdentityService identityService;
    @Autowired Parties parties;
    @Autowired JdbcClient jdbc;

    @Test
    void aNameIsKeptAcrossTransactionsUntilTheIdentityChanges() {
        Fixtures fixtures = new Fixtures(identityService);
        String alice = fixtures.contractor("alice");
        assertThat(parties.person(alice).map(Parties.Person::name)).contains(capitalized(alice) + " Tester");

        // a change behind the engine's back is not seen: the name is kept (and nobody writes identity tables that way)
        jdbc.sql("update ACT_ID_USER set FIRST_ = 'Hidden' where ID_ = :id").param("id", alice).update();
        assertThat(parties.person(alice).map(Parties.Person::name)).contains(capitalized(alice) + " Tester");

        // a change through the engine is seen at once
        User user = identityService.createUserQuery().userId(alice).singleResult();
        user.setFirstName("Alicia");
        user.setEmail("alicia@example.test");
        identityService.saveUser(user);
        assertThat(parties.person(alice)).map(Parties.Person::email).contains("alicia@example.test");
        assertThat(parties.person(alice).map(Parties.Person::name)).contains("Alicia Tester");

        identityService.deleteUser(alice);
        assertThat(parties.person(alice)).isEmpty();
    }

    @Test
    void aChangeThroughEngineRestIsSeenAtOnceAndAMembershipIsNeverKept() {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String bob = fixtures.contractor("bob");
        assertThat(parties.company(acme[0]).map(Parties.Company::name)).contains("acme Ltd");
        assertThat(parties.person(bob).map(Parties.Person::name)).contains(capitalized(bob) + " Tester");
        assertThat(parties.isCompanyMember(acme[1], acme[0])).isTrue();

        String operator = fixtures.person(Fixtures.unique("oscar"), "camunda-admin");
        Http http = new Http(port);
        assertThat(http.put(operator, "/engine-rest/group/" + acme[0], """
                {"id":"%s","name":"Acme Holdings","type":"COMPANY"}""".formatted(acme[0])).status()).isEqualTo(204);
        assertThat(http.put(operator, "/engine-rest/user/" + bob + "/profile", """
                {"id":"%s","firstName":"Robert","lastName":"Tester","email":"robert@example.test"}""".formatted(bob)).status())
                .isEqualTo(204);
        assertThat(http.delete(operator, "/engine-rest/group/" + acme[0] + "/members/" + acme[1]).status()).isEqualTo(204);

        assertThat(parties.company(acme[0]).map(Parties.Company::name)).contains("Acme Holdings");
        assertThat(parties.person(bob).map(Parties.Person::name)).contains("Robert Tester");
        assertThat(parties.isCompanyMember(acme[1], acme[0])).isFalse();
    }

    @Test
    void nothingNotFoundIsKeptAndAnAnswerReadWhileAWriteCommittedIsNot() {
        String carol = Fixtures.unique("carol");
        assertThat(parties.person(carol)).isEmpty();
        new Fixtures(identityService).person(carol, Parties.CONTRACTORS_GROUP);
        assertThat(parties.person(carol)).isPresent();

        KnownParties known = new KnownParties(Duration.ofMinutes(1));
        AtomicInteger lookups = new AtomicInteger();
        assertThat(known.get("person:x", () -> {
            lookups.incrementAndGet();
            known.forgetAll(); // an identity write committed while this look-up ran
            return Optional.of("old");
        })).contains("old");
        assertThat(known.get("person:x", () -> Optional.of("new" + lookups.incrementAndGet()))).contains("new2");
        assertThat(known.get("person:x", () -> Optional.of("never asked"))).contains("new2");

        KnownParties keepingNothing = new KnownParties(Duration.ZERO);
        assertThat(keepingNothing.get("k", () -> Optional.of("a"))).contains("a");
        assertThat(keepingNothing.get("k", () -> Optional.of("b"))).contains("b");
    }

    private static String capitalized(String id) {
        return id.substring(0, 1).toUpperCase() + id.substring(1);
    }
}
