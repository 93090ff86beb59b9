package io.clipstream.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A throw-away certificate authority and a broker key store signed by it for {@code localhost}, made with the JDK's
 * own {@code keytool} in a folder of the caller's, so that no private key is ever checked in. PKCS12 throughout.
 *
 * @param brokerKeyStore the broker's key and its chain (CA → localhost, SAN localhost and 127.0.0.1)
 * @param trustStore     the CA certificate alone, for clients
 * @param password       of both stores and the broker's key
 */
record TestCertificates(Path brokerKeyStore, Path trustStore, String password) {

    static TestCertificates create(Path directory) {
        String password = UUID.randomUUID().toString();
        Path ca = directory.resolve("ca.p12");
        Path caCert = directory.resolve("ca.crt");
        Path broker = directory.resolve("broker.p12");
        Path request = directory.resolve("broker.csr");
        Path brokerCert = directory.resolve("broker.crt");
        Path trust = directory.resolve("truststore.p12");
        String[] store = {"-storetype", "PKCS12", "-storepass", password};
        keytool(store, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=Clipstream test CA", "-ext", "bc:c", "-keystore", ca.toString(), "-keypass", password);
        keytool(store, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caCert.toString());
        keytool(store, "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-keystore", broker.toString(), "-keypass", password);
        keytool(store, "-certreq", "-alias", "broker", "-keystore", broker.toString(), "-file", request.toString());
        keytool(store, "-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-validity", "2",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-infile", request.toString(), "-outfile",
                brokerCert.toString());
        keytool(store, "-importcert", "-noprompt", "-alias", "ca", "-keystore", broker.toString(), "-file",
                caCert.toString());
        keytool(store, "-importcert", "-alias", "broker", "-keystore", broker.toString(), "-file",
                brokerCert.toString());
        keytool(store, "-importcert", "-noprompt", "-alias", "ca", "-keystore", trust.toString(), "-file",
                caCert.toString());
        return new TestCertificates(broker, trust, password);
    }

    private static void keytool(String[] store, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of(store));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run keytool: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while making test certificates", e);
        }
    }
}
