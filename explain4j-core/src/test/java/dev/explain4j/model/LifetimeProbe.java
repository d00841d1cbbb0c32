package dev.explain4j.model;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * For {@link NetworkModelLifetimeTest}, in a JVM of its own: explains the shipped CNN from 16 threads at once (each
 * explains 400 rows), then closes the model, and prints the resident memory (JavaCPP's {@code Pointer.physicalBytes()},
 * after garbage collection) at the start, with the model open and after {@code close()}: "LIFETIME start open closed"
 * in bytes. {@code LifetimeProbe ended} runs 16 threads that end after their call; {@code LifetimeProbe pooled} runs
 * the calls on a pool of 16 threads that is still alive when the model is closed (and measured).
 */
public final class LifetimeProbe {
    static final int THREADS = 16;

    private LifetimeProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean pooled = args[0].equals("pooled");
        Path file = Path.of("models/digits-cnn.zip");
        INDArray x = Nd4j.rand(ModelLoader.load(file, null).dataType(), 400, 64);
        try (NetworkModel warmUp = ModelLoader.load(file, null)) {
            warmUp.gradients(x, Target.predicted()); // ND4J's own one-time allocations, on this thread
        }
        long start = settled();
        NetworkModel model = ModelLoader.load(file, null);
        CyclicBarrier together = new CyclicBarrier(THREADS);
        Runnable call = () -> {
            try {
                together.await();
            } catch (InterruptedException | BrokenBarrierException e) {
                throw new IllegalStateException(e);
            }
            model.gradients(x, Target.predicted());
        };
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        if (pooled) {
            List<Future<?>> calls = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                calls.add(pool.submit(call));
            }
            for (Future<?> done : calls) {
                done.get();
            }
        } else {
            Thread[] threads = new Thread[THREADS];
            for (int t = 0; t < THREADS; t++) {
                threads[t] = new Thread(call);
                threads[t].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
        long open = settled();
        model.close();
        long closed = settled();
        pool.shutdown();
        System.out.println("LIFETIME " + start + " " + open + " " + closed);
    }

    /** Resident bytes once garbage collection and ND4J's deallocator threads have had their turn. */
    private static long settled() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return Pointer.physicalBytes();
    }
}
