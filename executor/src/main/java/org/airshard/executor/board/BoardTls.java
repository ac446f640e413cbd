package org.airshard.executor.board;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.HexFormat;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The agent's TLS identity: an EC P-256 key and a self-signed certificate made with BouncyCastle on first
 * start and kept in {@code <dir>/agent-identity.p12}; clients pin its SHA-256 fingerprint.
 */
public final class BoardTls {

    private static final char[] STORE_PASSWORD = "airshard".toCharArray();

    private final PrivateKey key;
    private final X509Certificate certificate;

    private BoardTls(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    public PrivateKey key() {
        return key;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String fingerprint() {
        return fingerprint(certificate);
    }

    /** SHA-256 of the DER certificate, lowercase hex with colons. */
    public static String fingerprint(X509Certificate c) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            return HexFormat.ofDelimiter(":").formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads the identity from {@code dir}, creating it on first use. */
    public static BoardTls loadOrCreate(Path dir, String name) throws IOException {
        Path file = dir.resolve("agent-identity.p12");
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    ks.load(in, STORE_PASSWORD);
                }
                return new BoardTls((PrivateKey) ks.getKey("agent", STORE_PASSWORD), (X509Certificate) ks.getCertificate("agent"));
            }
            BoardTls id = create(name);
            ks.load(null, null);
            ks.setKeyEntry("agent", id.key, STORE_PASSWORD, new java.security.cert.Certificate[] {id.certificate});
            Files.createDirectories(dir);
            Path tmp = dir.resolve("agent-identity.p12.tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, STORE_PASSWORD);
            }
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not POSIX (Windows): the user profile's ACL applies
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return id;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create or read the agent's TLS identity in " + file + ": " + e.getMessage(), e);
        }
    }

    static BoardTls create(String name) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair kp = g.generateKeyPair();
        X500Name subject = new X500Name("CN=airshard-agent-" + name.replaceAll("[^A-Za-z0-9._-]", "_"));
        long now = System.currentTimeMillis();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                new Date(now - 86_400_000L), new Date(now + 20L * 365 * 86_400_000L), subject, kp.getPublic());
        try {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate());
            return new BoardTls(kp.getPrivate(), new JcaX509CertificateConverter().getCertificate(b.build(signer)));
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /**
     * Client-side trust: accepts exactly the certificate whose fingerprint is {@code pin}; with a null pin
     * (trust on first use) accepts any certificate and reports its fingerprint to {@code firstUse}.
     * Host names are not checked: the pin is the identity.
     */
    public static X509ExtendedTrustManager pinning(String board, String pin, Consumer<String> firstUse) {
        return new X509ExtendedTrustManager() {
            private void check(X509Certificate[] chain) throws CertificateException {
                if (chain == null || chain.length == 0) {
                    throw new CertificateException("board " + board + " presented no certificate");
                }
                String fp = fingerprint(chain[0]);
                if (pin == null) {
                    firstUse.accept(fp);
                } else if (!pin.equalsIgnoreCase(fp)) {
                    throw new CertificateException("board " + board + " presented certificate " + fp
                            + " but " + pin + " is pinned for it (a different agent, or a re-created identity: "
                            + "remove the entry from the known-boards file if that is expected)");
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                check(chain);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) throws CertificateException {
                check(chain);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) throws CertificateException {
                check(chain);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("client certificates are not used");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) throws CertificateException {
                throw new CertificateException("client certificates are not used");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) throws CertificateException {
                throw new CertificateException("client certificates are not used");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }
}
