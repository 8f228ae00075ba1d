package io.switchboard.stun;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Method and class bits interleave as in RFC 8489 §5 Figure 3. */
class MessageTypeTest {
    @Test
    void wellKnownTypesHaveTheirRegisteredCodes() {
        assertThat(MessageType.BINDING_REQUEST.code()).isEqualTo(0x0001);
        assertThat(MessageType.BINDING_INDICATION.code()).isEqualTo(0x0011);
        assertThat(MessageType.BINDING_SUCCESS.code()).isEqualTo(0x0101);
        assertThat(MessageType.BINDING_ERROR.code()).isEqualTo(0x0111);
        assertThat(StunMethod.ALLOCATE.request().code()).isEqualTo(0x0003);
        assertThat(StunMethod.ALLOCATE.errorResponse().code()).isEqualTo(0x0113);
        assertThat(StunMethod.SEND.indication().code()).isEqualTo(0x0016);
        assertThat(StunMethod.DATA.indication().code()).isEqualTo(0x0017);
        assertThat(StunMethod.CHANNEL_BIND.successResponse().code()).isEqualTo(0x0109);
        assertThat(new StunMethod(0xFFF).errorResponse().code()).isEqualTo(0x3FFF);
    }

    @Test
    void everyMethodAndClassSurvivesEncodeAndDecode() {
        for (int method = 0; method <= StunMethod.MAX_CODE; method++) {
            for (MessageClass c : MessageClass.values()) {
                MessageType type = new MessageType(StunMethod.of(method), c);
                assertThat(type.code() & 0xC000).isZero();
                assertThat(MessageType.fromCode(type.code())).isEqualTo(type);
            }
        }
    }
}
