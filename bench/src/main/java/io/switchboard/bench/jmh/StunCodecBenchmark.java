package io.switchboard.bench.jmh;

import io.switchboard.stun.Fingerprint;
import io.switchboard.stun.IceControlling;
import io.switchboard.stun.IntegrityKeys;
import io.switchboard.stun.MessageIntegrity;
import io.switchboard.stun.MessageIntegritySha256;
import io.switchboard.stun.MessageType;
import io.switchboard.stun.Nonce;
import io.switchboard.stun.Priority;
import io.switchboard.stun.Realm;
import io.switchboard.stun.RequestedTransport;
import io.switchboard.stun.StunDecodeException;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMessageWriter;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.TransactionId;
import io.switchboard.stun.Username;
import io.switchboard.stun.XorMappedAddress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The STUN wire format on the paths a server runs per request: decoding a browser's Binding request and an
 * authenticated Allocate, checking MESSAGE-INTEGRITY (HMAC-SHA1 and HMAC-SHA256) and FINGERPRINT, and encoding a
 * Binding success with the builder and with the reusable, allocation-free {@link StunMessageWriter}.
 * Run with {@code -prof gc} to see the bytes allocated per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class StunCodecBenchmark {
    private static final byte[] ICE_KEY = IntegrityKeys.shortTerm("9aP0ZpPg2b1mVJ2mL5ZJ3c8f");
    private static final byte[] LONG_TERM_KEY = IntegrityKeys.longTermMd5("alice", "example.org", "secret");
    private static final byte[] LONG_TERM_KEY_SHA256 = IntegrityKeys.longTermSha256("alice", "example.org", "secret");

    private byte[] bindingRequest;
    private byte[] allocateRequest;
    private StunMessage decodedBinding;
    private StunMessage decodedSha256;
    private TransactionId id;
    private InetSocketAddress client;
    private XorMappedAddress mapped;
    private StunMessageWriter writer;
    private ByteBuffer out;

    @Setup
    public void setUp() throws StunDecodeException {
        id = TransactionId.random();
        client = new InetSocketAddress("192.0.2.44", 51234);
        mapped = new XorMappedAddress(client);
        // The shape of a Chromium ICE connectivity check.
        bindingRequest = StunMessage.builder(MessageType.BINDING_REQUEST, id)
                .add(new Username("k3Yw:Hq9s"))
                .add(new IceControlling(0x1122334455667788L))
                .add(new Priority(1853824767L))
                .messageIntegrity(ICE_KEY)
                .fingerprint()
                .build().toBytes();
        allocateRequest = StunMessage.builder(StunMethod.ALLOCATE.request(), id)
                .add(new RequestedTransport(RequestedTransport.UDP))
                .add(new Username("alice"))
                .add(new Realm("example.org"))
                .add(new Nonce("6b8e1d2f3a4c5b6d7e8f9a0b1c2d3e4f"))
                .messageIntegrity(LONG_TERM_KEY)
                .fingerprint()
                .build().toBytes();
        decodedBinding = StunMessage.decode(bindingRequest);
        decodedSha256 = StunMessage.builder(StunMethod.ALLOCATE.request(), id)
                .add(new RequestedTransport(RequestedTransport.UDP))
                .add(new Username("alice"))
                .messageIntegritySha256(LONG_TERM_KEY_SHA256)
                .build();
        decodedSha256 = StunMessage.decode(decodedSha256.toBytes());
        writer = new StunMessageWriter();
        out = ByteBuffer.allocateDirect(1500);
    }

    @Benchmark
    public StunMessage decodeBindingRequest() throws StunDecodeException {
        return StunMessage.decode(bindingRequest);
    }

    @Benchmark
    public StunMessage decodeAuthenticatedAllocate() throws StunDecodeException {
        return StunMessage.decode(allocateRequest);
    }

    @Benchmark
    public boolean verifyIntegritySha1() {
        return MessageIntegrity.verify(decodedBinding, ICE_KEY);
    }

    @Benchmark
    public boolean verifyIntegritySha256() {
        return MessageIntegritySha256.verify(decodedSha256, LONG_TERM_KEY_SHA256);
    }

    @Benchmark
    public boolean verifyFingerprint() {
        return Fingerprint.verify(decodedBinding);
    }

    @Benchmark
    public byte[] encodeBindingSuccessWithBuilder() {
        return StunMessage.builder(MessageType.BINDING_SUCCESS, id)
                .add(mapped)
                .messageIntegrity(ICE_KEY)
                .fingerprint()
                .build().toBytes();
    }

    @Benchmark
    public int encodeBindingSuccessWithWriter() {
        out.clear();
        return writer.begin(out, MessageType.BINDING_SUCCESS, id)
                .add(mapped)
                .addMessageIntegrity(ICE_KEY)
                .addFingerprint()
                .finish();
    }

    @Benchmark
    public int encodeBindingSuccessWithWriterNoIntegrity() {
        out.clear();
        return writer.begin(out, MessageType.BINDING_SUCCESS, id)
                .add(mapped)
                .addFingerprint()
                .finish();
    }
}
