package dev.ftmatrix.scanner.internal;

import java.util.List;

/**
 * Requirement lines as one place of the project states them, before self-references and duplicates are resolved.
 *
 * @param source where they are stated ({@code setup.py extras_require test}, {@code requirements/tests.txt})
 * @param requirements PEP 508 strings, or {@code .[extra]} self-references, in the source's order
 */
record SourcedRequirements(String source, List<String> requirements) {
    SourcedRequirements {
        requirements = List.copyOf(requirements);
    }
}
