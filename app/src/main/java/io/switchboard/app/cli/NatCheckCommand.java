package io.switchboard.app.cli;

import io.switchboard.client.stun.NatBehaviourCheck;
import io.switchboard.client.stun.NatCheckReport;
import io.switchboard.client.stun.StunClientException;
import io.switchboard.client.stun.StunClientOptions;
import io.switchboard.client.stun.StunServerAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code switchboard nat-check HOST[:PORT]}: mapped address and RFC 5780 NAT behaviour from a STUN server. */
@Command(name = "nat-check", mixinStandardHelpOptions = true,
        description = {"Asks a STUN server for this host's public (mapped) address and, where the server supports "
                + "RFC 5780, tells the NAT's mapping and filtering behaviour."})
final class NatCheckCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST[:PORT]", description = "STUN server; port 3478 when absent, [v6]:port for IPv6.")
    private String server;

    @Option(names = "--rto", paramLabel = "MS", defaultValue = "500",
            description = "Initial retransmission timeout in milliseconds (RFC 8489 section 6.2.1). Default: ${DEFAULT-VALUE}.")
    private long rtoMillis;

    @Option(names = "--attempts", paramLabel = "N", defaultValue = "7",
            description = "Requests sent before giving up (Rc). Default: ${DEFAULT-VALUE}.")
    private int attempts;

    @Override
    public Integer call() {
        try {
            if (rtoMillis < 1 || attempts < 1) {
                spec.commandLine().getErr().println("nat-check: --rto and --attempts must be positive");
                return SwitchboardCommand.USAGE_ERROR;
            }
            InetSocketAddress address = StunServerAddress.parse(server);
            StunClientOptions options = StunClientOptions.defaults()
                    .withInitialRto(Duration.ofMillis(rtoMillis))
                    .withMaxRequests(attempts);
            NatCheckReport report = NatBehaviourCheck.run(address, options);
            spec.commandLine().getOut().println(report.toText());
            return 0;
        } catch (StunClientException e) {
            spec.commandLine().getErr().println("nat-check: " + e.getMessage());
            return 1;
        }
    }
}
