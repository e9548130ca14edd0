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

/** Fires requests at once from their own threads, released together, and collects the responses in order. */
public final class Concurrent {

    private Concurrent() {
    }

    public static List<Response> all(int count, Callable<Response> request) {
        List<Callable<Response>> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(request);
        }
        return all(requests);
    }

    public static List<Response> all(List<Callable<Response>> requests) {
        ExecutorService pool = Executors.newFixedThreadPool(requests.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (Callable<Response> request : requests) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return request.call();
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> future : futures) {
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
