// A long-lived Apache Jena SHACL validator for kg/graph/shacl_jena.py (run with `java -cp ... thisfile`).
//
// One JVM checks every batch of a build: starting Java and compiling the validator costs seconds,
// checking a batch of documents a fraction of that. Requests come on stdin, one a line:
//     <shapes.nt> TAB <data.nt> TAB <report.nt>
// Each is answered on stdout by "done" once the report is written, or "error <reason>". The
// process ends when stdin closes, so it never outlives the Python process that started it.
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.jena.graph.Graph;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;

public class KgShaclJena {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
        out.println("ready " + org.apache.jena.Jena.VERSION);
        String line;
        while ((line = in.readLine()) != null) {
            String[] files = line.split("\t");
            try {
                Graph shapes = RDFParser.source(Path.of(files[0])).lang(Lang.NT).toGraph();
                Graph data = RDFParser.source(Path.of(files[1])).lang(Lang.NT).toGraph();
                ValidationReport report = ShaclValidator.get().validate(Shapes.parse(shapes), data);
                try (OutputStream report_file = Files.newOutputStream(Path.of(files[2]))) {
                    RDFDataMgr.write(report_file, report.getGraph(), Lang.NT);
                }
                out.println("done");
            } catch (Exception | OutOfMemoryError error) {
                out.println("error " + error.toString().replace('\n', ' '));
            }
        }
    }
}
