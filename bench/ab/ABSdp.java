import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.*;
import java.util.*;
import java.util.regex.*;

/** ABSdp <baseClasses> <newClasses> <depsCp> <benchDir> <rounds> <solvesPerRound> [nameFilterRegex] */
public class ABSdp {
    public static void main(String[] a) throws Exception {
        Method[] ms = new Method[2];
        String[] dirs = {a[0], a[1]};
        for (int v = 0; v < 2; v++) {
            List<URL> urls = new ArrayList<>();
            urls.add(new File(dirs[v]).toURI().toURL());
            urls.add(new File(System.getProperty("ab.work", "bench/ab/target")).toURI().toURL());
            for (String p : a[2].split(":")) urls.add(new File(p).toURI().toURL());
            ClassLoader cl = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            ms[v] = cl.loadClass("Work").getMethod("sdp", String.class, int.class);
        }
        Path dir = Path.of(a[3]);
        int rounds = Integer.parseInt(a[4]);
        int per = Integer.parseInt(a[5]);
        String filter = a.length > 6 ? a[6] : ".*";
        String refs = Files.readString(dir.resolve("references.json"));
        List<String> names = new ArrayList<>();
        try (var st = Files.list(dir)) {
            st.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".json") && !f.equals("references.json"))
              .map(f -> f.substring(0, f.length() - 5)).filter(n -> n.matches(filter)).sorted().forEach(names::add);
        }
        // warm-up: every instance, both versions, 3 times
        for (int w = 0; w < 3; w++) for (String n : names) for (int v = 0; v < 2; v++) ms[v].invoke(null, dir.resolve(n + ".json").toString(), 1);
        System.out.printf(Locale.ROOT, "%-14s %8s %8s %8s %8s %9s %9s %7s %7s %9s %5s%n", "instance", "bef_ms", "aft_ms", "bef_cpu", "aft_cpu",
            "cvx_ms", "bef/aft", "cvx/bef", "cvx/aft", "rel_err", "it");
        List<double[]> rat = new ArrayList<>();
        for (String n : names) {
            double cvx = best(refs, n);
            double sdpRef = ref(refs, n, "sdpValue");
            List<Double>[] wall = new List[] {new ArrayList<>(), new ArrayList<>()};
            List<Double>[] cpu = new List[] {new ArrayList<>(), new ArrayList<>()};
            double[] last = null;
            for (int r = 0; r < rounds; r++) {
                for (int v0 = 0; v0 < 2; v0++) {
                    int v = r % 2 == 0 ? v0 : 1 - v0;
                    double[] o = (double[]) ms[v].invoke(null, dir.resolve(n + ".json").toString(), per);
                    wall[v].add(o[0]); cpu[v].add(o[1]);
                    if (v == 1) last = o;
                }
            }
            double bw = med(wall[0]), aw = med(wall[1]), bc = med(cpu[0]), ac = med(cpu[1]);
            double err = Math.abs(last[2] - sdpRef) / sdpRef;
            rat.add(new double[] {bw / aw, cvx / bw, cvx / aw, err});
            System.out.printf(Locale.ROOT, "%-14s %8.3f %8.3f %8.3f %8.3f %9.3f %9.2f %7.2f %7.2f %9.1e %5d%s%n", n, bw, aw, bc, ac, cvx, bw / aw, cvx / bw, cvx / aw, err, (int) last[3],
                last[4] == 0 ? "" : " status#" + (int) last[4]);
        }
        String[] lab = {"before/after", "cvxopt/before", "cvxopt/after"};
        for (int c = 0; c < 3; c++) {
            final int cc = c;
            double[] x = rat.stream().mapToDouble(d -> d[cc]).sorted().toArray();
            double geo = Math.exp(Arrays.stream(x).map(Math::log).average().orElse(0));
            System.out.printf(Locale.ROOT, "%s: median %.2f geo %.2f min %.2f max %.2f%n", lab[c], x[x.length / 2], geo, x[0], x[x.length - 1]);
        }
        System.out.printf(Locale.ROOT, "max rel err after vs CVXOPT %.1e%n", rat.stream().mapToDouble(d -> d[3]).max().orElse(0));
    }
    static double med(List<Double> l) { double[] x = l.stream().mapToDouble(Double::doubleValue).sorted().toArray(); return x[x.length / 2]; }
    static String block(String refs, String n) {
        int i = refs.indexOf("\"" + n + "\"");
        int j = refs.indexOf("}", i);
        return refs.substring(i, j);
    }
    static double ref(String refs, String n, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([-0-9.eE+]+)").matcher(block(refs, n));
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
    static double best(String refs, String n) {
        double d = ref(refs, n, "cvxoptDualSeconds"), p = ref(refs, n, "cvxoptPrimalSeconds");
        double b = Double.POSITIVE_INFINITY;
        if (!Double.isNaN(d)) b = Math.min(b, d);
        if (!Double.isNaN(p)) b = Math.min(b, p);
        return b * 1e3;
    }
}
