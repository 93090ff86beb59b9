package io.clipstream.cli.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code clipstream local up|down|status|restart}: the whole platform on this machine, no Docker. */
@Command(name = "local", description = "Run Clipstream on this machine: a real Kafka broker, the five services and the web console.",
        subcommands = {LocalCommand.Up.class, LocalCommand.Down.class, LocalCommand.Status.class,
            LocalCommand.Restart.class})
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

        @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = LocalStack.DEFAULT_BIND,
                description = "Where the services listen (quarkus.http.host); 0.0.0.0 for every interface. Default: "
                        + "${DEFAULT-VALUE}, this machine only (the broker always is).")
        String bind;

        @Option(names = "--replicas", paramLabel = "SERVICE=COUNT[,...]",
                description = "Run more instances of ingest, embedder or classifier, e.g. embedder=2,classifier=2: they "
                        + "join the same consumer group (Kafka Streams application) and share its input topic's "
                        + "partitions (6, so at most 6 each), each with its own port (after the last service's), "
                        + "state folder and log (<service>-<n>.log). The trainer runs once: it holds one optimiser "
                        + "state, and its positions in the pairs are committed with its checkpoints, not by a group.")
        String replicas;

        @Override
        public Integer call() throws InterruptedException {
            Installation installation = stackOptions.installation();
            LocalStack stack;
            try {
                stack = new LocalStack(installation, stackOptions.kafkaPort(), stackOptions.httpPort(),
                        LocalStack.newRunDirectory(installation), ServiceSettings.NONE, bind,
                        replicas == null ? Replicas.NONE : Replicas.parse(replicas));
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
                        service.instanceName(), service.baseUrl(), service.baseUrl(), service.baseUrl(),
                        stack.log(service).getFileName());
            }
            System.out.println("  console    " + stack.consoleUrl("") + "  (open it in a browser: the token after # "
                    + "stays in the browser)");
            System.out.println("  topics     " + String.join(", ", io.clipstream.schemas.Topics.all().stream()
                    .map(io.clipstream.schemas.Topics.TopicSpec::name).toList()));
            System.out.println("  token      operator token in " + stack.operatorTokenFile() + " (owner-only); "
                    + "`clipstream label-sets` and curl send it: -H \"Authorization: Bearer $(cat "
                    + stack.operatorTokenFile() + ")\"");
            System.out.println("  search     clipstream search \"a red car\" (images published, embedded and indexed are "
                    + "found; `clipstream images publish DIR`)");
            System.out.println("  rollout    write CLIPSTREAM_MODEL_CHECKPOINT=<version> to "
                    + LocalStack.rolloutFile(stack.runDirectory()) + " to serve a checkpoint of "
                    + LocalStack.checkpointStore(stack.runDirectory()) + " (the embedder is ready from then on)");
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop a local run: every service (restarted ones too), then the broker.")
    static final class Down implements Runnable {
        @Option(names = "--home", description = "The Clipstream checkout (default: where this jar was built).")
        Path home;

        @Override
        public void run() {
            List<String> stopped = LocalStack.stopRecorded(Installation.locate(home));
            System.out.println(stopped.isEmpty() ? "Nothing was running." : "Stopped " + String.join(", ", stopped) + ".");
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show each process of a running local stack (pid, command line), the services' health, and"
                    + " every service instance with the partitions of its input topic it holds and their lag.")
    static final class Status implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--home", description = "The Clipstream checkout (default: where this jar was built).")
        Path home;

        @Override
        public Integer call() {
            Installation installation = Installation.locate(home);
            Properties state = LocalStack.recorded(installation);
            if (state.isEmpty()) {
                System.out.println("Not running (no .clipstream/local.properties).");
                return 1;
            }
            System.out.println("Kafka: " + state.getProperty("bootstrapServers") + "  logs: " + state.getProperty("runDirectory"));
            RunProcesses run = LocalStack.recordedRun(installation).orElseThrow();
            boolean allRunning = true;
            for (String name : LocalStack.components(state)) {
                Optional<ProcessHandle> process = run.running(name);
                allRunning &= process.isPresent();
                String command = run.launchOf(name).map(launch -> shown(launch.command())).orElse("?");
                System.out.printf("%-10s %-18s %s%n", name,
                        process.map(p -> "pid " + p.pid()).orElse("not running"), command);
            }
            List<LocalService> services = LocalStack.recordedServices(state);
            boolean healthy = printHealth(services);
            printInstances(run, services, state.getProperty("bootstrapServers"));
            return allRunning && healthy ? 0 : 1;
        }

        /**
         * Every service instance (name, pid, port, health) with the partitions of its input topic it holds and their
         * lag, and per consumer group its members and lag, as the broker reports them.
         */
        static void printInstances(RunProcesses run, List<LocalService> services, String bootstrapServers) {
            List<GroupAssignments.Group> groups;
            String unreadable = null;
            try {
                groups = GroupAssignments.read(bootstrapServers, services.stream().map(LocalService::name)
                        .distinct().toList());
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                groups = List.of();
                unreadable = "partitions unknown (the broker at " + bootstrapServers + " did not answer)";
            }
            for (LocalService service : services) {
                String work = unreadable;
                for (GroupAssignments.Group group : groups) {
                    if (group.service().equals(service.name())) {
                        work = group.memberOf(service).map(m -> "partitions " + group.topic() + " " + m.partitions()
                                + " lag " + group.lagOf(m.partitions())).orElse("no partitions (not a member of "
                                + group.groupId() + " as " + service.groupInstanceId() + ")");
                    }
                }
                System.out.printf("instance %-12s %-11s port %-5d health %-11s %s%n", service.instanceName(),
                        run.running(service.instanceName()).map(p -> "pid " + p.pid()).orElse("not running"),
                        service.port(), Health.ready(service).up() ? "UP" : "DOWN",
                        work == null ? "(no consumer group)" : work);
            }
            for (GroupAssignments.Group group : groups) {
                System.out.printf("group %s: %s %d partitions, %d members, lag %d%n", group.groupId(), group.topic(),
                        group.partitions(), group.members().size(), group.totalLag());
                for (GroupAssignments.Member member : group.members()) {
                    System.out.printf("  member %s partitions %s%n", member.id(), member.partitions());
                }
            }
        }

        /** The command line as a shell takes it; a classpath, hundreds of jars, by its size. */
        static String shown(List<String> command) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < command.size(); i++) {
                String arg = command.get(i);
                if (i > 0 && (command.get(i - 1).equals("-cp") || command.get(i - 1).equals("-classpath"))) {
                    arg = "<" + arg.split(java.io.File.pathSeparator).length + " classpath entries>";
                } else if (arg.isEmpty() || !arg.matches("[A-Za-z0-9_@%+=:,./-]+")) {
                    arg = "'" + arg.replace("'", "'\\''") + "'";
                }
                line.append(i == 0 ? "" : " ").append(arg);
            }
            return line.toString();
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Restart one service instance of the running local stack as it was started (its log goes"
                    + " on), and wait until it is ready (the embedder: live); `local down` stops it as it stops the"
                    + " others.")
    static final class Restart implements java.util.concurrent.Callable<Integer> {
        @Parameters(paramLabel = "SERVICE", completionCandidates = ServiceNames.class,
                description = "One of ${COMPLETION-CANDIDATES}, or a replica's instance name (embedder-2).")
        String service;

        @Option(names = "--timeout", defaultValue = "180", description = "Seconds it may take to start. Default: ${DEFAULT-VALUE}.")
        long timeoutSeconds;

        @Option(names = "--home", description = "The Clipstream checkout (default: where this jar was built).")
        Path home;

        @Override
        public Integer call() {
            System.out.println(service + ": restarting");
            String now = LocalStack.restartRecorded(Installation.locate(home), service, timeoutSeconds);
            System.out.println(service + ": " + now);
            return 0;
        }
    }

    /** The services' names, for help and completion. */
    static final class ServiceNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Installation.SERVICES.stream().map(LocalService::name).iterator();
        }
    }

    static boolean printHealth(List<LocalService> services) {
        boolean allUp = true;
        for (LocalService service : services) {
            Health.Status status = Health.ready(service);
            allUp &= status.up();
            System.out.printf("health %-10s %s%n", service.instanceName(), status.summary());
        }
        return allUp;
    }
}
