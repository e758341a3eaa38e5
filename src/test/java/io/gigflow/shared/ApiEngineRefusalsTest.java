package io.gigflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.Variables.SerializationDataFormats;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The domain API answers the engine's refusals of what a call handed it with 400, like both
 * engine APIs (EngineRefusalsTest). No /api endpoint hands the engine raw values, so an
 * endpoint of this test's own does, over real HTTP, through the real authentication filter,
 * exception handler and engine. A context of its own (a uniquely named engine): it does not
 * share the context of the tests that extend WebTestBase.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ApiEngineRefusalsTest {

    @RestController
    static class EngineCalls {

        private final RuntimeService runtimeService;

        EngineCalls(RuntimeService runtimeService) {
            this.runtimeService = runtimeService;
        }

        @PostMapping("/api/test/engine-refusals/{kind}")
        void call(@PathVariable String kind) {
            switch (kind) {
                case "serialized" -> runtimeService.startProcessInstanceByKey("task-payout", Variables.createVariables()
                        .putValueTyped("x", Variables.serializedObjectValue("rO0ABXQAAWE=")
                                .serializationDataFormat(SerializationDataFormats.JAVA).objectTypeName("java.lang.String").create()));
                case "start-instruction" -> runtimeService.createProcessInstanceByKey("task-payout")
                        .startBeforeActivity("NoSuchStep").execute();
                default -> throw new IllegalStateException("unexpected " + kind);
            }
        }
    }

    @TestConfiguration
    static class Calls {

        @Bean
        EngineCalls engineCalls(RuntimeService runtimeService) {
            return new EngineCalls(runtimeService);
        }
    }

    @LocalServerPort int port;
    @Autowired IdentityService identityService;
    @Autowired RuntimeService runtimeService;

    @Test
    void aSerializedVariableOrAStartInstructionNamingNoElementIs400AndAnythingElseStays500() {
        // an operator: a party's call would stop at the engine's input guard (400 or 403) before the engine refuses it
        String someone = new Fixtures(identityService).person(Fixtures.unique("oscar"), "camunda-admin");
        Http http = new Http(port);
        long instances = runtimeService.createProcessInstanceQuery().count();

        Http.Response serialized = http.post(someone, "/api/test/engine-refusals/serialized", null);
        Http.Response instruction = http.post(someone, "/api/test/engine-refusals/start-instruction", null);
        Http.Response unexpected = http.post(someone, "/api/test/engine-refusals/other", null);

        assertThat(serialized.status()).as(serialized.text()).isEqualTo(400);
        assertThat(serialized.json().get("detail").asText()).contains("Java serialization format is prohibited");
        assertThat(instruction.status()).as(instruction.text()).isEqualTo(400);
        assertThat(instruction.json().get("detail").asText()).contains("NoSuchStep");
        assertThat(unexpected.status()).isEqualTo(500);
        assertThat(runtimeService.createProcessInstanceQuery().count()).isEqualTo(instances);
    }
}
