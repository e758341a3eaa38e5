package io.gigflow.support;

import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.MethodExecutionContext;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Counts the work the application does, independent of how fast the machine is: SQL statements
 * by kind (select, insert, update, delete) and by owner (the engine's {@code ACT_*} tables or
 * gigflow's own), rows written, engine commands, process variables written and history events
 * written. A benchmark or test adds {@link Install} to the application it starts; the data source
 * is wrapped by datasource-proxy and the engine's command chain gets a counting interceptor.
 *
 * <p>Not counted: the job executor's polling for due jobs ({@code AcquireJobsCmd} and what runs
 * inside it; how often it polls depends on time, not on the work) and statements a caller runs
 * inside {@link #uncounted} (a benchmark's own progress queries).
 *
 * <p>Counting costs CPU (a proxy around every JDBC call, the statement's classification), more
 * for the run that does more statements; a benchmark that measures CPU time turns it off for
 * that run ({@link #setActive}): connections then come from the pool without the proxy.
 */
public final class WorkCounts {

    /** Engine commands that poll rather than work: their statements are not counted. */
    private static final List<String> POLLING = List.of("AcquireJobsCmd");

    private static final Pattern ENGINE_TABLE = Pattern.compile("\\bACT_[A-Z_]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern INSERT_TABLE = Pattern.compile("^\\s*insert\\s+into\\s+([A-Za-z0-9_\\.\"]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern UPDATE_TABLE = Pattern.compile("^\\s*update\\s+([A-Za-z0-9_\\.\"]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern DELETE_TABLE = Pattern.compile("^\\s*delete\\s+from\\s+([A-Za-z0-9_\\.\"]+)", Pattern.CASE_INSENSITIVE);
    /** A select's first table: what {@code -Dbenchmark.details} lists selects by. */
    private static final Pattern SELECT_TABLE = Pattern.compile("\\bfrom\\s+([A-Za-z0-9_\\.\"]+)", Pattern.CASE_INSENSITIVE);

    private static final ThreadLocal<Deque<String>> COMMANDS = ThreadLocal.withInitial(ArrayDeque::new);
    private static final ThreadLocal<Boolean> UNCOUNTED = ThreadLocal.withInitial(() -> false);
    /** Whether the statement this thread ran last was the engine's: rows a later getUpdateCount reports belong to it. */
    private static final ThreadLocal<String> LAST_OWNER = new ThreadLocal<>();
    /** Where {@link #statementsOf} collects this thread's statements, while it does. */
    private static final ThreadLocal<List<String>> RECORDED = new ThreadLocal<>();

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    /** A statement's owner, kind and table, worked out once per distinct SQL text. */
    private final Map<String, String[]> classified = new ConcurrentHashMap<>();
    private volatile boolean active = true;

    /** Counts from now on ({@code true}, the default) or does nothing and stays out of the JDBC path. */
    public void setActive(boolean active) {
        this.active = active;
    }

    public boolean isActive() {
        return active;
    }

    /** Runs {@code work} without counting its statements (a benchmark's own queries). */
    public static <T> T uncounted(Callable<T> work) throws Exception {
        boolean before = UNCOUNTED.get();
        UNCOUNTED.set(true);
        try {
            return work.call();
        } finally {
            UNCOUNTED.set(before);
        }
    }

    /**
     * The SQL texts {@code work} ran on this thread, in order (counted or not): what a test holds
     * one call's statements to.
     */
    public static List<String> statementsOf(Runnable work) {
        List<String> before = RECORDED.get();
        List<String> recorded = new ArrayList<>();
        RECORDED.set(recorded);
        try {
            work.run();
        } finally {
            RECORDED.set(before);
        }
        return recorded;
    }

    /** Every counter's value now. */
    public Snapshot snapshot() {
        Map<String, Long> values = new TreeMap<>();
        counters.forEach((name, value) -> values.put(name, value.sum()));
        return new Snapshot(values);
    }

    private void add(String name, long amount) {
        counters.computeIfAbsent(name, n -> new LongAdder()).add(amount);
    }

    private boolean counting() {
        if (!active || UNCOUNTED.get()) {
            return false;
        }
        Deque<String> commands = COMMANDS.get();
        return commands.isEmpty() || !POLLING.contains(commands.peekLast());
    }

    void statement(String sql, int times) {
        List<String> recording = RECORDED.get();
        if (recording != null) {
            recording.add(sql);
        }
        if (!counting()) {
            LAST_OWNER.remove();
            return;
        }
        String[] statement = classified.computeIfAbsent(sql, text -> {
            String kind = kind(text);
            return new String[] {ENGINE_TABLE.matcher(text).find() ? "engine" : "domain", kind, table(text, kind)};
        });
        String owner = statement[0];
        String kind = statement[1];
        LAST_OWNER.set(owner);
        add("sql." + owner + "." + kind, times);
        add("sql." + owner, times);
        add("sql", times);
        String table = statement[2];
        if (table != null) {
            add(kind + "." + table, times);
            if (table.startsWith("ACT_HI_") && kind.equals("insert")) {
                add("history.events", times);
            }
            if (table.equals("ACT_RU_VARIABLE") && (kind.equals("insert") || kind.equals("update"))) {
                add("variables.written", times);
            }
        }
    }

    void rowsWritten(long rows) {
        String owner = LAST_OWNER.get();
        if (owner != null && rows > 0) {
            add("rows." + owner, rows);
            add("rows", rows);
        }
    }

    void command(String name) {
        if (counting() && !POLLING.contains(name)) {
            add("commands", 1);
            add("command." + name, 1);
        }
    }

    private static String kind(String sql) {
        String start = sql.stripLeading().toLowerCase(Locale.ROOT);
        for (String kind : List.of("select", "insert", "update", "delete")) {
            if (start.startsWith(kind)) {
                return kind;
            }
        }
        return start.startsWith("with") ? "select" : "other";
    }

    private static String table(String sql, String kind) {
        Pattern pattern = switch (kind) {
            case "insert" -> INSERT_TABLE;
            case "update" -> UPDATE_TABLE;
            case "delete" -> DELETE_TABLE;
            case "select" -> SELECT_TABLE;
            default -> null;
        };
        if (pattern == null) {
            return null;
        }
        Matcher matcher = pattern.matcher(sql);
        return matcher.find() ? matcher.group(1).replace("\"", "").toUpperCase(Locale.ROOT) : null;
    }

    /** Counter values at one moment; {@link #minus} gives the work between two. */
    public record Snapshot(Map<String, Long> values) {

        public long get(String name) {
            return values.getOrDefault(name, 0L);
        }

        public Snapshot minus(Snapshot earlier) {
            Map<String, Long> difference = new TreeMap<>();
            values.forEach((name, value) -> {
                long delta = value - earlier.get(name);
                if (delta != 0) {
                    difference.put(name, delta);
                }
            });
            return new Snapshot(difference);
        }

        /** This count divided by {@code lifecycles}. */
        public double per(String name, int lifecycles) {
            return get(name) / (double) lifecycles;
        }
    }

    /** Add to the application's sources to count its work; the {@link WorkCounts} bean holds the figures. */
    @Configuration(proxyBeanMethods = false)
    public static class Install {

        @Bean
        WorkCounts workCounts() {
            return new WorkCounts();
        }

        @Bean
        static BeanPostProcessor countingDataSource(org.springframework.beans.factory.ObjectProvider<WorkCounts> counts) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof DataSource dataSource && !(bean instanceof net.ttddyy.dsproxy.support.ProxyDataSource)) {
                        WorkCounts work = counts.getObject();
                        DataSource counting = ProxyDataSourceBuilder.create(dataSource).name(beanName)
                                .listener(new QueryExecutionListener() {
                                    @Override
                                    public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
                                    }

                                    @Override
                                    public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queries) {
                                        for (QueryInfo query : queries) {
                                            work.statement(query.getQuery(), Math.max(1, query.getParametersList().size()));
                                        }
                                    }
                                })
                                .methodListener(new MethodExecutionListener() {
                                    @Override
                                    public void beforeMethod(MethodExecutionContext context) {
                                    }

                                    @Override
                                    public void afterMethod(MethodExecutionContext context) {
                                        if (!(context.getTarget() instanceof Statement) || context.getThrown() != null) {
                                            return;
                                        }
                                        Object result = context.getResult();
                                        switch (context.getMethod().getName()) {
                                            case "executeUpdate", "executeLargeUpdate", "getUpdateCount", "getLargeUpdateCount" -> {
                                                if (result instanceof Number rows) {
                                                    work.rowsWritten(rows.longValue());
                                                }
                                            }
                                            case "executeBatch" -> {
                                                if (result instanceof int[] rows) {
                                                    for (int row : rows) {
                                                        work.rowsWritten(row);
                                                    }
                                                }
                                            }
                                            default -> {
                                            }
                                        }
                                    }
                                })
                                .build();
                        return new org.springframework.jdbc.datasource.DelegatingDataSource(dataSource) {
                            @Override
                            public java.sql.Connection getConnection() throws java.sql.SQLException {
                                return work.isActive() ? counting.getConnection() : super.getConnection();
                            }

                            @Override
                            public java.sql.Connection getConnection(String username, String password) throws java.sql.SQLException {
                                return work.isActive() ? counting.getConnection(username, password) : super.getConnection(username, password);
                            }
                        };
                    }
                    return bean;
                }
            };
        }

        @Bean
        AbstractProcessEnginePlugin countingCommands(WorkCounts work) {
            return new AbstractProcessEnginePlugin() {
                @Override
                public void preInit(ProcessEngineConfigurationImpl configuration) {
                    List<CommandInterceptor> interceptors = new java.util.ArrayList<>();
                    if (configuration.getCustomPreCommandInterceptorsTxRequired() != null) {
                        interceptors.addAll(configuration.getCustomPreCommandInterceptorsTxRequired());
                    }
                    interceptors.add(0, new CommandInterceptor() {
                        @Override
                        public <T> T execute(Command<T> command) {
                            if (!work.isActive()) {
                                return next.execute(command);
                            }
                            String name = command.getClass().getSimpleName();
                            Deque<String> stack = COMMANDS.get();
                            if (stack.isEmpty() || !POLLING.contains(stack.peekLast())) {
                                work.command(name);
                            }
                            // the outermost command (the deque's last) decides whether what runs inside it counts
                            stack.push(name);
                            try {
                                return next.execute(command);
                            } finally {
                                stack.pop();
                            }
                        }
                    });
                    configuration.setCustomPreCommandInterceptorsTxRequired(interceptors);
                }
            };
        }
    }
}
