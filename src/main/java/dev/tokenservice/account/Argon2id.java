package dev.tokenservice.account;

import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Argon2id, version 0x13 (RFC 9106), computed in working memory the caller provides and may reuse: one
 * {@code long[]} of 128 words per 1 KiB block, instead of the thousands of small objects per hash that fill a small
 * heap's young generation, get promoted and make full collections while users log in. Blake2b comes from Bouncy
 * Castle; {@code Argon2idTest} checks every output against Bouncy Castle's own Argon2.
 */
final class Argon2id {

    static final int BLOCK_WORDS = 128;
    private static final int BLOCK_BYTES = 1024;
    private static final int SYNC_POINTS = 4;
    private static final int VERSION = 0x13;
    private static final int TYPE = 2;

    private final int lanes;
    private final int iterations;
    private final int memoryKiB;
    private final int blocks;
    private final int laneLength;
    private final int segmentLength;
    private final long[] memory;

    private Argon2id(int memoryKiB, int iterations, int lanes, long[] memory) {
        this.lanes = lanes;
        this.iterations = iterations;
        this.memoryKiB = memoryKiB;
        this.segmentLength = segmentLength(memoryKiB, lanes);
        this.laneLength = segmentLength * SYNC_POINTS;
        this.blocks = laneLength * lanes;
        if (memory.length < blocks * BLOCK_WORDS) {
            throw new IllegalArgumentException("the working memory holds fewer than " + blocks + " blocks");
        }
        this.memory = memory;
    }

    /** The words of working memory a computation with {@code memoryKiB} and {@code lanes} needs. */
    static int memoryWords(int memoryKiB, int lanes) {
        return segmentLength(memoryKiB, lanes) * SYNC_POINTS * lanes * BLOCK_WORDS;
    }

    /** Blocks per segment: the memory in whole blocks, at least two per segment, split over lanes and slices. */
    private static int segmentLength(int memoryKiB, int lanes) {
        return Math.max(memoryKiB, 2 * SYNC_POINTS * lanes) / (lanes * SYNC_POINTS);
    }

    /** The tag of {@code length} bytes; {@code memory} (at least {@link #memoryWords}) is overwritten. */
    static byte[] hash(byte[] password, byte[] salt, int memoryKiB, int iterations, int lanes, int length,
            long[] memory) {
        if (lanes < 1 || iterations < 1 || length < 4 || memoryKiB < 8 * lanes) {
            throw new IllegalArgumentException("Argon2 parameters out of range");
        }
        return new Argon2id(memoryKiB, iterations, lanes, memory).compute(password, salt, length);
    }

    private byte[] compute(byte[] password, byte[] salt, int length) {
        byte[] seed = new byte[72];
        Blake2bDigest h0 = new Blake2bDigest(512);
        for (int value : new int[] { lanes, length, memoryKiB, iterations, VERSION, TYPE }) {
            update(h0, value);
        }
        update(h0, password.length);
        h0.update(password, 0, password.length);
        update(h0, salt.length);
        h0.update(salt, 0, salt.length);
        update(h0, 0);
        update(h0, 0);
        h0.doFinal(seed, 0);

        byte[] block = new byte[BLOCK_BYTES];
        for (int lane = 0; lane < lanes; lane++) {
            for (int column = 0; column < 2; column++) {
                putInt(seed, 64, column);
                putInt(seed, 68, lane);
                variableHash(seed, block);
                load(block, (lane * laneLength + column) * BLOCK_WORDS);
            }
        }
        long[] scratch = new long[3 * BLOCK_WORDS];
        for (int pass = 0; pass < iterations; pass++) {
            for (int slice = 0; slice < SYNC_POINTS; slice++) {
                for (int lane = 0; lane < lanes; lane++) {
                    fillSegment(pass, lane, slice, scratch);
                }
            }
        }
        long[] last = new long[BLOCK_WORDS];
        for (int lane = 0; lane < lanes; lane++) {
            int offset = (lane * laneLength + laneLength - 1) * BLOCK_WORDS;
            for (int i = 0; i < BLOCK_WORDS; i++) {
                last[i] ^= memory[offset + i];
            }
        }
        for (int i = 0; i < BLOCK_WORDS; i++) {
            putLong(block, i * 8, last[i]);
        }
        byte[] tag = new byte[length];
        variableHash(block, tag);
        return tag;
    }

    private void fillSegment(int pass, int lane, int slice, long[] scratch) {
        boolean independent = pass == 0 && slice < SYNC_POINTS / 2;
        long[] addresses = new long[BLOCK_WORDS];
        long[] input = new long[BLOCK_WORDS];
        if (independent) {
            input[0] = pass;
            input[1] = lane;
            input[2] = slice;
            input[3] = blocks;
            input[4] = iterations;
            input[5] = TYPE;
        }
        int start = 0;
        if (pass == 0 && slice == 0) {
            start = 2;
            if (independent) {
                nextAddresses(input, addresses, scratch);
            }
        }
        int current = lane * laneLength + slice * segmentLength + start;
        int previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1;
        for (int index = start; index < segmentLength; index++, current++, previous++) {
            if (current % laneLength == 1) {
                previous = current - 1;
            }
            long random;
            if (independent) {
                if (index % BLOCK_WORDS == 0) {
                    nextAddresses(input, addresses, scratch);
                }
                random = addresses[index % BLOCK_WORDS];
            } else {
                random = memory[previous * BLOCK_WORDS];
            }
            int referenceLane = pass == 0 && slice == 0 ? lane : (int) ((random >>> 32) % lanes);
            int reference = referenceIndex(pass, slice, index, random & 0xFFFFFFFFL, referenceLane == lane);
            fillBlock(previous * BLOCK_WORDS, (referenceLane * laneLength + reference) * BLOCK_WORDS,
                    current * BLOCK_WORDS, pass > 0, scratch);
        }
    }

    private int referenceIndex(int pass, int slice, int index, long random, boolean sameLane) {
        long area;
        if (pass == 0) {
            if (slice == 0) {
                area = index - 1;
            } else {
                area = (long) slice * segmentLength + (sameLane ? index - 1 : (index == 0 ? -1 : 0));
            }
        } else {
            area = laneLength - segmentLength + (sameLane ? index - 1 : (index == 0 ? -1 : 0));
        }
        long relative = (random * random) >>> 32;
        relative = area - 1 - ((area * relative) >>> 32);
        long start = pass == 0 || slice == SYNC_POINTS - 1 ? 0 : (long) (slice + 1) * segmentLength;
        return (int) ((start + relative) % laneLength);
    }

    /** The next 128 pseudo-random words of data-independent addressing: G(0, G(0, input)), counter first. */
    private static void nextAddresses(long[] input, long[] addresses, long[] scratch) {
        input[6]++;
        compressWithZero(input, addresses, scratch);
        compressWithZero(addresses, addresses, scratch);
    }

    /** out = G(0, block) = P(block) xor block; {@code out} may be {@code block}. */
    private static void compressWithZero(long[] block, long[] out, long[] scratch) {
        System.arraycopy(block, 0, scratch, 0, BLOCK_WORDS);
        permute(scratch, 0);
        for (int i = 0; i < BLOCK_WORDS; i++) {
            out[i] = scratch[i] ^ block[i];
        }
    }

    /** memory[next] = G(memory[previous], memory[reference]), xor-ed into memory[next] after the first pass. */
    private void fillBlock(int previous, int reference, int next, boolean withXor, long[] scratch) {
        int r = BLOCK_WORDS;
        for (int i = 0; i < BLOCK_WORDS; i++) {
            long x = memory[previous + i] ^ memory[reference + i];
            scratch[i] = x;
            scratch[r + i] = withXor ? x ^ memory[next + i] : x;
        }
        permute(scratch, 0);
        for (int i = 0; i < BLOCK_WORDS; i++) {
            memory[next + i] = scratch[i] ^ scratch[r + i];
        }
    }

    /** Argon2's permutation of a block: Blake2b's rounds (with BlaMka's multiplication) on rows, then columns. */
    private static void permute(long[] v, int offset) {
        for (int i = 0; i < 8; i++) {
            int b = offset + 16 * i;
            round(v, b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11, b + 12, b + 13,
                    b + 14, b + 15);
        }
        for (int i = 0; i < 8; i++) {
            int b = offset + 2 * i;
            round(v, b, b + 1, b + 16, b + 17, b + 32, b + 33, b + 48, b + 49, b + 64, b + 65, b + 80, b + 81,
                    b + 96, b + 97, b + 112, b + 113);
        }
    }

    private static void round(long[] v, int v0, int v1, int v2, int v3, int v4, int v5, int v6, int v7, int v8, int v9,
            int v10, int v11, int v12, int v13, int v14, int v15) {
        mix(v, v0, v4, v8, v12);
        mix(v, v1, v5, v9, v13);
        mix(v, v2, v6, v10, v14);
        mix(v, v3, v7, v11, v15);
        mix(v, v0, v5, v10, v15);
        mix(v, v1, v6, v11, v12);
        mix(v, v2, v7, v8, v13);
        mix(v, v3, v4, v9, v14);
    }

    private static void mix(long[] v, int a, int b, int c, int d) {
        v[a] = blaMka(v[a], v[b]);
        v[d] = Long.rotateRight(v[d] ^ v[a], 32);
        v[c] = blaMka(v[c], v[d]);
        v[b] = Long.rotateRight(v[b] ^ v[c], 24);
        v[a] = blaMka(v[a], v[b]);
        v[d] = Long.rotateRight(v[d] ^ v[a], 16);
        v[c] = blaMka(v[c], v[d]);
        v[b] = Long.rotateRight(v[b] ^ v[c], 63);
    }

    private static long blaMka(long x, long y) {
        return x + y + 2 * (x & 0xFFFFFFFFL) * (y & 0xFFFFFFFFL);
    }

    /** H' of RFC 9106 §3.3: Blake2b of any output length, its input prefixed with that length. */
    private static void variableHash(byte[] input, byte[] out) {
        byte[] length = new byte[4];
        putInt(length, 0, out.length);
        if (out.length <= 64) {
            Blake2bDigest digest = new Blake2bDigest(out.length * 8);
            digest.update(length, 0, 4);
            digest.update(input, 0, input.length);
            digest.doFinal(out, 0);
            return;
        }
        byte[] v = new byte[64];
        Blake2bDigest digest = new Blake2bDigest(512);
        digest.update(length, 0, 4);
        digest.update(input, 0, input.length);
        digest.doFinal(v, 0);
        System.arraycopy(v, 0, out, 0, 32);
        int position = 32;
        int remaining = out.length - 32;
        while (remaining > 64) {
            digest = new Blake2bDigest(512);
            digest.update(v, 0, 64);
            digest.doFinal(v, 0);
            System.arraycopy(v, 0, out, position, 32);
            position += 32;
            remaining -= 32;
        }
        digest = new Blake2bDigest(remaining * 8);
        digest.update(v, 0, 64);
        byte[] last = new byte[remaining];
        digest.doFinal(last, 0);
        System.arraycopy(last, 0, out, position, remaining);
    }

    private void load(byte[] block, int offset) {
        for (int i = 0; i < BLOCK_WORDS; i++) {
            long word = 0;
            for (int b = 7; b >= 0; b--) {
                word = (word << 8) | (block[i * 8 + b] & 0xFF);
            }
            memory[offset + i] = word;
        }
    }

    private static void update(Blake2bDigest digest, int value) {
        byte[] bytes = new byte[4];
        putInt(bytes, 0, value);
        digest.update(bytes, 0, 4);
    }

    private static void putInt(byte[] bytes, int offset, int value) {
        for (int i = 0; i < 4; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    private static void putLong(byte[] bytes, int offset, long value) {
        for (int i = 0; i < 8; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
