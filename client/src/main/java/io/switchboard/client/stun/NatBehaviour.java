package io.switchboard.client.stun;

/** How a NAT maps or filters, in the terms of RFC 4787 §4.1 and §5 as RFC 5780 §4.3-4.4 discovers them. */
public enum NatBehaviour {
    ENDPOINT_INDEPENDENT("endpoint-independent"),
    ADDRESS_DEPENDENT("address-dependent"),
    ADDRESS_AND_PORT_DEPENDENT("address-and-port-dependent");

    private final String label;

    NatBehaviour(String label) {
        this.label = label;
    }

    /** "endpoint-independent", as the RFCs write it. */
    public String label() {
        return label;
    }
}
