package io.gigflow.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven through ChromeDriver, one browser per test class, for tests that use
 * Tasklist and Cockpit as people do.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final Browser BROWSER = new Browser();
 * </pre>
 *
 * <p>It uses the machine's browser and driver, Debian's packages {@code chromium} and
 * {@code chromium-driver} ({@value #DEFAULT_BINARY}, {@value #DEFAULT_DRIVER}; other paths
 * through {@code -Dgigflow.browser.binary} and {@code -Dgigflow.browser.driver}). The driver's
 * path is given to Selenium explicitly, so Selenium Manager never looks for or downloads a
 * driver or a browser. Without them the class is skipped with a message, so a developer
 * without a browser can still build; CI sets {@code -Dgigflow.requireBrowser=true}, which turns
 * the skip into a failure.
 *
 * <p>When a test fails, a screenshot and the page's HTML go to
 * {@code target/browser-screenshots/<class>.<method>.png|html}, next to ChromeDriver's log of
 * the class. The browser quits after the class's last test.
 */
public final class Browser implements ExecutionCondition, BeforeAllCallback, AfterTestExecutionCallback, AfterAllCallback {

    public static final String DEFAULT_BINARY = "/usr/bin/chromium";
    public static final String DEFAULT_DRIVER = "/usr/bin/chromedriver";
    public static final String REQUIRE_PROPERTY = "gigflow.requireBrowser";
    /** How long a page may take to show what a test waits for. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final Path SCREENSHOTS = Paths.get("target", "browser-screenshots");

    private volatile ChromeDriver driver;
    private volatile Path profile;

    private static Path binary() {
        return Paths.get(System.getProperty("gigflow.browser.binary", DEFAULT_BINARY));
    }

    private static Path driverExecutable() {
        return Paths.get(System.getProperty("gigflow.browser.driver", DEFAULT_DRIVER));
    }

    /** Null when both are there, else what is missing and how to install it. */
    private static String missing() {
        List<String> absent = java.util.stream.Stream.of(binary(), driverExecutable()).filter(p -> !Files.isExecutable(p))
                .map(Path::toString).toList();
        return absent.isEmpty() ? null
                : "no executable " + String.join(" and ", absent) + " (Debian: apt-get install chromium chromium-driver)";
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isPresent() || Boolean.getBoolean(REQUIRE_PROPERTY)) {
            return ConditionEvaluationResult.enabled(null);
        }
        String missing = missing();
        if (missing == null) {
            return ConditionEvaluationResult.enabled("Chromium and ChromeDriver are installed");
        }
        String reason = context.getDisplayName() + " needs a browser: " + missing + " (skipped; run with -D" + REQUIRE_PROPERTY
                + "=true to fail instead)";
        System.err.println("WARNING: " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (driver != null) {
            throw new IllegalStateException("Browser serves one test class; register it as a static field");
        }
        String missing = missing();
        if (missing != null) {
            throw new IllegalStateException(context.getDisplayName() + " needs a browser: " + missing
                    + (Boolean.getBoolean(REQUIRE_PROPERTY) ? " (" + REQUIRE_PROPERTY + "=true: browser tests are mandatory)" : ""));
        }
        profile = Files.createTempDirectory("gigflow-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driverExecutable().toFile())
                .usingAnyFreePort()
                .withLogFile(SCREENSHOTS.resolve("chromedriver-" + context.getRequiredTestClass().getSimpleName() + ".log")
                        .toFile())
                .build();
        Files.createDirectories(SCREENSHOTS);
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(TIMEOUT).scriptTimeout(TIMEOUT);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty() || driver == null) {
            return;
        }
        String name = context.getRequiredTestClass().getSimpleName() + "." + context.getTestMethod().map(Method::getName).orElse("test");
        try {
            Files.createDirectories(SCREENSHOTS);
            File png = driver.getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(png.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(SCREENSHOTS.resolve(name + ".html"), driver.getCurrentUrl() + "\n" + driver.getPageSource(),
                    StandardCharsets.UTF_8);
            System.err.println("browser screenshot of the failed test: " + target.toAbsolutePath());
        } catch (RuntimeException | IOException e) {
            System.err.println("no browser screenshot for " + name + ": " + e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            driver = null;
            if (profile != null) {
                try (var files = Files.walk(profile)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (UncheckedIOException | IOException e) {
                    // a leftover temporary profile is harmless
                }
                profile = null;
            }
        }
    }

    public WebDriver driver() {
        if (driver == null) {
            throw new IllegalStateException("no browser: it starts before all tests of the class");
        }
        return driver;
    }

    /** Opens a page of the application and forgets any earlier session (cookies and storage of that origin). */
    public void openFresh(String url) {
        driver().get(url);
        driver().manage().deleteAllCookies();
        ((JavascriptExecutor) driver()).executeScript("window.localStorage.clear(); window.sessionStorage.clear();");
        driver().get(url);
    }

    public <T> T await(String what, ExpectedCondition<T> condition) {
        return new WebDriverWait(driver(), TIMEOUT, Duration.ofMillis(200)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).ignoring(ElementClickInterceptedException.class).until(condition);
    }

    /** The first element matching {@code by} that is displayed, waiting for it. */
    public WebElement visible(String what, By by) {
        return await(what, d -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    /** Scrolls the first displayed and enabled element matching {@code by} into view and clicks it, once it is there. */
    public void click(String what, By by) {
        await(what, d -> {
            for (WebElement element : d.findElements(by)) {
                if (element.isDisplayed() && element.isEnabled()) {
                    // into the middle of the view: Tasklist's fixed footer covers the form's buttons at the bottom
                    ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
                    element.click();
                    return true;
                }
            }
            return null;
        });
    }

    /** {@code text} as an XPath string literal, also when it holds apostrophes ("The provider's delivery"). */
    public static String literal(String text) {
        if (!text.contains("'")) {
            return "'" + text + "'";
        }
        return "concat('" + text.replace("'", "', \"'\", '") + "')";
    }

    /**
     * Clicks the first displayed element matching {@code by} until {@code then} is displayed, and
     * returns that. A click on a list the page is still rendering can land on an element it then
     * replaces and do nothing; so while {@code then} has not appeared 5 s after a click and the
     * element is still shown, it is clicked again. For links that only open or show something.
     */
    public WebElement clickUntil(String what, By by, By then) {
        long[] clickedAt = {0};
        return await(what + ", then " + then, d -> {
            for (WebElement shown : d.findElements(then)) {
                if (shown.isDisplayed()) {
                    return shown;
                }
            }
            if (System.nanoTime() - clickedAt[0] < Duration.ofSeconds(5).toNanos() && clickedAt[0] != 0) {
                return null;
            }
            for (WebElement element : d.findElements(by)) {
                if (element.isDisplayed() && element.isEnabled()) {
                    ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
                    clickedAt[0] = System.nanoTime();
                    element.click();
                    return null;
                }
            }
            return null;
        });
    }

    /** Scrolls {@code element} into the middle of the view and clicks it, retrying while something covers it. */
    public void click(String what, WebElement element) {
        await(what, d -> {
            ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
            element.click();
            return true;
        });
    }

    /**
     * Signs in to a Camunda webapp (Tasklist, Cockpit, Admin) at {@code url} in a fresh session:
     * waits for its login page, types the credentials (again, should the page still be
     * rendering and drop keystrokes), submits, and waits until the login page is gone.
     */
    public void signInToCamunda(String url, String user, String password) {
        // a login typed while the page's scripts are still binding the form under load can be
        // submitted empty ("Login Failed"): such an attempt is made again, at most three times
        for (int attempt = 1; ; attempt++) {
            if (trySignIn(url, user, password)) {
                return;
            }
            if (attempt == 3) {
                throw new AssertionError("the login of " + user + " to " + url + " failed " + attempt + " times");
            }
            System.err.println("Browser: login of " + user + " to " + url + " failed (attempt " + attempt + "), trying again");
        }
    }

    private boolean trySignIn(String url, String user, String password) {
        openFresh(url);
        await("the login page of " + url, d -> d.getCurrentUrl().contains("#/login"));
        By username = By.cssSelector("input[ng-model=username]");
        By secret = By.cssSelector("input[ng-model=password]");
        await("the credentials typed into the login form", d -> {
            WebElement name = visible("the username field", username);
            WebElement pass = visible("the password field", secret);
            if (!user.equals(name.getDomProperty("value"))) {
                name.clear();
                name.sendKeys(user);
            }
            if (!password.equals(pass.getDomProperty("value"))) {
                pass.clear();
                pass.sendKeys(password);
            }
            return user.equals(name.getDomProperty("value")) && password.equals(pass.getDomProperty("value")) ? true : null;
        });
        click("the Log in button", By.cssSelector("button[type=submit]"));
        // (a condition answering false counts as "not yet" for the wait: the outcome is a word)
        String outcome = await("signed in to " + url + " as " + user + " (the login page gone) or the login refused", d -> {
            if (!d.findElements(By.xpath("//*[contains(@class,'alert')][contains(.,'Login Failed')]")).isEmpty()) {
                return "refused";
            }
            return d.getCurrentUrl().contains("#/login") ? null : "signed in";
        });
        return outcome.equals("signed in");
    }

    // ---- Tasklist's list and task view

    /** The filter with this name in Tasklist's filter list. */
    public static By tasklistFilter(String name) {
        return By.xpath("//*[contains(@class,'task-filter')]//h4[contains(normalize-space()," + literal(name) + ")]");
    }

    /** The link to the task with this id in Tasklist's task list. */
    public static By taskLink(String taskId) {
        return By.cssSelector(".tasks-list li.task h4 a[href*='" + taskId + "']");
    }

    /** A task offered to a group the user is in (not yet assigned): take it first. */
    public void claimIfOffered() {
        By claim = By.xpath("//*[contains(@class,'task-details')]//*[self::a or self::button][normalize-space()='Claim']");
        if (!driver().findElements(claim).stream().filter(WebElement::isDisplayed).toList().isEmpty()) {
            click("Claim", claim);
            visible("the task claimed (its Unclaim button)", By.cssSelector(".task-details button.unclaim"));
        }
    }

    // ---- Camunda Forms (form-js) as Tasklist renders them

    /** Waits until the form's input (or text area) with this label shows {@code value}. */
    public void awaitFormShows(String label, String value) {
        WebElement input = formField(label).findElement(By.cssSelector("input, textarea"));
        await("the field " + label + " shows " + value, d -> value.equals(input.getDomProperty("value")));
    }

    /** The form field with this label (a required field's label ends in a "*" of its own), waiting for it. */
    public WebElement formField(String label) {
        return visible("the form field " + label, formFieldBy(label));
    }

    public static By formFieldBy(String label) {
        return By.xpath("//div[contains(@class,'fjs-form-field ')][.//label[normalize-space(text()[1])=" + literal(label) + "]]");
    }

    /** Chooses {@code choice} of the radio group with this label. */
    public void chooseRadio(String label, String choice) {
        WebElement option = formField(label).findElement(By.xpath(".//label[normalize-space()=" + literal(choice) + "]//input[@type='radio']"));
        click("the choice " + choice, option);
        await(choice + " is chosen", d -> option.isSelected());
    }

    /** Chooses {@code choice} in the select with this label (form-js draws its own drop-down list). */
    public void chooseOption(String label, String choice) {
        WebElement select = formField(label);
        click("the select " + label, select.findElement(By.cssSelector(".fjs-input-group")));
        click("the option " + choice, By.xpath("//*[contains(@class,'fjs-dropdownlist-item')][normalize-space()=" + literal(choice) + "]"));
        await(choice + " is selected", d -> select.getText().contains(choice)
                || select.findElements(By.cssSelector("input")).stream().anyMatch(i -> choice.equals(i.getDomProperty("value"))));
    }

    /**
     * Chooses {@code hhmm} in the time list of the date-and-time field {@code field} (form-js draws its own list of
     * quarter hours): the list is opened (again, if it closed), the time scrolled into it and clicked. The open list
     * can overlap the form's next row, which a click's hit test may find on top; the list takes its choice on
     * mousedown, as from the pointer, and gets that event then.
     */
    public void chooseTime(WebElement field, String hhmm) {
        WebElement time = field.findElement(By.cssSelector("input[id$='-time']"));
        click("the time of " + field.getText().lines().findFirst().orElse("the field"), time);
        By item = By.xpath(".//*[contains(@class,'fjs-dropdownlist-item')][normalize-space()=" + literal(hhmm) + "]");
        await("the time " + hhmm + " in the list", d -> {
            List<WebElement> items = field.findElements(item);
            if (items.isEmpty()) {
                time.click();
                return null;
            }
            ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'nearest'});", items.get(0));
            try {
                items.get(0).click();
            } catch (ElementClickInterceptedException covered) {
                ((JavascriptExecutor) d).executeScript("arguments[0].dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));", items.get(0));
            }
            return true;
        });
        await("the time field shows " + hhmm, d -> hhmm.equals(time.getDomProperty("value")));
    }
}
