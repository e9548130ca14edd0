package dev.tokenservice.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver the tests run: records every request it gets and answers 204, or 500 where told to (a number of
 * times per webhook-id, or always under {@code /broken}), after a delay where told to. It listens on the port the
 * test profile put into the webhook URLs, a system property so both class loaders see the same one.
 */
final class WebhookReceiver {

    private static final String PORT_PROPERTY = "webhook.test.receiver-port";

    /** One request as it arrived, with the status it was answered. */
    record Received(String path, String id, String timestamp, String signature, String body, int status,
            Instant arrived) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private volatile long delayMillis;

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    /** The port of the receiver, chosen once per JVM. */
    static synchronized int port() {
        String port = System.getProperty(PORT_PROPERTY);
        if (port == null) {
            port = Integer.toString(freePort());
            System.setProperty(PORT_PROPERTY, port);
        }
        return Integer.parseInt(port);
    }

    /** A port that nothing listens on. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static WebhookReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port()), 50);
        WebhookReceiver receiver = new WebhookReceiver(server);
        server.createContext("/", receiver::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return receiver;
    }

    void stop() {
        server.stop(0);
    }

    /** The next {@code times} deliveries of this webhook-id get 500. */
    void failNext(String id, int times) {
        failures.put(id, new AtomicInteger(times));
    }

    void delay(long millis) {
        delayMillis = millis;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** What arrived with this webhook-id, in order. */
    List<Received> received(String id) {
        return received.stream().filter(r -> id.equals(r.id())).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Instant arrived = Instant.now();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        int status = status(exchange.getRequestURI().getPath(), id);
        sleep(delayMillis);
        received.add(new Received(exchange.getRequestURI().getPath(), id,
                exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                exchange.getRequestHeaders().getFirst("webhook-signature"), body, status, arrived));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private int status(String path, String id) {
        if (path.startsWith("/broken")) {
            return 500;
        }
        AtomicInteger left = id == null ? null : failures.get(id);
        return left != null && left.getAndDecrement() > 0 ? 500 : 204;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
