package io.gigflow.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.FileSystemUtils;

/**
 * The default install (H2 file database under ./data, demo data) killed with SIGKILL while clients
 * create, send and accept tasks, with and without Idempotency-Key, and started again on the same
 * folder: nothing answered is lost or done twice, every retry with a key answers its first answer,
 * the ledger is sound ({@link CrashRun}). The same on PostgreSQL: {@link CrashOnPostgresTest}.
 */
class CrashTest {

    private CrashRun run;
    private Path folder;

    @AfterEach
    void stopAndRemoveTheFolder() throws Exception {
        if (run != null) {
            run.stopNodes();
        }
        if (folder != null) {
            FileSystemUtils.deleteRecursively(folder);
        }
    }

    @Test
    void aKillOfTheDefaultInstallLosesNothingAnsweredAndARetryWithTheSameKeyAnswersTheFirstAnswer() throws Exception {
        folder = Files.createTempDirectory("gigflow-crash");
        String url = "jdbc:h2:file:" + folder.resolve("data").resolve("gigflow").toAbsolutePath() + ";WRITE_DELAY=0";
        run = new CrashRun("h2", List.of(), folder, () -> JdbcClient.create(new DriverManagerDataSource(url, "sa", "")));
        run.run();
    }
}
