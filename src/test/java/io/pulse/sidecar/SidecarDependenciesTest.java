package io.pulse.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A service that depends on io.pulse:pulse for the consumer library or the publisher gets the
 * library's dependencies only: every other dependency of the pom (the broker, the CLI, YAML,
 * metrics, the logging backend) is optional or test-scoped, so Maven never passes it on.
 */
class SidecarDependenciesTest {
    /** What the library (engine, publisher, consumer) needs at run time. */
    static final Set<String> LIBRARY = Set.of(
            "io.netty:netty-handler", "io.netty:netty-transport-native-epoll", "io.netty:netty-codec-http",
            "io.pulse:pulse-consumer", "org.apache.kafka:kafka-clients", "org.rocksdb:rocksdbjni",
            "org.slf4j:slf4j-api", "com.fasterxml.jackson.core:jackson-core");

    static final Path POM = Path.of("src/artifacts/pulse/pom.xml");

    @Test
    void onlyTheLibrarysDependenciesAreTransitive() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(POM.toFile());
        Element project = pom.getDocumentElement();
        Element dependencies = child(project, "dependencies"); // not those of <dependencyManagement>
        NodeList list = dependencies.getElementsByTagName("dependency");
        Set<String> transitive = new TreeSet<>();
        for (int i = 0; i < list.getLength(); i++) {
            Element dependency = (Element) list.item(i);
            String scope = text(dependency, "scope", "compile");
            boolean optional = Boolean.parseBoolean(text(dependency, "optional", "false"));
            if ((scope.equals("compile") || scope.equals("runtime")) && !optional) {
                transitive.add(text(dependency, "groupId", "") + ":" + text(dependency, "artifactId", ""));
            }
        }
        assertEquals(new TreeSet<>(LIBRARY), transitive,
                "a dependency that only the sidecar needs must be <optional>true</optional>");
    }

    private static Element child(Element parent, String tag) {
        for (org.w3c.dom.Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(tag)) {
                return element;
            }
        }
        throw new AssertionError(POM + " has no <" + tag + "> under <" + parent.getTagName() + ">");
    }

    private static String text(Element parent, String tag, String absent) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? absent : nodes.item(0).getTextContent().trim();
    }
}
