package dev.bookstore.local.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML reader that accepts CloudFormation's short forms ({@code !Ref X}, {@code !GetAtt A.B},
 * {@code !Sub …}) and reads them as their long forms ({@code {Ref: X}}, {@code {Fn::GetAtt: [A, B]}}).
 */
final class CloudFormationYaml {

    private CloudFormationYaml() {
    }

    static Map<String, Object> read(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        Object document = new Yaml(new Constructor(options)).load(text);
        if (!(document instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("a template is a YAML mapping");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> template = (Map<String, Object>) document;
        return template;
    }

    private static final class Constructor extends SafeConstructor {

        Constructor(LoaderOptions options) {
            super(options);
            yamlMultiConstructors.put("!", new ShortForm());
        }

        private final class ShortForm extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                String name = node.getTag().getValue().substring(1);
                String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = scalar.getValue();
                    value = name.equals("GetAtt") ? List.of(text.substring(0, text.indexOf('.')), text.substring(text.indexOf('.') + 1)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    List<Object> items = new ArrayList<>();
                    for (Node item : sequence.getValue()) {
                        items.add(constructObject(item));
                    }
                    value = items;
                } else {
                    value = constructMapping((MappingNode) node);
                }
                Map<String, Object> longForm = new LinkedHashMap<>();
                longForm.put(key, value);
                return longForm;
            }
        }
    }
}
