package dev.ftmatrix.abi.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StructParserTest {
    private static final String PRE = """
            # 1 "probe.c"
            # 1 "/usr/include/stdio.h" 1
            struct _IO_FILE { int _flags; };
            # 10 "/inc/object.h" 1
            typedef struct _object PyObject;
            static inline int f(PyObject *o) { struct { int x; } local; return 0; }
            struct _object {
                __extension__ union { long ob_refcnt; unsigned int ob_refcnt_split[2]; };
                struct _typeobject *ob_type;
            };
            typedef struct {
                struct { unsigned int interned:2; unsigned int kind:3; } state;
                void (*tp_dealloc)(PyObject *);
                int a, *b, c[4];
                unsigned int :24;
                long aligned __attribute__((aligned(8)));
            } Packed;
            struct opaque;
            struct _tagonly { char z; };
            """;

    @Test
    void findsStructsOfTheIncludeDirectoryByTheirPublicNames() {
        Map<String, StructParser.Struct> byName = StructParser.parse(PRE, "/inc").stream()
                .collect(Collectors.toMap(StructParser.Struct::name, s -> s));
        assertEquals(List.of("PyObject", "struct _tagonly", "Packed"),
                StructParser.parse(PRE, "/inc").stream().map(StructParser.Struct::name).toList());
        assertEquals(List.of("ob_refcnt", "ob_refcnt_split", "ob_type"), byName.get("PyObject").fields());
        assertEquals(List.of("state", "tp_dealloc", "a", "b", "c", "aligned"), byName.get("Packed").fields());
        assertEquals("object.h", byName.get("PyObject").file());
        assertEquals(12, byName.get("PyObject").line(), "the marker says line 10 is the typedef");
    }
}
