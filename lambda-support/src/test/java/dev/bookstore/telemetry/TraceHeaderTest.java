package dev.bookstore.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TraceHeaderTest {

    private static final String HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    @AfterEach
    void clearRuntimeProperty() {
        System.clearProperty(TraceHeader.RUNTIME_PROPERTY);
    }

    @Test
    void theTraceIdIsTheRootWhereverItStands() {
        assertThat(TraceHeader.parse(HEADER).traceId()).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
        assertThat(TraceHeader.parse("Sampled=1;Root=1-5759e988-bd862e3fe1be46a994272793").traceId()).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
    }

    @Test
    void aHeaderWithoutAWellFormedRootIsNoTrace() {
        assertThat(TraceHeader.parse(null)).isNull();
        assertThat(TraceHeader.parse("")).isNull();
        assertThat(TraceHeader.parse("Parent=53995c3f42cd8ad8;Sampled=1")).isNull();
        assertThat(TraceHeader.parse("Root=1-xyz-bd862e3fe1be46a994272793")).isNull();
        assertThat(TraceHeader.parse("NotRoot=1-5759e988-bd862e3fe1be46a994272793")).isNull();
        assertThat(TraceHeader.traceIdOf(null)).isNull();
    }

    @Test
    void theInvocationsHeaderComesFromItsContextThenFromTheRuntimesProperty() {
        assertThat(TraceHeader.of(context(HEADER)).value()).isEqualTo(HEADER);
        assertThat(TraceHeader.of(context(null))).isNull();
        System.setProperty(TraceHeader.RUNTIME_PROPERTY, "Root=1-00000001-000000000000000000000001");
        assertThat(TraceHeader.of(context(null)).traceId()).isEqualTo("1-00000001-000000000000000000000001");
        assertThat(TraceHeader.of(context(HEADER)).value()).isEqualTo(HEADER);
        assertThat(TraceHeader.of(null).traceId()).isEqualTo("1-00000001-000000000000000000000001");
    }

    private static Context context(String traceHeader) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> method.getName().equals("getXrayTraceId") ? traceHeader : null);
    }
}
