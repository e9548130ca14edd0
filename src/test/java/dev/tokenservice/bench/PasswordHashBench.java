package dev.tokenservice.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.tokenservice.account.PasswordHasher;

/**
 * The password hash's own cost: Argon2id verifications per second on 1 and on N threads, the bound that
 * login throughput is compared with. Run by bench/refresh-login.sh.
 */
public final class PasswordHashBench {

    private PasswordHashBench() {
    }

    public static void main(String[] args) throws InterruptedException {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        PasswordHasher hasher = new PasswordHasher(threads, threads, Duration.ofMinutes(1));
        String hash = hasher.hash("benchmark password");
        for (int i = 0; i < 5; i++) {
            hasher.verify("benchmark password", hash);
        }
        for (int n : new int[] { 1, threads }) {
            System.out.printf("argon2id verify, %d thread(s): %.1f/s%n", n, run(hasher, hash, n, seconds));
        }
    }

    private static double run(PasswordHasher hasher, String hash, int threads, int seconds) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < end) {
                    hasher.verify("benchmark password", hash);
                    done.incrementAndGet();
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return done.get() / (double) seconds;
    }
}
