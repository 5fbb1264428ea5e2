package io.pulse;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Which package may use which, for every package of the main code, and no cycles between them.
 * Lower layers know nothing of the upper ones: the model ({@code core}) and the event contract
 * ({@code events}) depend on no other Pulse package; the consumer library on the contract alone;
 * the sidecar's pieces (configuration, HTTP API, dashboard, tail) on the engine and the publisher,
 * the sidecar on its pieces and the embedded broker, and the command line on everything. The
 * artifacts' boundaries (the consumer, the engine, the sidecar) are also those of their Maven modules,
 * which cannot see the modules above them; this test sees all of them at once, from the sidecar's.
 */
class LayeringTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/pulse-testkit"))
            .importPackages("io.pulse");

    @Test
    void everyPackageUsesOnlyTheLayersBelowIt() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("core")
                .definedBy("io.pulse.core")
                .layer("events")
                .definedBy("io.pulse.events..")
                .layer("protocol")
                .definedBy("io.pulse.protocol")
                .layer("transport")
                .definedBy("io.pulse.transport..")
                .layer("kafka")
                .definedBy("io.pulse.kafka..")
                .layer("consumer")
                .definedBy("io.pulse.consumer..")
                .layer("embedded broker")
                .definedBy("io.pulse.embedded..")
                .layer("sidecar parts")
                .definedBy(
                        "io.pulse.sidecar.config..",
                        "io.pulse.sidecar.http..",
                        "io.pulse.sidecar.dashboard..",
                        "io.pulse.sidecar.tail..")
                .layer("sidecar")
                .definedBy("io.pulse.sidecar")
                .layer("cli")
                .definedBy("io.pulse.sidecar.cli..")
                .whereLayer("cli")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("sidecar")
                .mayOnlyBeAccessedByLayers("cli")
                .whereLayer("sidecar parts")
                .mayOnlyBeAccessedByLayers("sidecar parts", "sidecar", "cli")
                .whereLayer("embedded broker")
                .mayOnlyBeAccessedByLayers("sidecar", "cli")
                .whereLayer("consumer")
                .mayOnlyBeAccessedByLayers("sidecar parts", "sidecar", "cli")
                .whereLayer("kafka")
                .mayOnlyBeAccessedByLayers("sidecar parts", "sidecar", "cli")
                .whereLayer("transport")
                .mayOnlyBeAccessedByLayers("sidecar parts", "sidecar", "cli")
                .whereLayer("protocol")
                .mayOnlyBeAccessedByLayers("transport", "sidecar parts", "sidecar", "cli")
                .whereLayer("events")
                .mayOnlyBeAccessedByLayers("kafka", "consumer", "sidecar parts", "sidecar", "cli")
                .whereLayer("core")
                .mayOnlyBeAccessedByLayers("protocol", "transport", "kafka", "sidecar parts", "sidecar", "cli")
                .check(MAIN);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.pulse.(**)").should().beFreeOfCycles().check(MAIN);
    }
}
