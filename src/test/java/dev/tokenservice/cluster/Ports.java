package dev.tokenservice.cluster;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;

/** Waits for a loopback port to open or close. */
final class Ports {

    private Ports() {
    }

    static void await(int port, boolean open) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (isOpen(port) != open) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("port " + port + (open ? " did not open" : " did not close"));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean isOpen(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
