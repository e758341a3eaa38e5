package io.gigflow.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.assertj.core.api.Assertions;

/**
 * A JDK HttpClient whose synchronous exchanges with /api/** are held to the API's description
 * ({@link ApiContract}), for tests that speak HTTP with the JDK's client rather than {@link Http}.
 */
public final class ContractCheckedHttpClient extends HttpClient {

    private final HttpClient client;

    private ContractCheckedHttpClient(HttpClient client) {
        this.client = client;
    }

    public static HttpClient of(HttpClient client) {
        return new ContractCheckedHttpClient(client);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        HttpResponse<T> response = client.send(request, handler);
        URI uri = request.uri();
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        if (ApiContract.covers(uri.getRawPath())) {
            byte[] body = response.body() instanceof byte[] bytes ? bytes
                    : response.body() instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : null;
            String violations = ApiContract.violations(uri.getScheme() + "://" + uri.getRawAuthority(), request.method(), path,
                    request.headers().map(), bodyOf(request), response.statusCode(), response.headers(), body);
            if (!violations.isEmpty()) {
                Assertions.fail(request.method() + " " + path + " answered " + response.statusCode()
                        + " outside the API's description (/v3/api-docs/gigflow):\n" + violations);
            }
        }
        return response;
    }

    /** The bytes a request's publisher sends (the JDK's publishers of strings and bytes hand them over at once). */
    private static byte[] bodyOf(HttpRequest request) {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        publisher.get().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
            }
        });
        return bytes.toByteArray();
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        throw new UnsupportedOperationException("only send() is held to the API's description");
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> push) {
        throw new UnsupportedOperationException("only send() is held to the API's description");
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return client.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return client.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return client.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return client.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return client.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return client.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return client.authenticator();
    }

    @Override
    public Version version() {
        return client.version();
    }

    @Override
    public Optional<Executor> executor() {
        return client.executor();
    }
}
