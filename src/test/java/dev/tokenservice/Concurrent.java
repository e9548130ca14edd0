package dev.tokenservice;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.restassured.response.Response;

/** Fires requests (or other calls) at once from their own threads, released together, and collects the responses in order. */
public final class Concurrent {

    private Concurrent() {
    }

    public static <T> List<T> all(int count, Callable<T> request) {
        List<Callable<T>> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(request);
        }
        return all(requests);
    }

    public static <T> List<T> all(List<Callable<T>> requests) {
        ExecutorService pool = Executors.newFixedThreadPool(requests.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> request : requests) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return request.call();
                }));
            }
            start.countDown();
            List<T> responses = new ArrayList<>();
            for (Future<T> future : futures) {
                responses.add(future.get(60, TimeUnit.SECONDS));
            }
            return responses;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    public static long countStatus(List<Response> responses, int status) {
        return responses.stream().filter(response -> response.statusCode() == status).count();
    }
}
