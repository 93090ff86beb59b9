package io.clipstream.cli.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code clipstream local up|down|status}: the whole platform on this machine, no Docker. */
@Command(name = "local", description = "Run Clipstream on this machine: a real Kafka broker and the four services.",
        subcommands = {LocalCommand.Up.class, LocalCommand.Down.class, LocalCommand.Status.class})
public final class LocalCommand {

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start the broker and the services, wait until they are ready, and run until Ctrl-C.")
    static final class Up implements java.util.concurrent.Callable<Integer> {

        @Mixin
        StackOptions stackOptions;

        @Option(names = "--once", description = "Start everything, print the health of each component, then stop.")
        boolean once;

        @Option(names = "--detach", description = "Leave everything running and return; stop with `clipstream local down`.")
        boolean detach;

        @Override
        public Integer call() throws InterruptedException {
            LocalStack stack = new LocalStack(stackOptions.installation(), stackOptions.kafkaPort(),
                    stackOptions.httpPort());
            try {
                stack.checkPreconditions();
            } catch (LocalRunException e) {
                System.err.println("clipstream: " + e.getMessage());
                return 2;
            }
            Thread stopper = new Thread(stack::stop, "clipstream-local-stop");
            if (!detach) {
                Runtime.getRuntime().addShutdownHook(stopper);
            }
            try {
                stack.start(stackOptions.startTimeoutSeconds(), (component, message) ->
                        System.out.printf("[%-10s] %s%n", component, message));
            } catch (LocalRunException e) {
                System.err.println("clipstream: " + e.getMessage());
                stopNow(stack, stopper, detach);
                return 1;
            }
            printWhereEverythingIs(stack);
            if (once) {
                printHealth(stack.services());
                stopNow(stack, stopper, detach);
                return 0;
            }
            if (detach) {
                System.out.println("Running in the background. Stop with: clipstream local down");
                return 0;
            }
            System.out.println("Press Ctrl-C to stop.");
            new CountDownLatch(1).await();
            return 0;
        }

        /** Stops now rather than at JVM exit (a JVM that goes on, as a test's, would keep five processes alive). */
        private static void stopNow(LocalStack stack, Thread stopper, boolean detach) {
            stack.stop();
            if (!detach) {
                Runtime.getRuntime().removeShutdownHook(stopper);
            }
        }

        private static void printWhereEverythingIs(LocalStack stack) {
            System.out.println();
            System.out.println("Clipstream is up. Kafka: " + stack.bootstrapServers() + "  logs: " + stack.runDirectory());
            for (LocalService service : stack.services()) {
                System.out.printf("  %-10s %s  (health %s/q/health, metrics %s/q/metrics, log %s)%n",
                        service.name(), service.baseUrl(), service.baseUrl(), service.baseUrl(),
                        stack.log(service).getFileName());
            }
            System.out.println("  topics     " + String.join(", ", io.clipstream.schemas.Topics.all().stream()
                    .map(io.clipstream.schemas.Topics.TopicSpec::name).toList()));
            System.out.println("  rollout    write CLIPSTREAM_MODEL_CHECKPOINT=<version> to "
                    + LocalStack.rolloutFile(stack.runDirectory()) + " to serve a checkpoint of "
                    + LocalStack.checkpointStore(stack.runDirectory()) + " (the embedder is ready from then on)");
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop a detached local run.")
    static final class Down implements Runnable {
        @Option(names = "--home", description = "The Clipstream checkout (default: where this jar was built).")
        Path home;

        @Override
        public void run() {
            List<String> stopped = LocalStack.stopRecorded(Installation.locate(home));
            System.out.println(stopped.isEmpty() ? "Nothing was running." : "Stopped " + String.join(", ", stopped) + ".");
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the health of a running local stack.")
    static final class Status implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--home", description = "The Clipstream checkout (default: where this jar was built).")
        Path home;

        @Override
        public Integer call() {
            Properties state = LocalStack.recorded(Installation.locate(home));
            if (state.isEmpty()) {
                System.out.println("Not running (no .clipstream/local.properties).");
                return 1;
            }
            System.out.println("Kafka: " + state.getProperty("bootstrapServers") + "  logs: " + state.getProperty("runDirectory"));
            List<LocalService> services = Installation.SERVICES.stream().map(s -> s.withPort(
                    Integer.parseInt(state.getProperty("url." + s.name(), s.baseUrl()).replaceAll(".*:", "")))).toList();
            return printHealth(services) ? 0 : 1;
        }
    }

    static boolean printHealth(List<LocalService> services) {
        boolean allUp = true;
        for (LocalService service : services) {
            Health.Status status = Health.ready(service);
            allUp &= status.up();
            System.out.printf("health %-10s %s%n", service.name(), status.summary());
        }
        return allUp;
    }
}
