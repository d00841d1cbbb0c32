package dev.explain4j.model;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Which ND4J backend explain4j computes on. With the {@code cuda} Maven profile both ND4J backends are on the class
 * path and ND4J prefers CUDA; on a machine without a usable GPU its own fallback works but prints the failed CUDA
 * load as a stack trace. {@link #select()} makes the choice first, quietly: it checks for the CUDA driver and a
 * device, and when there is none it starts ND4J with the CUDA backend hidden from ND4J's service lookup, so the CPU
 * backend loads without a CUDA attempt. It logs one line saying which backend and why.
 *
 * <p>It must run before anything else touches ND4J (the command line calls it first thing); later it can only report.
 */
public final class ComputeBackend {
    /** The logger of the one line; the command line shows it at INFO. */
    public static final String LOGGER = "explain4j.backend";
    private static final String CUDA_BACKEND = "org.nd4j.linalg.jcublas.JCublasBackend";
    private static final String SERVICE = "META-INF/services/org.nd4j.linalg.factory.Nd4jBackend";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static String choice;

    private ComputeBackend() {
    }

    /** Chooses and starts the backend (once), logs and returns the one-line reason. */
    public static synchronized String select() {
        if (choice != null) {
            return choice;
        }
        ClassLoader loader = ND4JClassLoading.getNd4jClassloader();
        if (!ND4JClassLoading.classPresentOnClasspath(CUDA_BACKEND, loader)) {
            Nd4j.getBackend();
            choice = "CPU backend: ND4J's CUDA backend is not on the class path (build with -Pcuda for GPUs)";
        } else {
            String gpu = cudaDevices(loader);
            if (gpu.startsWith("no ")) {
                ND4JClassLoading.setNd4jClassloader(new WithoutCudaBackend(loader));
                try {
                    Nd4j.getBackend();
                } finally {
                    ND4JClassLoading.setNd4jClassloader(loader);
                }
                choice = "CPU backend: the CUDA backend is on the class path, but " + gpu;
            } else {
                Nd4j.getBackend();
                String loaded = backendName();
                choice = loaded.equals("CUDA") ? "CUDA backend: " + gpu
                        : loaded + " backend: " + gpu + ", yet ND4J could not start CUDA (see its log above)";
            }
        }
        LOG.info(choice);
        return choice;
    }

    /** "CPU" or "CUDA". */
    public static String backendName() {
        String name = Nd4j.getBackend().getClass().getSimpleName();
        return name.contains("Cublas") || name.contains("Cuda") ? "CUDA" : name.replace("Backend", "").toUpperCase(Locale.ROOT);
    }

    /** Backend, device (name and memory for CUDA), thread count and off-heap limit, for {@code explain4j info}. */
    public static String describe() {
        String backend = backendName();
        StringBuilder text = new StringBuilder(backend);
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        if (backend.equals("CUDA") && env.get("cuda.devicesInformation") instanceof List<?> devices) {
            text.append(", ").append(devices.stream().map(d -> d instanceof Map<?, ?> m
                    ? m.get("cuda.deviceName") + " (" + mib(m.get("cuda.totalMemory")) + " MiB, "
                    + mib(m.get("cuda.freeMemory")) + " MiB free)" : String.valueOf(d)).collect(Collectors.joining(", ")));
        } else {
            text.append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores");
        }
        text.append(", ").append(Nd4j.getEnvironment().maxMasterThreads()).append(" threads, off-heap limit ")
                .append(Pointer.maxBytes() >> 20).append(" MiB");
        return text.toString();
    }

    private static String mib(Object bytes) {
        return bytes instanceof Number n ? Long.toString(n.longValue() >> 20) : "?";
    }

    /**
     * "N CUDA device(s) ..." or "no ..." with the reason. Loads JavaCPP's CUDA runtime bindings (which need
     * libcuda.so.1, the driver) and counts devices, all by reflection: the bindings are there only with -Pcuda.
     */
    private static String cudaDevices(ClassLoader loader) {
        try {
            Class<?> cudart = Class.forName("org.bytedeco.cuda.global.cudart", true, loader);
            Method count = cudart.getMethod("cudaGetDeviceCount", int[].class);
            int[] devices = new int[1];
            int status = ((Number) count.invoke(null, (Object) devices)).intValue();
            if (status != 0 || devices[0] == 0) {
                return "no CUDA device is visible (cudaGetDeviceCount: status " + status + ", " + devices[0] + " devices)";
            }
            return devices[0] + " CUDA device(s) visible";
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
            String message = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            return "no CUDA driver was found (" + (message.contains("libcuda") ? "libcuda.so.1 is missing"
                    : message.lines().findFirst().orElse(e.getClass().getSimpleName())) + ")";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "no CUDA device could be queried (" + e + ")";
        }
    }

    /** Delegates everything, except that ND4J's backend service files no longer name the CUDA backend. */
    private static final class WithoutCudaBackend extends ClassLoader {
        WithoutCudaBackend(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            Enumeration<URL> found = super.getResources(name);
            if (!SERVICE.equals(name)) {
                return found;
            }
            List<URL> kept = new ArrayList<>();
            for (URL url : Collections.list(found)) {
                String text;
                try (InputStream in = url.openStream()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                String without = text.lines().filter(line -> !line.trim().equals(CUDA_BACKEND))
                        .collect(Collectors.joining("\n", "", "\n"));
                boolean namesAny = without.lines().map(l -> l.replaceAll("#.*", "").trim()).anyMatch(l -> !l.isEmpty());
                if (namesAny) {
                    kept.add(without.equals(text) ? url : inMemory(url, without));
                }
            }
            return Collections.enumeration(kept);
        }

        /** A URL that reads {@code text}: the shaded jar merges both backends into one service file. */
        private static URL inMemory(URL original, String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return new URL(null, "explain4j-filtered:" + original, new URLStreamHandler() {
                @Override
                protected URLConnection openConnection(URL u) {
                    return new URLConnection(u) {
                        @Override
                        public void connect() {
                        }

                        @Override
                        public InputStream getInputStream() {
                            return new ByteArrayInputStream(bytes);
                        }
                    };
                }
            });
        }
    }
}
