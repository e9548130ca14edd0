package dev.tokenservice.hostile;

import static io.restassured.RestAssured.given;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tokenservice.Problems;
import io.restassured.RestAssured;
import io.restassured.builder.ResponseBuilder;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.Header;
import io.restassured.http.Headers;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * HTTP for the hostile suites: RestAssured with timeouts (a hang fails the row instead of stalling the build), a raw
 * socket client for requests RestAssured would normalise, and problem assertions that allow several outcomes.
 */
final class Http {

    static final int TIMEOUT_MS = 30_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RestAssuredConfig CONFIG = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.connection.timeout", 5_000)
            .setParam("http.socket.timeout", TIMEOUT_MS));

    private Http() {
    }

    static RequestSpecification request() {
        return given().config(CONFIG);
    }

    static RequestSpecification bearer(String token) {
        return request().header("Authorization", "Bearer " + token);
    }

    static byte[] json(Map<String, ?> body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Response post(String path, String contentType, byte[] body) {
        return request().contentType(contentType).body(body).post(path);
    }

    static Response postJson(String path, Map<String, ?> body) {
        return post(path, "application/json", json(body));
    }

    static Response postJson(String path, String body) {
        return post(path, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------------------------------------------------
    // raw HTTP/1.1 over a socket: the request line and headers go out exactly as written

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body}; reads to EOF. */
    static Response raw(String method, String target, List<String> headers, byte[] body) throws IOException {
        URI base = URI.create(RestAssured.baseURI);
        int port = RestAssured.port;
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(base.getHost()).append(':').append(port).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach(h -> head.append(h).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = connect(base.getHost(), port)) {
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    for (int offset = 0; offset < body.length; offset += 64 * 1024) {
                        out.write(body, offset, Math.min(64 * 1024, body.length - offset));
                    }
                } catch (IOException e) {
                    // the server may answer and close before reading everything; its answer is what counts
                }
            }
            out.flush();
            return parse(readAll(socket.getInputStream()));
        }
    }

    private static Socket connect(String host, int port) throws IOException {
        IOException last = null;
        for (InetAddress address : InetAddress.getAllByName(host)) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), 5_000);
                return socket;
            } catch (IOException e) {
                socket.close();
                last = e;
            }
        }
        throw last != null ? last : new IOException("cannot resolve " + host);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n; (n = in.read(chunk)) != -1;) {
                buffer.write(chunk, 0, n);
            }
        } catch (IOException e) {
            if (buffer.size() == 0) {
                throw e;
            }
        }
        return buffer.toByteArray();
    }

    private static Response parse(byte[] bytes) throws IOException {
        int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (end < 0) {
            throw new IOException("no complete HTTP response: " + new String(bytes, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String statusLine = lines[0];
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        List<Header> headers = new ArrayList<>();
        String contentType = null;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).trim();
            String value = lines[i].substring(colon + 1).trim();
            headers.add(new Header(name, value));
            if (name.equalsIgnoreCase("Content-Type")) {
                contentType = value;
            }
            if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        byte[] body = Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if (chunked) {
            body = dechunk(body);
        }
        ResponseBuilder builder = new ResponseBuilder().setStatusCode(status).setStatusLine(statusLine)
                .setHeaders(new Headers(headers)).setBody(body);
        if (contentType != null) {
            builder.setContentType(contentType);
        } else {
            builder.setContentType("");
        }
        return builder.build();
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (pos < body.length) {
            int lineEnd = indexOf(Arrays.copyOfRange(body, pos, body.length), new byte[] { '\r', '\n' });
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(body, pos, lineEnd, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            pos += lineEnd + 2;
            if (size == 0) {
                break;
            }
            out.write(body, pos, Math.min(size, body.length - pos));
            pos += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ---------------------------------------------------------------------------------------------------------
    // assertions

    /** One acceptable answer: a status and the problem types that may come with it. */
    record Outcome(int status, List<String> types) {
    }

    /**
     * Asserts a problem response matching one of the outcomes (status, one of its types, the problem shape through
     * {@link Problems#assertProblem}, and {@code WWW-Authenticate: Bearer} on a 401).
     */
    static void assertProblemAmong(Response response, Outcome... allowed) {
        String type = typeOf(response);
        Outcome chosen = null;
        String chosenType = null;
        for (Outcome outcome : allowed) {
            if (outcome.status() != response.statusCode()) {
                continue;
            }
            if (chosen == null) {
                chosen = outcome;
                chosenType = outcome.types().get(0);
            }
            if (type != null && outcome.types().contains(type)) {
                chosen = outcome;
                chosenType = type;
                break;
            }
        }
        if (chosen == null) {
            throw new AssertionError("status " + response.statusCode() + " is none of "
                    + Arrays.stream(allowed).map(o -> String.valueOf(o.status())).collect(Collectors.joining(", ")));
        }
        if (!chosen.types().contains(type)) {
            throw new AssertionError("problem type " + type + " is none of " + chosen.types());
        }
        Problems.assertProblem(response, chosen.status(), chosenType.substring("urn:token-service:problem:".length()));
        if (chosen.status() == 401) {
            response.then().header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
        }
    }

    static Outcome problem(int status, String... typeSuffixes) {
        return new Outcome(status, Arrays.stream(typeSuffixes).map(t -> "urn:token-service:problem:" + t).toList());
    }

    private static String typeOf(Response response) {
        try {
            Object type = response.jsonPath().get("type");
            return type instanceof String s ? s : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The response as observed, for failure messages: status line, headers, body (cut at 2,000 characters). */
    static String describe(Response response) {
        String body = response.asString();
        if (body.length() > 2000) {
            body = body.substring(0, 2000) + "... (" + body.length() + " characters)";
        }
        // a raw response without Content-Type gets an empty one from ResponseBuilder: not what the server sent
        String headers = response.headers().asList().stream()
                .filter(h -> !(h.getName().equalsIgnoreCase("Content-Type") && h.getValue().isEmpty()))
                .map(h -> h.getName() + ": " + h.getValue())
                .collect(Collectors.joining("\n  "));
        return response.statusLine() + "\n  " + headers + "\n  body: " + (body.isEmpty() ? "(empty)" : body);
    }

    /** Runs the assertion; on failure the message carries the observed response. */
    static void checkObserved(Response response, Runnable assertion) {
        try {
            assertion.run();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage().strip() + "\nobserved: " + describe(response), e);
        }
    }

    /** As {@link #checkObserved(Response, Runnable)}, with the row's name first in the message. */
    static void checkRow(String row, Response response, Runnable assertion) {
        try {
            checkObserved(response, assertion);
        } catch (AssertionError e) {
            throw new AssertionError("[" + row + "] " + e.getMessage(), e.getCause());
        }
    }
}
