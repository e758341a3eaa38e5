package io.gigflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gigflow.identity.AdminPasswordCheck;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.SignInClient;
import java.util.Map;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.gigflow.support.PostgresDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The production profile on a real PostgreSQL: a fresh database per run, as an operator
 * would start it (only the admin password comes from here instead of the environment).
 * Needs PostgreSQL at 127.0.0.1:5432; skipped without it unless -Dgigflow.requirePostgres=true.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "camunda.bpm.admin-user.password=Postgres-Profile-Test-1",
        "camunda.bpm.generate-unique-process-engine-name=true",
        "logging.level.root=warn",
        "logging.level.io.gigflow=info"})
@ActiveProfiles("postgres")
@DirtiesContext // close the engine before its database is dropped
class PostgresProfileTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        POSTGRES.registerDataSource(registry);
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ProcessEngine processEngine;

    @Autowired
    IdentityService identityService;

    @Autowired
    RuntimeService runtimeService;

    @Autowired
    Environment environment;

    @Autowired
    ApplicationContext context;

    @Value("${camunda.bpm.admin-user.id}")
    String adminUserId;

    @LocalServerPort
    int port;

    @Test
    void runsOnTheFreshPostgresDatabase() {
        assertThat(jdbc.queryForObject("select current_database()", String.class)).isEqualTo(POSTGRES.name());
        assertThat(jdbc.queryForObject("select version()", String.class)).startsWith("PostgreSQL");
    }

    @Test
    void flywayMigratesTheDomainTables() {
        assertThat(tableExists("ledger_account")).as("table ledger_account").isTrue();
        assertThat(tableExists("gigflow_schema_history")).as("Flyway history table").isTrue();
        assertThat(jdbc.queryForObject("select count(*) from gigflow_schema_history where not success", Integer.class))
                .as("failed migrations").isZero();
        assertThat(jdbc.queryForObject("select count(*) from gigflow_schema_history where version = '1'", Integer.class))
                .as("V1 applied").isEqualTo(1);
    }

    @Test
    void theEngineKeepsItsTablesOnPostgres() {
        assertThat(processEngine.getProcessEngineConfiguration().getDatabaseType()).isEqualTo("postgres");
        for (String table : new String[] {"act_ge_property", "act_re_procdef", "act_ru_execution", "act_ru_job",
                "act_hi_procinst", "act_id_user", "act_ru_authorization"}) {
            assertThat(tableExists(table)).as("engine table %s", table).isTrue();
        }
        assertThat(jdbc.queryForList("select version_ from act_ge_schema_log", String.class))
                .as("engine schema versions").anyMatch(version -> version.startsWith("7.24"));
    }

    @Test
    void theAdminGroupHasItsAdministrator() {
        assertThat(identityService.createGroupQuery().groupId(Groups.CAMUNDA_ADMIN).count()).isEqualTo(1);
        assertThat(identityService.createUserQuery().memberOfGroup(Groups.CAMUNDA_ADMIN).list())
                .extracting(User::getId)
                .contains(adminUserId);
        assertThat(processEngine.getProcessEngineConfiguration().isAuthorizationEnabled()).isTrue();
    }

    @Test
    void startsWithoutDemoData() {
        assertThat(environment.getProperty("gigflow.demo.enabled", Boolean.class)).isFalse();
        // demo data brings demo users and running lifecycles; production starts with its administrators only
        assertThat(identityService.createUserQuery().list())
                .extracting(User::getId)
                .containsExactlyInAnyOrderElementsOf(identityService.createUserQuery().memberOfGroup(Groups.CAMUNDA_ADMIN)
                        .list().stream().map(User::getId).toList());
        assertThat(runtimeService.createProcessInstanceQuery().count()).as("running process instances").isZero();
    }

    /**
     * Two nodes started together both run the start-up tasks (groups, authorizations, Tasklist
     * filters) on one database: here the application's own runners, on two threads at once, a
     * few rounds. Neither may fail, and nothing may exist twice.
     */
    @Test
    void startUpTasksOfTwoNodesStartedTogetherBothSucceedAndCreateEverythingOnce() throws Exception {
        List<ApplicationRunner> runners = List.copyOf(context.getBeansOfType(ApplicationRunner.class).values());
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<?>> starts = new ArrayList<>();
                for (int node = 0; node < 2; node++) {
                    starts.add(nodes.submit(() -> {
                        together.await();
                        for (ApplicationRunner runner : runners) {
                            runner.run(new DefaultApplicationArguments());
                        }
                        return null;
                    }));
                }
                for (Future<?> start : starts) {
                    start.get(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            nodes.shutdownNow();
        }
        assertThat(jdbc.queryForList("select name_ from act_ru_filter group by name_ having count(*) > 1", String.class))
                .as("filters that exist twice").isEmpty();
        assertThat(jdbc.queryForList("""
                select resource_type_ || ' ' || resource_id_ from act_ru_authorization where type_ = 0
                group by resource_type_, resource_id_ having count(*) > 1""", String.class))
                .as("global authorizations that exist twice").isEmpty();
    }

    /**
     * Started as an operator would start it, but without a usable administrator password: the
     * start is refused with a message naming GIGFLOW_ADMIN_PASSWORD, before anything touches a
     * database (the URL names one that does not exist, so reaching it would fail differently).
     */
    @ParameterizedTest(name = "admin password {0}")
    @ValueSource(strings = {"missing", "blank", "placeholder", "weak"})
    void refusesToStartWithoutAUsableAdministratorPassword(String kind) {
        // an engine name of its own: the engine it builds before the check refuses would otherwise replace, then
        // unregister, the engine named "default" that other test contexts in this JVM serve their webapps with
        List<String> arguments = new ArrayList<>(List.of("--spring.main.banner-mode=off", "--server.port=0",
                "--camunda.bpm.generate-unique-process-engine-name=true",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/gigflow_never_created_" + kind,
                "--spring.datasource.username=" + POSTGRES.username()));
        switch (kind) {
            case "missing" -> assumeTrue(System.getenv("GIGFLOW_ADMIN_PASSWORD") == null, "GIGFLOW_ADMIN_PASSWORD is set here");
            case "blank" -> arguments.add("--camunda.bpm.admin-user.password= ");
            case "placeholder" -> arguments.add("--camunda.bpm.admin-user.password=${GIGFLOW_UNSET_" + kind.toUpperCase() + "}");
            case "weak" -> arguments.add("--camunda.bpm.admin-user.password=admin");
            default -> throw new IllegalArgumentException(kind);
        }

        assertThatThrownBy(() -> new SpringApplicationBuilder(GigflowApplication.class).profiles("postgres")
                .run(arguments.toArray(String[]::new)))
                .isInstanceOf(AdminPasswordCheck.MissingAdminPasswordException.class)
                .hasMessageContaining("GIGFLOW_ADMIN_PASSWORD")
                .hasMessageContaining(kind.equals("weak") ? "at least 10 characters" : "administrator password");
    }

    @Test
    void thePasswordPolicyIsOnAndFailedSignInsNeverLockForGood() {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) processEngine.getProcessEngineConfiguration();

        assertThat(configuration.isEnablePasswordPolicy()).isTrue();
        assertThat(configuration.getLoginMaxAttempts()).isEqualTo(Integer.MAX_VALUE);
        assertThat(configuration.getLoginDelayMaxTime()).isEqualTo(60);
    }

    @Test
    void aNewPasswordIsCheckedAgainstThePolicyAndRefusedNamingEachRuleItBreaks() {
        String alice = new Fixtures(identityService).contractor("alice");
        SignInClient client = new SignInClient(port, "192.0.2.71");
        try {
            Http.Response weak = client.put(alice, Fixtures.PASSWORD, "/api/me/password",
                    Http.json(Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", "short")));
            Http.Response strong = client.put(alice, Fixtures.PASSWORD, "/api/me/password",
                    Http.json(Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", "Longer-And-Mixed-7")));

            assertThat(weak.status()).as(weak.text()).isEqualTo(400);
            assertThat(weak.json().get("errors").findValuesAsText("rule")).contains("length", "uppercase", "digit", "special");
            assertThat(weak.text()).contains("at least 10 characters");
            assertThat(strong.status()).as(strong.text()).isEqualTo(204);
            assertThat(client.get(alice, "Longer-And-Mixed-7", "/api/me/balances").status()).isEqualTo(200);
        } finally {
            identityService.deleteUser(alice); // startsWithoutDemoData counts the users
        }
    }

    private boolean tableExists(String table) {
        Integer count = jdbc.queryForObject(
                "select count(*) from information_schema.tables where table_schema = current_schema() and table_name = ?",
                Integer.class, table);
        return count != null && count > 0;
    }
}
