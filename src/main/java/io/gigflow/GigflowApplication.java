package io.gigflow;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GigflowApplication {

    public static void main(String[] args) {
        SpringApplication.run(GigflowApplication.class, args);
    }
}
