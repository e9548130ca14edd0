package dev.tokenservice.bench;

import java.util.UUID;

import dev.tokenservice.revocation.RevocationIndex;

/**
 * Heap taken by the revocation mirror's index holding N live revocations (default 1,000,000: 90% token ids,
 * 9% sessions, 1% user cut-offs). Run by bench/mirror-memory.sh.
 */
public final class MirrorMemoryBench {

    private MirrorMemoryBench() {
    }

    public static void main(String[] args) throws InterruptedException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long before = usedAfterGc();
        RevocationIndex index = new RevocationIndex();
        long until = System.currentTimeMillis() / 1000 + 900;
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            if (i % 100 == 0) {
                index.revokeUser(id, until - 900, until);
            } else if (i % 10 == 0) {
                index.revokeSession(id, until);
            } else {
                index.revokeToken(id, until);
            }
        }
        long after = usedAfterGc();
        System.out.printf("live revocations: %d%nheap used by the index: %.1f MiB (%.0f bytes each)%n",
                index.size(), (after - before) / 1048576.0, (after - before) / (double) count);
        if (index.isRevoked(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 0)) {
            System.out.println("unexpected hit");
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
