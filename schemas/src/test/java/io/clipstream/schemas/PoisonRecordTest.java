package io.clipstream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.serde.RecordDecodingException;
import io.clipstream.schemas.serde.SchemaHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A record of a few bytes that declares a string, bytes or collection of about 2 GiB must be refused before
 * anything of that size is allocated. Avro 1.12 allocates first (its limits default to ~2 GiB); this module's
 * tests run on a small heap (see the pom), so an allocation would end in OutOfMemoryError here.
 */
class PoisonRecordTest {

    static Stream<Arguments> poisons() {
        List<Arguments> cases = new ArrayList<>();
        for (Schema schema : SchemaHistory.CURRENT) {
            for (Schema.Type kind : List.of(Schema.Type.STRING, Schema.Type.BYTES, Schema.Type.ARRAY, Schema.Type.MAP)) {
                PoisonRecords.claiming(schema, kind).ifPresent(poison ->
                        cases.add(Arguments.of(schema.getName(), kind, poison)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with a 2 GiB {1}")
    @MethodSource("poisons")
    void aDeclaredLengthPastTheEndIsRefusedBeforeItIsAllocated(String record, Schema.Type kind, byte[] poison) {
        AvroSerde<SpecificRecord> serde = serdeFor(record);
        assertTrue(poison.length < 64, "a poison record is tiny: " + poison.length + " bytes");

        RecordDecodingException e = assertThrows(RecordDecodingException.class, () -> serde.decode(poison));

        assertEquals(RejectReason.UNDECODABLE_RECORD, e.reason());
        assertTrue(e.getMessage().contains(record), e.getMessage());
        assertTrue(e.getMessage().contains(Long.toString(PoisonRecords.HUGE)), "says what was declared: " + e.getMessage());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AvroSerde<SpecificRecord> serdeFor(String record) {
        for (Schema schema : SchemaHistory.CURRENT) {
            if (schema.getName().equals(record)) {
                return (AvroSerde) AvroSerde.of(SpecificData.get().getClass(schema));
            }
        }
        throw new IllegalArgumentException(record);
    }
}
