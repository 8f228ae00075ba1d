package io.switchboard.bench;

import io.switchboard.bench.turn.TurnRelayLoad;

import java.util.Arrays;
import java.util.List;

/** Entry point of bench/target/benchmarks.jar: one subcommand per load generator, plus the report and JMH. */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            usage();
            System.exit(64);
        }
        List<String> rest = Arrays.asList(argv).subList(1, argv.length);
        int status;
        switch (argv[0]) {
            case "turn-relay":
                status = TurnRelayLoad.run(new Args(rest));
                break;
            case "turn-alloc":
                status = io.switchboard.bench.turn.TurnAllocationLoad.run(new Args(rest));
                break;
            case "stun-binding":
                status = io.switchboard.bench.turn.BindingLoad.run(new Args(rest));
                break;
            case "signaling":
                status = io.switchboard.bench.signaling.SignalingLoad.run(new Args(rest));
                break;
            case "compare":
                status = io.switchboard.bench.report.ReportWriter.compare(new Args(rest));
                break;
            case "report":
                status = io.switchboard.bench.report.ReportWriter.write(new Args(rest));
                break;
            case "jfr-summary":
                status = JfrSummary.run(new Args(rest));
                break;
            case "quiet":
                status = MachineLoad.quiet(new Args(rest));
                break;
            case "jmh":
                org.openjdk.jmh.Main.main(rest.toArray(String[]::new));
                status = 0;
                break;
            default:
                usage();
                status = 64;
        }
        System.exit(status);
    }

    private static void usage() {
        System.err.println("usage: java -jar benchmarks.jar"
                + " turn-relay|turn-alloc|stun-binding|signaling|compare|report|jfr-summary|quiet|jmh"
                + " [--option value ...]");
    }
}
