package dev.tokenservice.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback between one node and its Redis, to cut or stall that node's link alone:
 * {@link #cut()} resets every connection and refuses new ones, {@link #stall()} keeps connections open but
 * forwards nothing (a link that hangs without a reset), {@link #restore()} resets whatever is held and
 * forwards again.
 */
final class LinkProxy implements AutoCloseable {

    private enum Mode { PASS, CUT, STALL }

    private final int targetPort;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.PASS;

    LinkProxy(int listenPort, int targetPort) {
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(this::accept, "link-proxy-" + listenPort);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    void cut() {
        mode = Mode.CUT;
        resetAll();
    }

    void stall() {
        mode = Mode.STALL;
    }

    void restore() {
        resetAll();
        mode = Mode.PASS;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        resetAll();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (mode == Mode.CUT) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // a refused or closed connection: the next accept goes on
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    while (mode == Mode.STALL && !from.isClosed()) {
                        Thread.sleep(10);
                    }
                    if (mode != Mode.PASS) {
                        break;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the link was reset
            } finally {
                close(from);
                close(to);
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    private void resetAll() {
        sockets.forEach(LinkProxy::close);
        sockets.clear();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
