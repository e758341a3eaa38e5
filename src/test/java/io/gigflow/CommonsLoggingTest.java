package io.gigflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;

/**
 * The start-up log has no "Standard Commons Logging discovery in action with spring-jcl" warning:
 * the Commons Logging API comes from Spring's spring-jcl alone, and the commons-logging jar (which
 * PDFBox would bring along) is not on the class path.
 */
class CommonsLoggingTest {

    @Test
    void theCommonsLoggingApiComesFromSpringJclAndTheCommonsLoggingJarIsNotOnTheClassPath() {
        String source = LogFactory.class.getProtectionDomain().getCodeSource().getLocation().toString();

        assertThat(source).contains("spring-jcl");
        assertThat(getClass().getClassLoader().getResource("META-INF/maven/commons-logging/commons-logging/pom.properties")).isNull();
        assertThat(System.getProperty("java.class.path")).doesNotContain("/commons-logging/commons-logging/");
    }
}
