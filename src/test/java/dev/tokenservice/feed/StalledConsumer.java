package dev.tokenservice.feed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A consumer of the feed that sends its request over a plain socket with a small receive buffer, reads the head of
 * the answer, and then reads nothing: the consumer that never keeps up.
 */
final class StalledConsumer implements AutoCloseable {

    private final Socket socket;
    private final int status;

    private StalledConsumer(Socket socket, int status) {
        this.socket = socket;
        this.status = status;
    }

    /** Opens the feed as {@code client}, one of the test clients (their secrets are {@code <id>-secret}). */
    static StalledConsumer open(URI feed, String client) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(feed.getHost(), feed.getPort()), 5000);
        socket.setSoTimeout(10_000);
        String request = "GET " + feed.getPath() + " HTTP/1.1\r\nHost: " + feed.getHost() + ":" + feed.getPort()
                + "\r\nAccept: text/event-stream\r\nAuthorization: " + FeedStream.basic(client, client + "-secret")
                + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        String head = readHead(socket.getInputStream());
        return new StalledConsumer(socket, Integer.parseInt(head.split(" ", 3)[1]));
    }

    int status() {
        return status;
    }

    /**
     * Reads everything until the node closes the connection, and whether it closed it without ending the chunked
     * body (that is, cut it off); fails if the node keeps it open for {@code quiet} without sending anything.
     */
    boolean readUntilCutOff(Duration quiet) throws IOException {
        socket.setSoTimeout((int) quiet.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        String tail = "";
        try {
            int read;
            while ((read = in.read(buffer)) != -1) {
                tail = tail + new String(buffer, Math.max(0, read - 5), Math.min(read, 5), StandardCharsets.US_ASCII);
                tail = tail.substring(Math.max(0, tail.length() - 5));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the node kept the connection open, silent for " + quiet);
        } catch (SocketException e) {
            return true;
        }
        return !"0\r\n\r\n".equals(tail);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("the connection closed before the answer's head");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
