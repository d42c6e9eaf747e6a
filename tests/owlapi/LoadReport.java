// Loads an ontology document with the OWL API (the parser inside Protégé) and prints, one per line:
//   unparsed <n>          triples the RDF parser could not turn into axioms
//   axioms <n>            all axioms
//   logical <n>           logical axioms
//   <AxiomType> <n>       axioms of each type
//   property <iri> <n>    object property assertions per property namespace prefix given as extra arguments
import java.io.File;
import java.util.Map;
import java.util.TreeMap;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.OWLAxiom;
import org.semanticweb.owlapi.model.OWLObjectPropertyAssertionAxiom;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;

public class LoadReport {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        OWLOntologyLoaderMetaData meta = manager.getOntologyFormat(ontology).getOntologyLoaderMetaData().orElse(null);
        long unparsed = meta instanceof RDFParserMetaData ? ((RDFParserMetaData) meta).getUnparsedTriples().count() : -1;
        System.out.println("unparsed " + unparsed);
        System.out.println("axioms " + ontology.getAxiomCount());
        System.out.println("logical " + ontology.getLogicalAxiomCount());
        Map<String, Integer> byType = new TreeMap<>();
        for (AxiomType<?> type : AxiomType.AXIOM_TYPES) {
            int n = ontology.getAxiomCount(type);
            if (n > 0) byType.put(type.getName(), n);
        }
        byType.forEach((k, v) -> System.out.println("type " + k + " " + v));
        for (int i = 1; i < args.length; i++) {
            String prefix = args[i];
            long count = ontology.axioms(AxiomType.OBJECT_PROPERTY_ASSERTION)
                .filter(a -> ((OWLObjectPropertyAssertionAxiom) a).getProperty().asOWLObjectProperty().getIRI().toString().startsWith(prefix))
                .count();
            System.out.println("namespace " + prefix + " " + count);
        }
    }
}
