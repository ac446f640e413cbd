import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.*;

/** Interleaved before/after in one JVM: AB <baseClasses> <newClasses> <depsCp> <method> <reps> args... */
public class AB {
    public static void main(String[] a) throws Exception {
        String deps = a[2];
        Method[] ms = new Method[2];
        String[] dirs = {a[0], a[1]};
        for (int v = 0; v < 2; v++) {
            List<URL> urls = new ArrayList<>();
            urls.add(new File(dirs[v]).toURI().toURL());
            urls.add(new File(System.getProperty("ab.work", "bench/ab/target")).toURI().toURL());
            for (String p : deps.split(":")) {
                urls.add(new File(p).toURI().toURL());
            }
            ClassLoader cl = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            Class<?> w = cl.loadClass("Work");
            for (Method m : w.getMethods()) {
                if (m.getName().equals(a[3])) {
                    ms[v] = m;
                }
            }
        }
        int reps = Integer.parseInt(a[4]);
        Object[] args = new Object[ms[0].getParameterCount()];
        for (int i = 0; i < args.length; i++) {
            String s = a[5 + i];
            args[i] = ms[0].getParameterTypes()[i] == int.class ? (Object) Integer.parseInt(s) : s;
        }
        String[] names = {"before", "after"};
        List<List<double[]>> res = List.of(new ArrayList<>(), new ArrayList<>());
        for (int r = 0; r < reps; r++) {
            for (int v0 = 0; v0 < 2; v0++) {
                int v = (r % 2 == 0) ? v0 : 1 - v0;
                double[] out = (double[]) ms[v].invoke(null, args);
                res.get(v).add(out);
                System.out.println("rep " + r + " " + names[v] + " " + Arrays.toString(out));
            }
        }
        // ratio of medians of the first column, skipping rep 0 (warm-up)
        double[] med = new double[2];
        for (int v = 0; v < 2; v++) {
            double[] xs = res.get(v).stream().skip(reps > 1 ? 1 : 0).mapToDouble(d -> d[0]).sorted().toArray();
            med[v] = xs[xs.length / 2];
        }
        System.out.printf(Locale.ROOT, "median (reps 2..) before %.4f after %.4f ratio before/after %.2f%n", med[0], med[1], med[0] / med[1]);
    }
}
